import { parseConfig } from '../config.ts';
import { connect } from '../db/connect.ts';
import { migrate } from '../db/migrate.ts';

const handle = await connect(parseConfig(process.env));
const applied = await migrate(handle);
console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'database is up to date');
await handle.close();
