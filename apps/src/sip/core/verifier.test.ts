// The verifier's decisions with real Semaphore v4 proofs (local artifacts) over a group built in memory, on an
// injected clock: what Kamailio cannot show end to end cheaply — a proof of a past epoch, a proof bound to another
// contact or another To, a forged proof, a malformed header, the call rate limit and a full replay cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Group, createIdentity, generateIdentityProof, releaseProver, verifyIdentityProof, type Identity } from '@zkesim/contracts';
import { inviteMessage, registerMessage, registrationScope } from './binding.js';
import { encodeProofHeader } from './proofHeader.js';
import { GroupRootPolicy } from './rootPolicy.js';
import { SipVerifier, type SipVerifierOptions } from './verifier.js';
import { ownSipAddress, prepareInvite, prepareRegister } from '../subscriber/sipProofs.js';

const DOMAIN = 'zk.test';
const DAY = 86_400;
const START = Date.UTC(2026, 0, 10, 12);
const CONTACT = 'sip:zk@127.0.0.1:5070;transport=tcp';
const OFFER = 'a=fingerprint:sha-256 AA:BB:CC';

describe('SipVerifier', { timeout: 60_000 }, () => {
  const alice: Identity = createIdentity();
  const group = new Group([alice.commitment, createIdentity().commitment]);
  const clock = { time: START, now: () => clock.time };
  const epoch = () => ({ domain: DOMAIN, epochSeconds: DAY, nowMs: clock.time });
  const verifier = (options: Partial<SipVerifierOptions> = {}) =>
    new SipVerifier(
      { domain: DOMAIN, epochSeconds: DAY, callsPerWindow: 10, callWindowMs: 60_000, maxReplayEntries: 100, ...options },
      {
        clock,
        roots: new GroupRootPolicy({ current: () => Promise.resolve({ root: group.root, block: 1 }), removedSince: () => Promise.resolve(false) }, clock, { maxAgeMs: 1_000, graceMs: 1_000 }),
        verifySnark: verifyIdentityProof,
      },
    );
  let registration: Awaited<ReturnType<typeof prepareRegister>>;

  beforeAll(async () => {
    registration = await prepareRegister(alice, group, epoch(), CONTACT);
  });
  afterAll(async () => {
    clock.time = START;
    await releaseProver();
  });

  const facts = (header: string | undefined, overrides: Record<string, string> = {}) => ({
    proof: header, callId: registration.callId, cseq: '1', contact: CONTACT, to: `sip:${registration.address}`, ...overrides,
  });

  it('accepts the registration it binds, and only that one', async () => {
    const header = registration.header.slice('X-ZK-Proof: '.length);
    expect(await verifier().register(facts(header))).toEqual({ status: 200, address: ownSipAddress(alice, epoch()) });
    expect(await verifier().register(facts(header, { contact: 'sip:zk@127.0.0.1:5071;transport=tcp' }))).toEqual({ status: 403, reason: 'ZK proof does not bind this request' });
    expect(await verifier().register(facts(header, { cseq: '2' }))).toEqual({ status: 403, reason: 'ZK proof does not bind this request' });
    expect(await verifier().register(facts(header, { cseq: 'REGISTER' }))).toEqual({ status: 400, reason: 'Bad CSeq' });
  });

  it('refuses a proof of the past epoch as stale, a missing or malformed one, and a forged one', async () => {
    const header = registration.header.slice('X-ZK-Proof: '.length);
    clock.time = START + DAY * 1000;
    expect(await verifier().register(facts(header))).toEqual({ status: 403, reason: 'Stale ZK proof (past epoch)' });
    clock.time = START;
    expect(await verifier().register(facts(undefined))).toEqual({ status: 401, reason: 'ZK proof required' });
    expect(await verifier().register(facts('not base64url!'))).toEqual({ status: 400, reason: 'Malformed ZK proof' });
    expect(await verifier().register(facts(Buffer.from('{"merkleTreeDepth":1}').toString('base64url')))).toEqual({ status: 400, reason: 'Malformed ZK proof' });
    const forged = { ...registration.proof, points: registration.proof.points.map((point, index) => (index === 0 ? (BigInt(point) + 1n).toString() : point)) };
    expect(await verifier().register(facts(encodeProofHeader(forged)))).toEqual({ status: 403, reason: 'Invalid ZK proof' });
  });

  it('refuses a REGISTER whose To is not the address of the proof', async () => {
    const to = `sip:zk-someoneelse@${DOMAIN}`;
    const scope = registrationScope(DOMAIN, Math.floor(START / 1000 / DAY));
    const proof = await generateIdentityProof(alice, group, scope, registerMessage({ callId: 'x@zk.test', cseq: 1, contact: CONTACT, to }));
    expect(await verifier().register({ proof: encodeProofHeader(proof), callId: 'x@zk.test', cseq: '1', contact: CONTACT, to })).toEqual({ status: 403, reason: 'To is not the address of this proof' });
  });

  it('limits the calls of one address and fails closed when the replay cache is full', async () => {
    const limited = verifier({ callsPerWindow: 1, maxReplayEntries: 2 });
    const callee = `zk-callee@${DOMAIN}`;
    const first = await prepareInvite(alice, group, epoch(), callee, OFFER);
    const second = await prepareInvite(alice, group, epoch(), callee, OFFER);
    const offer = (prepared: typeof first) => ({
      proof: prepared.header.slice('X-ZK-Proof: '.length), callId: prepared.callId, cseq: '1 INVITE', from: `sip:${prepared.address}`, to: `sip:${callee}`, sdp: `v=0\r\n${OFFER}\r\n`,
    });
    expect(await limited.invite(offer(first))).toEqual({ status: 200, address: first.address });
    expect(await limited.invite(offer(second))).toEqual({ status: 403, reason: 'Call rate exceeded' });
    // The callee's check records nothing and is not rate limited; another From is not the prover's.
    expect(await limited.mediaCheck(offer(first))).toEqual({ status: 200, address: first.address });
    expect(await limited.mediaCheck({ ...offer(first), from: `sip:zk-other@${DOMAIN}` })).toEqual({ status: 403, reason: 'ZK proof does not bind this request' });
    expect(await limited.mediaCheck({ ...offer(first), sdp: 'v=0\r\n' })).toEqual({ status: 403, reason: 'No media keys in the offer' });
    expect(await limited.register(facts(registration.header.slice('X-ZK-Proof: '.length)))).toEqual({ status: 503, reason: 'Verifier replay cache full' });
    expect(inviteMessage({ callId: first.callId, cseq: 1, from: `sip:${first.address}`, to: `sip:${callee}`, mediaKeys: ['fingerprint:sha-256 AA:BB:CC'] })).toBe(BigInt(first.proof.message));
  });
});
