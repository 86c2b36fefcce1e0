// One SM-DP+ in a process of its own, for tests that kill it:
//   node bin/run-ts.js testing/src/smdp/smdpProcess.ts CONFIG [--hold-anchor-records]
// CONFIG is an SM-DP+ config file (loaded as `zkesim smdp serve --config` does, without SMDP_* variables).
// --hold-anchor-records keeps installation results' anchor records in the SM-DP+'s store: no drain after a
// result, none on a timer (only the one at start). Prints `ready {"es9Url":…,"es9Urls":[…],"es2Url":…,"adminUrl":…}` once listening;
// SIGINT or SIGTERM stops it cleanly.
import { dirname, resolve } from 'node:path';
import { loadConfig, startSmdpServer } from '@zkesim/sm-dp-plus';

const [file, ...flags] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: smdpProcess.ts CONFIG [--hold-anchor-records]\n');
  process.exit(2);
}
const config = loadConfig({ root: dirname(resolve(file)), file, env: {} });
const hold = flags.includes('--hold-anchor-records');
const smdp = await startSmdpServer(config, hold ? { anchorDrain: { afterEachResult: false, intervalMs: 24 * 3600 * 1000 } } : {});
process.stdout.write(`ready ${JSON.stringify({ es9Url: smdp.es9Url, es9Urls: smdp.es9Urls, es2Url: smdp.es2Url, adminUrl: smdp.adminUrl })}\n`);
await new Promise<void>((stop) => {
  process.once('SIGINT', () => stop());
  process.once('SIGTERM', () => stop());
});
await smdp.close();
