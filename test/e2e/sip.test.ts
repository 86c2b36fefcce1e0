// Calls between ZK identities on a real SIP server (issue #20): Kamailio (our configuration) asks the ZK verifier
// over HTTPS before it saves a registration or routes a call; sipp plays both subscribers with our scenarios;
// the subscriber group is Semaphore's on the bundled Anvil node, and every proof is a real Semaphore v4 proof.
// Two subscribers register and one calls the other (INVITE/180/200/ACK/BYE); a REGISTER without a proof, for
// another domain, replayed, or from a removed member, and an INVITE from an unregistered address are refused
// with their SIP status; the callee's media check fails for a changed fingerprint. Proofs take seconds each, so
// the test makes six and reuses them.
import { createDevelopmentPki } from '@zkesim/pki';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  PortTaken, SubscriberRegistry, createIdentity, deployIdentityContracts, deployWithSigner, releaseProver, type Group, type Identity,
} from '@zkesim/contracts';
import {
  SIP_INSTALL_HINT, answerCall, checkMedia, kamailioInstalled, offerFacts, ownSipAddress, prepareRegister, sendInvite, sendRegister,
  sipCall, sipRegister, sippInstalled, startSipService, type SipEpoch, type SipOutcome, type SipService,
} from '@zkesim/apps/sip';
import { fundedWallet, removeDir, startTestNode, tempDir, testProvider, type TestNode } from '@zkesim/testing/chain/nodes';
import { releaseStolenPorts, stolenPorts, type PortThief } from '@zkesim/testing/ports/portThief';
import { readFileSync } from 'node:fs';
import { connect as connectTls } from 'node:tls';
import { join } from 'node:path';

/** Another process (another test file) taking the next ports startOnFreePort chooses, before sipp binds them. */
const thief = vi.hoisted((): PortThief => ({ steal: 0, listeners: [] }));

vi.mock('@zkesim/contracts', async (importOriginal) => {
  const original = await importOriginal<typeof import('@zkesim/contracts')>();
  const { stealIfAsked } = await import('@zkesim/testing/ports/portThief');
  return {
    ...original,
    startOnFreePort: <T>(start: (port: number) => Promise<T>, attempts?: number) =>
      original.startOnFreePort(async (port) => {
        await stealIfAsked(thief, port);
        return start(port);
      }, attempts),
  };
});

const available = kamailioInstalled() && sippInstalled();
if (!available && process.env.CI === 'true') throw new Error(`kamailio and sipp are required in CI: ${SIP_INSTALL_HINT}`);

const DOMAIN = 'zk.test';
const FINGERPRINT_ALICE = `sha-256 ${Array.from({ length: 32 }, (_, i) => (i * 7 + 3).toString(16).padStart(2, '0').toUpperCase()).join(':')}`;
const FINGERPRINT_BOB = `sha-256 ${Array.from({ length: 32 }, (_, i) => (i * 11 + 5).toString(16).padStart(2, '0').toUpperCase()).join(':')}`;

/** The header the registrar's 200 carries with the address it saved. */
const savedAddress = (outcome: SipOutcome) =>
  outcome.sipp.messages.find((m) => m.direction === 'received' && m.startLine.startsWith('SIP/2.0 200'))?.text.match(/^X-ZK-Address: (.*)$/m)?.[1]?.trim();

