// The plans API's rules with real Semaphore proofs (local artifacts) and a real SQLite store: the catalogue for
// anyone; the active plan only for a proof by the subscription's own identity, over a fresh challenge, naming that
// ICCID, and only once per challenge.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { SUBSCRIBER_PROOF_DEPTH, createIdentity, generateIdentityProof, parseSemaphoreProof, releaseProver, verifyIdentityProof, type Identity } from '@zkesim/contracts';
import { CHALLENGE_TTL_MS, PLANS_PATHS, createPlansApi } from './plansApi.js';
import { plansProofMessage, plansProofScope } from './plansProof.js';
import { DEMO_PLANS, openPlansStore } from './plansStore.js';

const dir = mkdtempSync(join(tmpdir(), 'zkesim-plans-'));
const store = openPlansStore(join(dir, 'plans.db'));
let now = 1_800_000_000_000;
const api = createPlansApi({
  store, now: () => now, randomHex: (bytes) => randomBytes(bytes).toString('hex'),
  parseProof: (json) => parseSemaphoreProof(JSON.stringify(json)), verifyProof: verifyIdentityProof,
});
const ICCID = '8949449999990000020';
const subscriber = createIdentity();
const stranger = createIdentity();
store.subscribe(ICCID, 'everyday', subscriber.commitment.toString(), now);

afterAll(async () => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
  await releaseProver();
});

async function challenge(): Promise<string> {
  const answer = await api.handle('POST', PLANS_PATHS.challenge, null);
  return (answer.body as { challenge: string }).challenge;
}

function prove(identity: Identity, scopeOf: string, iccid = ICCID) {
  return generateIdentityProof(identity, [identity.commitment], BigInt(plansProofScope(scopeOf)), BigInt(plansProofMessage(iccid)), { depth: SUBSCRIBER_PROOF_DEPTH });
}

describe('plans API', { timeout: 120_000 }, () => {
  it('gives the catalogue to anyone, cheapest first', async () => {
    const answer = await api.handle('GET', PLANS_PATHS.offers, null);
    expect(answer.status).toBe(200);
    expect((answer.body as { offers: { id: string }[] }).offers.map((plan) => plan.id)).toEqual(['starter', 'traveller', 'everyday']);
    expect(DEMO_PLANS).toHaveLength(3);
  });

  it('gives the active plan for a proof by the subscription\'s identity over a fresh challenge, once', async () => {
    const proof = await prove(subscriber, await challenge());
    const answer = await api.handle('POST', PLANS_PATHS.active, { iccid: ICCID, proof });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ iccid: ICCID, plan: { id: 'everyday', name: 'Everyday', voiceMinutes: null }, since: now });
    expect(answer.body).not.toHaveProperty('commitment');
    expect((await api.handle('POST', PLANS_PATHS.active, { iccid: ICCID, proof })).status).toBe(403);
  });

  it('refuses another identity, another ICCID, a made-up scope, an expired challenge, and an ICCID alone', async () => {
    expect((await api.handle('POST', PLANS_PATHS.active, { iccid: ICCID, proof: await prove(stranger, await challenge()) })).status).toBe(403);
    expect((await api.handle('POST', PLANS_PATHS.active, { iccid: ICCID, proof: await prove(subscriber, await challenge(), '8949449999990000038') })).status).toBe(403);
    expect((await api.handle('POST', PLANS_PATHS.active, { iccid: ICCID, proof: await prove(subscriber, 'not-a-challenge') })).status).toBe(403);
    const old = await challenge();
    now += CHALLENGE_TTL_MS + 1;
    expect((await api.handle('POST', PLANS_PATHS.active, { iccid: ICCID, proof: await prove(subscriber, old) })).status).toBe(403);
    expect((await api.handle('POST', PLANS_PATHS.active, { iccid: ICCID })).status).toBe(400);
    expect((await api.handle('POST', PLANS_PATHS.active, { iccid: 'x', proof: {} })).status).toBe(400);
    expect((await api.handle('GET', '/plans/v1/other', null)).status).toBe(404);
  });

  it('forgets an ended subscription: its holder reads nothing any more', async () => {
    expect(store.end(ICCID)).toBe(true);
    expect(store.end(ICCID)).toBe(false);
    expect(store.subscription(ICCID)).toBeUndefined();
    expect((await api.handle('POST', PLANS_PATHS.active, { iccid: ICCID, proof: await prove(subscriber, await challenge()) })).status).toBe(403);
  });
});
