// Run under Deno by test/entry/denoMessaging.test.ts: the ports src/entry/deno.ts builds from the
// environment (AMI_URL), and one Originate through them; prints the answer as JSON.
import process from 'node:process';
import { parseConfig } from '../../src/config.ts';
import { serverPorts } from '../../src/entry/ports.ts';

const ports = serverPorts(parseConfig(process.env));
if (!ports.callControl) throw new Error('no call control: AMI_URL unset?');
const done = await ports.callControl.originate({
  channel: 'Local/37069912345@mor_callback_lega',
  context: 'mor_callback_legb',
  exten: '37060000001',
  priority: '1',
  callerId: 'Deno <101>',
  variables: { MOR_RUNTIME: 'deno' },
});
console.log(JSON.stringify(done));
