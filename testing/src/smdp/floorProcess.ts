// The HTTPS floor of the load bench (httpsFloor.ts) in a process of its own:
//   node bin/run-ts.js testing/src/smdp/floorProcess.ts CONFIG ENDPOINT CALLS [--plain]
// CONFIG is the SM-DP+'s config file (loaded as smdpProcess.ts loads it), ENDPOINT the index of the ES9+ endpoint
// whose TLS settings to use, CALLS the JSON of the recorded calls (wire.ts's WireCall[]). Prints
// `ready {"url":…}` once listening; SIGINT or SIGTERM stops it. --plain: HTTP/1.1 over plain TCP, no TLS.
import { dirname, resolve } from 'node:path';
import { closeServer } from '@zkesim/rsp-server';
import { loadConfig } from '@zkesim/sm-dp-plus';
import { startFloorServer } from './httpsFloor.js';
import type { WireCall } from './wire.js';

const [file, endpoint, calls, ...flags] = process.argv.slice(2);
if (file === undefined || endpoint === undefined || calls === undefined) {
  process.stderr.write('usage: floorProcess.ts CONFIG ENDPOINT CALLS\n');
  process.exit(2);
}
const config = loadConfig({ root: dirname(resolve(file)), file, env: {} });
const { server, url } = await startFloorServer(config, Number(endpoint), JSON.parse(calls) as WireCall[], flags.includes('--plain'));
process.stdout.write(`ready ${JSON.stringify({ url })}\n`);
await new Promise<void>((stop) => {
  process.once('SIGINT', () => stop());
  process.once('SIGTERM', () => stop());
});
await closeServer(server);
