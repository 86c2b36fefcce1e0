// The HTTPS floor of the load bench (httpsFloor.ts) in a process of its own:
//   node bin/run-ts.js testing/src/smdp/floorProcess.ts CONFIG ENDPOINT CALLS [https|http|tls]
// CONFIG is the SM-DP+'s config file (loaded as smdpProcess.ts loads it), ENDPOINT the index of the ES9+ endpoint
// whose TLS settings to use, CALLS the JSON of the recorded calls (wire.ts's WireCall[]). Prints
// `ready {"url":…}` once listening; SIGINT or SIGTERM stops it. The last argument is the transport (httpsFloor.ts's
// FloorTransport; https when left out): http is HTTP/1.1 over plain TCP, tls bare TLS sockets without node's HTTP.
import { dirname, resolve } from 'node:path';
import { loadConfig } from '@zkesim/sm-dp-plus';
import { startFloorServer, type FloorTransport } from './httpsFloor.js';
import type { WireCall } from './wire.js';

const [file, endpoint, calls, transport = 'https'] = process.argv.slice(2);
if (file === undefined || endpoint === undefined || calls === undefined || !isTransport(transport)) {
  process.stderr.write('usage: floorProcess.ts CONFIG ENDPOINT CALLS [https|http|tls]\n');
  process.exit(2);
}
const config = loadConfig({ root: dirname(resolve(file)), file, env: {} });
const { url, close } = await startFloorServer(config, Number(endpoint), JSON.parse(calls) as WireCall[], transport);
process.stdout.write(`ready ${JSON.stringify({ url })}\n`);
await new Promise<void>((stop) => {
  process.once('SIGINT', () => stop());
  process.once('SIGTERM', () => stop());
});
await close();

function isTransport(value: string): value is FloorTransport {
  return value === 'https' || value === 'http' || value === 'tls';
}
