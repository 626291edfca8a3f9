import { availableParallelism } from 'node:os';
import { parseConfig } from '../config.ts';
import { connect } from '../db/connect.ts';
import { migrate } from '../db/migrate.ts';
import { claimEmbeddedDatabase } from './dataDirLock.ts';

const config = parseConfig(process.env, availableParallelism());
claimEmbeddedDatabase(config);
const handle = await connect(config);
const applied = await migrate(handle);
console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'database is up to date');
await handle.close();
