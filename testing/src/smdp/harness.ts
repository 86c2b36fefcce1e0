// One running SM-DP+ with the bundled inventory imported, an operator callback server, and helpers
// to place orders over ES2+ (mutual TLS).
import { readFileSync, readdirSync } from 'node:fs';
import { BUNDLED_PROFILES_DIRECTORY, importProfiles, startSmdpServer, type RunningSmdp, type SmdpConfig, type SmdpOverrides } from '@zkesim/sm-dp-plus';
import { bindSocket, systemRandom, type BoundSockets } from '@zkesim/rsp-server';
import { startCallbackServer, type CallbackServer } from './callbackServer.js';
import { post, statusOf, type PostResult } from './https.js';
import { testConfig } from './testConfig.js';
import { createTestPki, smdpHost, type TestPki } from './testPki.js';

/**
 * The ES9+ port bound now, for a configuration that names it before the SM-DP+ starts (its address): pass
 * `boundSockets` to startHarness (or startSmdpServer), which serves that very socket, so that no other process
 * takes the port in between.
 */
export async function bindEs9Port(): Promise<{ port: number; address: string; boundSockets: BoundSockets }> {
  const bound = await bindSocket('127.0.0.1');
  return { port: bound.port, address: `${smdpHost}:${bound.port}`, boundSockets: new Map([[bound.port, bound.socket]]) };
}

export const profilesDirectory = `${BUNDLED_PROFILES_DIRECTORY}/`;

export interface Harness {
  pki: TestPki;
  smdp: RunningSmdp;
  callbacks: CallbackServer;
  es2(fn: string, body: Record<string, unknown>): Promise<PostResult>;
  /** DownloadOrder + ConfirmOrder(released); returns the ICCID. */
  order(options: { eid?: string; matchingId?: string; confirmationCode?: string; profileType?: string }): Promise<string>;
  /** Moves the SM-DP+'s clock forward (ms). */
  advanceClock(ms: number): void;
  close(): Promise<void>;
}

export async function startHarness(
  changes: (config: SmdpConfig, env: { pki: TestPki; callbackUrl: string }) => void = () => undefined,
  profilesPerType = 4,
  overrides: Omit<SmdpOverrides, 'clock'> = {},
): Promise<Harness> {
  const pki = createTestPki();
  const callbacks = await startCallbackServer(pki);
  let offset = 0;
  const clock = { now: () => Date.now() + offset };
  const smdp = await startSmdpServer(
    testConfig(pki, (config) => {
      const first = config.es2.operators[0];
      if (first !== undefined) first.callbackUrl = callbacks.url;
      changes(config, { pki, callbackUrl: callbacks.url });
    }),
    { ...overrides, clock },
  );
  const files = readdirSync(profilesDirectory)
    .filter((name) => name.endsWith('.der'))
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(`${profilesDirectory}${name}`)) }));
  await importProfiles({ repository: smdp.repository, random: systemRandom, clock }, files, profilesPerType);
  const es2 = (fn: string, body: Record<string, unknown>) =>
    post(`${smdp.es2Url}/gsma/rsp2/es2plus/${fn}`, JSON.stringify({ header: { functionRequesterIdentifier: 'operator', functionCallIdentifier: fn }, ...body }), {
      ca: pki.ciNist,
      cert: pki.operatorCert,
      key: pki.operatorKey,
    });
  return {
    pki,
    smdp,
    callbacks,
    es2,
    order: async ({ eid, matchingId, confirmationCode, profileType = 'TS48V1-A-UNIQUE' }) => {
      const ordered = await es2('downloadOrder', { profileType, ...(eid === undefined ? {} : { eid }) });
      if (statusOf(ordered).status !== 'Executed-Success') throw new Error(`downloadOrder failed: ${ordered.text}`);
      const iccid = String(ordered.json().iccid);
      const confirmed = await es2('confirmOrder', {
        iccid,
        releaseFlag: true,
        ...(matchingId === undefined ? {} : { matchingId }),
        ...(confirmationCode === undefined ? {} : { confirmationCode }),
      });
      if (statusOf(confirmed).status !== 'Executed-Success') throw new Error(`confirmOrder failed: ${confirmed.text}`);
      return iccid;
    },
    advanceClock: (ms) => {
      offset += ms;
    },
    close: async () => {
      await smdp.close();
      await callbacks.close();
      pki.cleanup();
    },
  };
}
