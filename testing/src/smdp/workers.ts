// `zkesim smdp serve --workers N` for tests: the real command in a process group of its own, with a test
// config (testConfig) written to a file, orders over ES2+, and one download whose every ES9+ call goes on a
// new connection (so the primary hands the calls to the workers in turn), recording which worker answered.
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PORT_ATTEMPTS, findFreePort } from '@zkesim/contracts';
import { iccidToBytes, type IccidDigits } from '@zkesim/protocol';
import { BUNDLED_PROFILES_DIRECTORY, type SmdpConfig } from '@zkesim/sm-dp-plus';
import { post, statusOf, type PostResult } from './https.js';
import { TestLpa } from './lpa.js';
import { sgp26Eid } from './sgp26Card.js';
import { testConfig } from './testConfig.js';
import type { TestPki } from './testPki.js';
import { startBackground, type Background } from '../stack/processes.js';
import { yardstickProfile } from '../bench/downloadCrypto.js';

export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The environment without SMDP_* variables, so only the config file counts. */
export const cleanEnv = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SMDP_')));

export interface Order {
  matchingId: string;
  iccid: string;
}

/** Writes a test config with this storage (and the bundled profiles, `profiles` per template); returns the file. */
export function writeWorkersConfig(pki: TestPki, storage: SmdpConfig['storage'], profiles: number, changes: (config: SmdpConfig) => void = () => undefined): string {
  const config = testConfig(pki, (c) => {
    c.storage = storage;
    c.profilesDirectory = BUNDLED_PROFILES_DIRECTORY;
    c.profilesPerTemplate = profiles;
    changes(c);
  });
  const file = join(pki.dir, `smdp-${storage.kind}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

export interface Workers {
  server: Background;
  es9Url: string;
  es2Url: string;
  /** Pids of the live worker processes (children of the primary). */
  workerPids(): number[];
  order(pki: TestPki, matchingId: string): Promise<Order>;
}

/**
 * startWorkers on fixed ES9+ and ES2+ ports chosen now: the primary binds them itself, as in production (and
 * opens one anew on the same port when every worker died). Ports another process took before the primary bound
 * them (it exits with EADDRINUSE) are replaced by fresh ones, PORT_ATTEMPTS starts at most.
 */
export async function startWorkersOnFreePorts(
  pki: TestPki,
  storage: SmdpConfig['storage'],
  profiles: number,
  changes: (config: SmdpConfig) => void,
  workers: number,
): Promise<Workers> {
  for (let attempt = 1; ; attempt += 1) {
    const [es9Port, es2Port] = [await findFreePort(), await findFreePort()];
    const file = writeWorkersConfig(pki, storage, profiles, (config) => {
      for (const listener of config.es9) listener.port = es9Port;
      config.es2.port = es2Port;
      changes(config);
    });
    try {
      return await startWorkers(file, workers);
    } catch (error) {
      if (!(error instanceof Error && error.message.includes('EADDRINUSE')) || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

export async function startWorkers(configFile: string, workers: number): Promise<Workers> {
  const server = startBackground(`node bin/zkesim.js smdp serve --workers ${workers} --config ${configFile}`, { cwd: repositoryRoot, env: cleanEnv() });
  await server.waitFor(`SM-DP+ (${workers} workers)`, 180_000);
  const line = /ES9\+ (\S+) {2}ES2\+ (\S+)/.exec(server.output());
  const es2Url = line?.[2] ?? '';
  return {
    server,
    es9Url: line?.[1] ?? '',
    es2Url,
    workerPids: () => {
      const pid = server.child.pid as number;
      return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    },
    order: async (pki, matchingId) => {
      const es2 = (fn: string, body: object) =>
        post(`${es2Url}/gsma/rsp2/es2plus/${fn}`, JSON.stringify({ header: { functionRequesterIdentifier: 'operator', functionCallIdentifier: `${fn}-${matchingId}` }, ...body }), {
          ca: pki.ciNist,
          cert: pki.operatorCert,
          key: pki.operatorKey,
        });
      const ordered = await es2('downloadOrder', { eid: sgp26Eid, profileType: yardstickProfile });
      const iccid = String(ordered.json().iccid);
      const confirmed = statusOf(await es2('confirmOrder', { iccid, matchingId, releaseFlag: true }));
      if (confirmed.status !== 'Executed-Success') throw new Error(`confirmOrder ${matchingId}: ${JSON.stringify(confirmed)} (${ordered.text})`);
      return { matchingId, iccid };
    },
  };
}

/**
 * One download by a fresh SGP.26 card, each call on a new connection; the workers that answered, in order.
 * Throws on any failure, and after `timeoutMs` (a connection the primary handed to a worker that was then
 * killed is never answered).
 */
export function downloadAcrossWorkers(es9Url: string, ca: string, order: Order, timeoutMs = 20_000): Promise<string[]> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`download ${order.matchingId} not answered within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([download(es9Url, ca, order), timeout]).finally(() => clearTimeout(timer));
}

async function download(es9Url: string, ca: string, order: Order): Promise<string[]> {
  const served: string[] = [];
  const check = (fn: string, result: PostResult, status = 200): void => {
    served.push(String(result.headers['x-zkesim-worker']));
    if (result.status !== status) throw new Error(`${fn}: HTTP ${result.status} ${result.text}`);
    if (status === 200 && statusOf(result).status !== 'Executed-Success') throw new Error(`${fn}: ${result.text}`);
  };
  const lpa = TestLpa.direct(es9Url, ca);
  // Node's global agent would keep one connection alive.
  lpa.agent = new Agent({ keepAlive: false });
  check('initiateAuthentication', await lpa.initiateAuthentication());
  await lpa.authenticateServer(order.matchingId);
  check('authenticateClient', await lpa.authenticateClient());
  await lpa.prepareDownload();
  check('getBoundProfilePackage', await lpa.getBoundProfilePackage());
  check('handleNotification', await lpa.handleNotification(lpa.installationResult(true, iccidToBytes(order.iccid as IccidDigits))), 204);
  return served;
}
