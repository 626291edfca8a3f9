// Links examples/typed-client/node_modules/openmor to this checkout, as `npm install` of the example's
// `"openmor": "file:../.."` would, without installing anything.
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';

const dir = 'examples/typed-client/node_modules';
mkdirSync(dir, { recursive: true });
rmSync(`${dir}/openmor`, { force: true, recursive: false });
symlinkSync('../../..', `${dir}/openmor`, 'dir');
