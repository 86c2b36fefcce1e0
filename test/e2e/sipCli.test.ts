// The subscriber side of calls between ZK identities from the command line, on the stack `npm start` runs (its
// Kamailio and ZK verifier, its chain): the operator component onboards a customer, the order downloads with the
// identity into the stack's eUICC, `zkesim lpa identity sip-register` registers the profile's pseudonymous address
// with a proof, `sip-call` calls a second subscriber (sipp on the other end) and `sip-answer` answers that
// subscriber's call and has the verifier check the media keys.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openOperatorComponent } from '@zkesim/apps';
import { SIP_INSTALL_HINT, answerCall, kamailioInstalled, sipCall, sipRegister, sippInstalled } from '@zkesim/apps/sip';
import { createIdentity, processListensOn, readSubscriberGroup, releaseProver } from '@zkesim/contracts';
import { run, startBackground } from '@zkesim/testing/stack/processes';
import { useTestStack } from '@zkesim/testing/stack/testStack';

const available = kamailioInstalled() && sippInstalled();
if (!available && process.env.CI === 'true') throw new Error(`kamailio and sipp are required in CI: ${SIP_INSTALL_HINT}`);

const t = useTestStack({ chain: true });
const zkesim = `node ${fileURLToPath(new URL('../../bin/zkesim.js', import.meta.url))}`;
const operatorDir = mkdtempSync(join(tmpdir(), 'zkesim-sip-operator-'));
const FINGERPRINT = `sha-256 ${Array.from({ length: 32 }, (_, i) => (255 - i).toString(16).toUpperCase()).join(':')}`;

afterAll(async () => {
  rmSync(operatorDir, { recursive: true, force: true });
  await releaseProver();
});

const lpaCli = () => `${zkesim} lpa --euicc tcp:127.0.0.1:${t.stack.euicc.port} --ci ${t.stack.ciPem}`;
const cliEnv = () => ({ ...process.env, ZKESIM_DATA_DIR: t.dataDir });
/** Resolves once process `pid` (or sipp, which it started) listens on 127.0.0.1:`port`, not any other process. */
async function waitForListener(pid: number | undefined, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (pid !== undefined && processListensOn(pid, port)) return;
    if (Date.now() > deadline) throw new Error(`the command does not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const payload = (stdout: string) => (JSON.parse(stdout) as { payload: { data: Record<string, unknown> } }).payload.data;

describe.skipIf(!available)('zkesim lpa identity sip-*', { timeout: 180_000 }, () => {
  it('registers the profile\'s address, calls another subscriber and answers its call, with the media keys checked', async () => {
    const sip = t.stack.sip.service;
    if (sip === undefined) throw new Error(`the stack started no SIP service: ${t.stack.sip.lines.join(' ')}`);
    const operator = openOperatorComponent({ kycStorePath: join(operatorDir, 'kyc.db'), api: { ...t.stack.es2 }, serviceDataDir: t.dataDir });
    const answer = await operator.onboardCustomer({ name: 'Grace Hopper', document: 'passport:US-1906-1209' }, { profileType: 'TS48V1-A-UNIQUE', eid: t.stack.euicc.eid }).finally(() => operator.close());
    await t.withStackLpa(async (lpa) => {
      await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: answer.order.matchingId });
      await lpa.enableProfile(answer.order.iccid);
    });
    const sipFlags = `--registrar ${sip.registrar} --domain ${sip.domain}`;
    // Without --port the command chooses the contact port (again, should another process take it first).
    const registered = await run(`${lpaCli()} identity sip-register ${sipFlags}`, { cwd: t.dataDir, env: cliEnv(), timeoutMs: 90_000 });
    expect(registered.code, registered.stdout + registered.stderr).toBe(0);
    const own = payload(registered.stdout);
    expect(own).toMatchObject({ status: 200, reason: 'OK' });
    const ownPort = Number(own.contactPort);
    expect(ownPort).toBeGreaterThan(0);
    expect(own.address).toMatch(/^zk-[a-z2-7]{32}@zkesim\.test$/);

    // A second subscriber, onboarded by the stack's operator account, registered with the library.
    const other = createIdentity();
    await t.stack.chain?.subscribers.onboard(other.commitment, undefined);
    const group = await readSubscriberGroup(t.stack.chain?.rpcUrl ?? '', answer.registry, 31337);
    const epoch = { domain: sip.domain, epochSeconds: 86_400, nowMs: Date.now() };
    const otherRegistration = await sipRegister(sip.registrar, other, group, epoch);
    expect(otherRegistration.status).toBe(200);
    const otherPort = otherRegistration.localPort;

    const callee = answerCall(otherPort, FINGERPRINT);
    const called = await run(`${lpaCli()} identity sip-call ${otherRegistration.address} ${sipFlags} --port ${ownPort} --fingerprint '${FINGERPRINT}'`, { cwd: t.dataDir, env: cliEnv(), timeoutMs: 90_000 });
    expect(called.code, called.stdout + called.stderr).toBe(0);
    expect(payload(called.stdout)).toMatchObject({ address: own.address, to: otherRegistration.address, status: 200, completed: true });
    expect((await callee.done).exitCode).toBe(0);

    const answering = startBackground(
      `${lpaCli()} identity sip-answer --port ${ownPort} --fingerprint '${FINGERPRINT}' --verifier ${sip.verifierUrl} --verifier-ca ${t.stack.ciPem} --timeout 60`,
      { cwd: t.dataDir, env: cliEnv() },
    );
    // sipp listens once the command has read the card and started it.
    await waitForListener(answering.child.pid, ownPort, 60_000);
    const call = await sipCall(sip.registrar, other, group, epoch, String(own.address), FINGERPRINT, otherPort);
    expect([call.status, call.sipp.exitCode]).toEqual([200, 0]);
    if (answering.child.exitCode === null) await new Promise((resolve) => answering.child.once('exit', resolve));
    expect(answering.child.exitCode, answering.output()).toBe(0);
    const output = answering.output();
    const answered = JSON.parse(output.slice(output.indexOf('{'))) as { payload: { data: Record<string, unknown> } };
    expect(answered.payload.data).toMatchObject({ from: `sip:${otherRegistration.address}`, completed: true, media: { status: 200, address: otherRegistration.address } });

    // Bad input is refused before anything is proved or sent, naming the field.
    const badFingerprint = await run(`${lpaCli()} identity sip-call ${otherRegistration.address} ${sipFlags} --fingerprint 'AB:CD'`, { cwd: t.dataDir, env: cliEnv(), timeoutMs: 60_000 });
    expect(badFingerprint.code).toBe(1);
    expect(badFingerprint.stdout + badFingerprint.stderr).toContain('fingerprint');
    const badRegistrar = await run(`${lpaCli()} identity sip-register --registrar 'host name:1'`, { cwd: t.dataDir, env: cliEnv(), timeoutMs: 60_000 });
    expect(badRegistrar.code).toBe(1);
    expect(badRegistrar.stdout + badRegistrar.stderr).toContain('registrar');
  });
});