describe.skipIf(!available)('calls between ZK identities through Kamailio', { timeout: 180_000 }, () => {
  let node: TestNode;
  let dir: string;
  let sip: SipService;
  let registry: SubscriberRegistry;
  let group: Group;
  const alice: Identity = createIdentity();
  const bob: Identity = createIdentity();
  const epoch = (): SipEpoch => ({ domain: DOMAIN, epochSeconds: 86_400, nowMs: Date.now() });
  const ports = { alice: 0, bob: 0 };
  let aliceRegistration: Awaited<ReturnType<typeof sipRegister>>;

  beforeAll(async () => {
    dir = tempDir('sip');
    node = await startTestNode('anvil', join(dir, 'chain'));
    const operator = await fundedWallet(testProvider(node.rpcUrl));
    const deployment = await deployIdentityContracts(deployWithSigner(operator), { admin: operator.address, operator: operator.address }, operator);
    registry = new SubscriberRegistry(deployment.subscriberFactory, operator, deployment.blockNumber);
    await registry.onboardMany([{ commitment: alice.commitment }, { commitment: bob.commitment }]);
    group = await registry.group();
    const { pki } = createDevelopmentPki(join(dir, 'pki'), { curves: ['nist'], hostnames: ['localhost', '127.0.0.1'] });
    const ci = pki.hierarchies.nist?.ci;
    if (ci === undefined) throw new Error('no NIST CI');
    sip = await startSipService({
      dir: join(dir, 'sip'),
      domain: DOMAIN,
      rpcUrl: node.rpcUrl,
      registry: deployment.subscriberFactory,
      ci,
      ciPem: ci.certificatePath.replace(/\.der$/, '.pem'),
      // Read the group root on every request, so the revocation below is seen at once.
      roots: { maxAgeMs: 0 },
    });
  });

  afterAll(async () => {
    await releaseStolenPorts(thief);
    await sip?.close();
    await node?.stop();
    await releaseProver();
    removeDir(dir);
  });

  it('registers two subscribers under their pseudonymous addresses; one calls the other (INVITE/180/200/ACK/BYE); the callee checks the media keys', async () => {
    // Each on a port sipp binds: chosen free, and chosen again (with a fresh proof) should another process take it.
    aliceRegistration = await sipRegister(sip.registrar, alice, group, epoch());
    ports.alice = aliceRegistration.localPort;
    expect([aliceRegistration.status, aliceRegistration.reason], sip.kamailio.output().slice(-2000)).toEqual([200, 'OK']);
    expect(aliceRegistration.address).toMatch(/^zk-[a-z2-7]{32}@zk\.test$/);
    expect(savedAddress(aliceRegistration)).toBe(`sip:${aliceRegistration.address}`);
    const bobRegistration = await sipRegister(sip.registrar, bob, group, epoch());
    expect(bobRegistration.status).toBe(200);
    ports.bob = bobRegistration.localPort;
    expect(bobRegistration.address).not.toBe(aliceRegistration.address);

    const callee = answerCall(ports.bob, FINGERPRINT_BOB);
    const call = await sipCall(sip.registrar, alice, group, epoch(), bobRegistration.address, FINGERPRINT_ALICE, ports.alice);
    const answered = await callee.done;
    expect(call.sipp.finals, call.sipp.stderr).toEqual([{ status: 200, reason: 'OK' }, { status: 200, reason: 'OK' }]);
    expect(call.sipp.messages.filter((m) => m.direction === 'received').map((m) => m.startLine)).toContain('SIP/2.0 180 Ringing');
    expect(call.sipp.exitCode).toBe(0);
    expect(answered.exitCode, answered.stderr).toBe(0);
    const received = answered.messages.filter((m) => m.direction === 'received').map((m) => m.startLine.split(' ')[0]);
    expect(received).toEqual(['INVITE', 'ACK', 'BYE']);

    // The callee: the proof in the INVITE commits to the offered fingerprint and is the caller's address's.
    const invite = answered.messages.find((m) => m.direction === 'received' && m.startLine.startsWith('INVITE'));
    if (invite === undefined) throw new Error('no INVITE reached the callee');
    const ca = readFileSync(join(dir, 'pki', 'nist', 'ci.cert.pem'), 'utf8');
    const facts = offerFacts(invite);
    expect(await checkMedia(sip.verifierUrl, ca, facts)).toEqual({ status: 200, address: aliceRegistration.address });
    const changed = facts.sdp.replace(/a=fingerprint:sha-256 ([0-9A-F]{2})/, (_, first: string) => `a=fingerprint:sha-256 ${first === '00' ? '01' : '00'}`);
    expect(changed).not.toBe(facts.sdp);
    expect(await checkMedia(sip.verifierUrl, ca, { ...facts, sdp: changed })).toEqual({ status: 403, reason: 'ZK proof does not bind this request' });
    // The same INVITE again is a replay, refused before it reaches the callee.
    const again = await sendInvite(sip.registrar, bobRegistration.address, call.prepared, FINGERPRINT_ALICE, ports.alice);
    expect([again.status, again.reason]).toEqual([403, 'Replayed ZK proof']);
  });

  it('registers on a fresh port, with a fresh proof, when another process takes the chosen one before sipp binds it', async () => {
    thief.steal = 1;
    const registration = await sipRegister(sip.registrar, alice, group, epoch());
    const [stolen] = stolenPorts(thief);
    expect(stolen).toBeDefined();
    expect([registration.status, registration.reason], registration.sipp.stderr).toEqual([200, 'OK']);
    expect(registration.localPort).not.toBe(stolen);
    const contact = registration.sipp.messages.find((m) => m.direction === 'sent' && m.startLine.startsWith('REGISTER'))?.text.match(/^Contact: (.*)$/m)?.[1];
    expect(contact).toBe(`<sip:${registration.address.split('@')[0]}@127.0.0.1:${registration.localPort};transport=tcp>`);
    // A port given by the caller is not replaced: its registration fails, saying so, and nothing is sent.
    await expect(sipRegister(sip.registrar, alice, group, epoch(), stolen)).rejects.toBeInstanceOf(PortTaken);
    aliceRegistration = registration;
    ports.alice = registration.localPort;
  });

  it('refuses a REGISTER without a proof (401 with a ZK challenge) and a replayed one (403)', async () => {
    const bare = await sendRegister(sip.registrar, DOMAIN, { address: `anyone@${DOMAIN}`, callId: `bare-${Date.now()}@${DOMAIN}`, header: 'Subject: no proof' }, ports.alice);
    expect([bare.status, bare.reason]).toEqual([401, 'ZK proof required']);
    expect(bare.sipp.messages.find((m) => m.startLine.startsWith('SIP/2.0 401'))?.text).toContain(`WWW-Authenticate: ZK realm="${DOMAIN}"`);
    const replayed = await sendRegister(sip.registrar, DOMAIN, aliceRegistration.prepared, ports.alice);
    expect([replayed.status, replayed.reason]).toEqual([403, 'Replayed ZK proof']);
  });

  it('serves SIP over TLS with a certificate the CI vouches for, through the same checks', async () => {
    if (sip.registrarTls === undefined) throw new Error('Kamailio has no tls module (kamailio-tls-modules)');
    const [host, port] = sip.registrarTls.split(':');
    const ca = readFileSync(join(dir, 'pki', 'nist', 'ci.cert.pem'), 'utf8');
    // A REGISTER without a proof, written out here because Debian's sipp is built without TLS.
    const request = [
      `REGISTER sip:${DOMAIN} SIP/2.0`, 'Via: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bK-tls-1', 'Max-Forwards: 70', `From: <sip:anyone@${DOMAIN}>;tag=t1`,
      `To: <sip:anyone@${DOMAIN}>`, `Call-ID: tls-${Date.now()}@${DOMAIN}`, 'CSeq: 1 REGISTER', 'Contact: <sip:anyone@127.0.0.1:5999;transport=tls>', 'Content-Length: 0', '', '',
    ].join('\r\n');
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connectTls({ host, port: Number(port), ca, servername: 'localhost' }, () => socket.end(request));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        text += chunk;
        if (text.includes('\r\n\r\n')) socket.destroy();
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer.split('\r\n')[0]).toBe('SIP/2.0 401 ZK proof required');
    expect(answer).toContain(`WWW-Authenticate: ZK realm="${DOMAIN}"`);
  });

  it('refuses a proof made for another domain', async () => {
    const other = await prepareRegister(alice, group, { ...epoch(), domain: 'other.test' }, `sip:x@127.0.0.1:${ports.alice};transport=tcp`);
    const refused = await sendRegister(sip.registrar, DOMAIN, other, ports.alice);
    expect([refused.status, refused.reason]).toEqual([403, 'ZK proof for another domain or epoch']);
    // Its address is unrelated to the same identity's address in this domain.
    expect(other.address.split('@')[0]).not.toBe(aliceRegistration.address.split('@')[0]);
  });

  it('refuses an INVITE from an address that is not registered', async () => {
    const stranger = createIdentity();
    const refused = await sendInvite(sip.registrar, aliceRegistration.address, { address: ownSipAddress(stranger, epoch()), callId: `stranger-${Date.now()}@${DOMAIN}`, header: aliceRegistration.prepared.header }, FINGERPRINT_ALICE, ports.bob);
    expect([refused.status, refused.reason]).toEqual([403, 'Caller not registered']);
  });

  it('accepts a proof made just before another subscriber joined (the superseded root, no removal since)', async () => {
    const epochNow = epoch();
    const prepared = await prepareRegister(alice, group, epochNow, `sip:${aliceRegistration.address.split('@')[0]}@127.0.0.1:${ports.alice};transport=tcp`);
    await registry.onboard(createIdentity().commitment);
    const accepted = await sendRegister(sip.registrar, DOMAIN, prepared, ports.alice);
    expect([accepted.status, accepted.reason]).toEqual([200, 'OK']);
  });

  it('refuses a removed member, even with a proof made while it was a member', async () => {
    const epochNow = epoch();
    const prepared = await prepareRegister(bob, group, epochNow, `sip:${ownSipAddress(bob, epochNow).split('@')[0]}@127.0.0.1:${ports.bob};transport=tcp`);
    await registry.revoke(bob.commitment);
    const refused = await sendRegister(sip.registrar, DOMAIN, prepared, ports.bob);
    expect([refused.status, refused.reason]).toEqual([403, 'Not a subscriber: unknown or revoked group root']);
  });
});
