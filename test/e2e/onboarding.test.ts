// The operator onboarding end to end (ZK identity layer): the operator component keeps the KYC record in its own
// store and calls the onboarding API over mutual TLS with only the record's reference; the answer names the
// subscriber's contract, the commitment and the order; the order downloads into the stack's software eUICC with
// the identity inside; `zkesim lpa identity prove` makes a proof from it that `zkesim chain verify-proof` accepts
// on chain, and a proof made the same way authorises a call of the subscriber's contract (executeWithProof),
// while the same proof again (its nonce spent) is refused. Wrong scope, reused nullifier, outsider and removed
// member at the contract level: contracts/test/identity.test.ts. Also the API's refusals:
// no client certificate, another certificate, a bad EIP-55 wallet; and idempotency on the KYC reference. Last, the
// right to erasure through the operator component: the KYC record, the link and the group membership go, the
// identity no longer proves, a repeated request erases nothing, another subscriber is untouched. And an onboarding
// that requires a confirmation code: the order keeps its digest only, the activation code carries the flag, a wrong
// code at download is refused (ES9+ 8.2.7 / 3.8), a repeat with another code is refused, the right code downloads.
import { X509Certificate, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DownloadAborted, parseActivationCode } from '@zkesim/lpa-core';
import { iccidDigits } from '@zkesim/protocol';
import {
  OnboardingApiError, OperatorConfigError, callErasureApi, callOnboardingApi, onboardingFiles, openOperatorComponent, type OperatorComponent,
} from '@zkesim/apps';
import {
  SubscriberRegistry, connectSubscriber, createIdentity, parseSemaphoreProof, readDeployment, subscriberCallMessage, subscriberCallScope, toSolidityProof,
} from '@zkesim/contracts';
import { ONBOARDING_PATH, referenceHash } from '@zkesim/sm-dp-plus';
import { fundedWallet, testProvider } from '@zkesim/testing/chain/nodes';
import { revertOf } from '@zkesim/testing/chain/reverts';
import { run } from '@zkesim/testing/stack/processes';
import { useTestStack } from '@zkesim/testing/stack/testStack';

const t = useTestStack({ chain: true });
const zkesim = `node ${fileURLToPath(new URL('../../bin/zkesim.js', import.meta.url))}`;
const operatorDir = mkdtempSync(join(tmpdir(), 'zkesim-operator-'));
const customer = { name: 'Ada Lovelace', document: 'passport:GB-1815-1210' };
const PROFILE_TYPE = 'TS48V1-A-UNIQUE';
const strangerSecret = new Uint8Array(randomBytes(32));

afterAll(() => rmSync(operatorDir, { recursive: true, force: true }));

function api() {
  const es2 = t.stack.es2;
  return { url: es2.url, servername: es2.servername, ca: es2.ca, cert: es2.cert, key: es2.key };
}

function operatorComponent(): OperatorComponent {
  return openOperatorComponent({ kycStorePath: join(operatorDir, 'kyc.db'), api: api(), serviceDataDir: t.dataDir });
}

/** Every file of our services (SM-DP+ store and onboarding store with their WALs, chain folder), as bytes. */
function serviceFiles(): Buffer {
  const files: string[] = [];
  for (const folder of [join(t.dataDir, 'smdp'), join(t.dataDir, 'chain')]) {
    for (const name of readdirSync(folder, { recursive: true }) as string[]) {
      const path = join(folder, name);
      if (existsSync(path) && !name.includes('anvil-state') && /\.(db|db-wal|sqlite|sqlite-wal|json|log)$/.test(name)) files.push(path);
    }
  }
  return Buffer.concat(files.map((path) => readFileSync(path)));
}

/** A POST to the onboarding API with `cert`/`key` (or none): the HTTP status, or the TLS error's code. */
function postWith(tls: { cert?: string; key?: string }): Promise<number | string> {
  const es2 = t.stack.es2;
  return new Promise((resolve) => {
    const req = request(
      `${es2.url}${ONBOARDING_PATH}`,
      {
        method: 'POST',
        ca: new X509Certificate(readFileSync(es2.ca)).toString(),
        ...(tls.cert === undefined ? {} : { cert: new X509Certificate(readFileSync(tls.cert)).toString() }),
        ...(tls.key === undefined ? {} : { key: readFileSync(tls.key) }),
        servername: es2.servername,
        headers: { 'Content-Type': 'application/json' },
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end(JSON.stringify({ kycReference: 'kyc-intruder', profileType: PROFILE_TYPE }));
  });
}


const lpaCli = () => `${zkesim} lpa --euicc tcp:127.0.0.1:${t.stack.euicc.port} --ci ${t.stack.ciPem}`;
const cliEnv = () => ({ ...process.env, ZKESIM_DATA_DIR: t.dataDir });

describe('operator onboarding', { timeout: 120_000 }, () => {
  let answer: Awaited<ReturnType<OperatorComponent['onboardCustomer']>>;
  let registry: SubscriberRegistry;
  let concurrent: Awaited<ReturnType<typeof callOnboardingApi>>;

  it('onboards a customer from a KYC reference: contract on chain, commitment in the group, an order for the eSIM', async () => {
    const operator = operatorComponent();
    try {
      answer = await operator.onboardCustomer(customer, { profileType: PROFILE_TYPE, eid: t.stack.euicc.eid });
      // The operator keeps the record; only its reference went out.
      expect(operator.kyc.get(answer.kycReference)).toMatchObject(customer);
    } finally {
      operator.close();
    }
    expect(answer.subscriberContract).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(answer.order.activationCode).toBe(`LPA:1$${t.stack.smdpAddress}$${answer.order.matchingId}`);
    const deployment = readDeployment(join(t.dataDir, 'chain'));
    if (deployment === undefined) throw new Error('no deployment');
    const provider = testProvider(t.stack.chain?.rpcUrl ?? '');
    registry = new SubscriberRegistry(deployment.subscriberFactory, provider, deployment.blockNumber);
    expect(answer.registry).toBe(deployment.subscriberFactory);
    expect(await registry.isMember(BigInt(answer.commitment))).toBe(true);
    expect(await provider.getCode(answer.subscriberContract)).not.toBe('0x');
  });

  it('answers a repeated KYC reference with the same subscriber and order, placing nothing new', async () => {
    const available = () => t.stack.smdp.repository.transaction((tx) => tx.countProfiles('available'));
    const before = await available();
    const operator = operatorComponent();
    try {
      const again = await operator.onboardCustomer(customer, { profileType: PROFILE_TYPE, eid: t.stack.euicc.eid });
      expect(again).toEqual(answer);
    } finally {
      operator.close();
    }
    expect(await available()).toBe(before);
    // The same reference with another wallet contradicts the first onboarding.
    const conflict = await callOnboardingApi(api(), { kycReference: answer.kycReference, wallet: '0x52908400098527886E0F7030069857D2E4169EE7', profileType: PROFILE_TYPE })
      .catch((e: unknown) => e);
    expect(conflict).toMatchObject({ status: 409, field: 'wallet' });
    // Two requests at once for a new reference: one onboarding, one order, the same answer twice.
    const request = { kycReference: 'kyc-concurrent-1', profileType: PROFILE_TYPE };
    const [first, second] = await Promise.all([callOnboardingApi(api(), request), callOnboardingApi(api(), request)]);
    expect(second).toEqual(first);
    expect(await available()).toBe(before - 1);
    concurrent = first;
  });

  it('keeps KYC data and the reference out of our services: neither in their files, and the configuration refuses the KYC store in their folders', () => {
    const ours = serviceFiles();
    expect(ours.length).toBeGreaterThan(0);
    for (const value of [customer.name, customer.document, answer.kycReference]) expect(ours.includes(Buffer.from(value))).toBe(false);
    // What our store keeps instead: the keyed hash of the reference, linked to the commitment and the order.
    const key = new Uint8Array(readFileSync(onboardingFiles(t.dataDir).keyPath));
    expect(t.stack.smdp.onboarding?.get(referenceHash(key, 'operator', answer.kycReference))).toMatchObject({
      commitment: answer.commitment, subscriberContract: answer.subscriberContract, iccid: answer.order.iccid, state: 'onboarded',
    });
    expect(ours.includes(readFileSync(onboardingFiles(t.dataDir).storePath))).toBe(true);
    expect(() =>
      openOperatorComponent({ kycStorePath: join(t.dataDir, 'smdp', 'kyc.db'), api: api(), serviceDataDir: t.dataDir }),
    ).toThrow(OperatorConfigError);
    expect(existsSync(join(t.dataDir, 'smdp', 'kyc.db'))).toBe(false);
  });

  it('refuses a caller without a client certificate or with a certificate of no configured operator', async () => {
    const refused = (status: number | string) => status === 403 || typeof status === 'string';
    expect(refused(await postWith({}))).toBe(true);
    const other = t.stack.pki.nist.dptls;
    expect(refused(await postWith({ cert: other.certificatePath, key: other.keyPath }))).toBe(true);
  });

  it('refuses a wallet whose EIP-55 checksum is wrong, naming the field', async () => {
    const checksummed = '0x52908400098527886E0F7030069857D2E4169EE7';
    const broken = checksummed.replace('E0F', 'e0F');
    const error = await callOnboardingApi(api(), { kycReference: 'kyc-bad-wallet', wallet: broken, profileType: PROFILE_TYPE }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnboardingApiError);
    expect(error).toMatchObject({ status: 400, field: 'wallet' });
    expect((error as Error).message).toMatch(/EIP-55 checksum/);
  });

  it('downloads the order with the identity; `identity prove` makes a proof the chain accepts for the subscriber group', async () => {
    await t.withStackLpa(async (lpa) => {
      await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: answer.order.matchingId });
      await lpa.enableProfile(answer.order.iccid);
      expect(await lpa.readSubscriberIdentity()).toMatchObject({ iccid: answer.order.iccid, commitment: answer.commitment, subscriberContract: answer.subscriberContract.toLowerCase() });
    });
    const proofFile = join(t.dataDir, 'membership-proof.json');
    const proved = await run(`${lpaCli()} identity prove --scope 42 --message hello --out ${proofFile}`, { cwd: t.dataDir, env: cliEnv(), timeoutMs: 90_000 });
    expect(proved.code, proved.stderr).toBe(0);
    const verified = await run(`${zkesim} chain verify-proof ${proofFile}`, { cwd: t.dataDir, env: cliEnv(), timeoutMs: 90_000 });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/on chain\s+valid/);
    expect(verified.stdout).toMatch(/group\s+accepted by subscriber group/);
  });

  it("authorises a call of the subscriber's contract; the spent proof is refused", async () => {
    const provider = testProvider(t.stack.chain?.rpcUrl ?? '');
    const relayer = await fundedWallet(provider);
    const contract = connectSubscriber(answer.subscriberContract, relayer);
    const call = { target: relayer.address, value: 0n, data: '0x' };
    const scope = subscriberCallScope(answer.chainId, answer.subscriberContract, await contract.proofNonce());
    const message = subscriberCallMessage(call.target, call.value, call.data);
    const proofFile = join(t.dataDir, 'call-proof.json');
    const proved = await run(`${lpaCli()} identity prove --group self --scope ${scope} --message ${message} --out ${proofFile}`, {
      cwd: t.dataDir, env: cliEnv(), timeoutMs: 90_000,
    });
    expect(proved.code, proved.stderr).toBe(0);
    const proof = toSolidityProof(parseSemaphoreProof(readFileSync(proofFile, 'utf8')));
    const receipt = await (await contract.executeWithProof(call.target, call.value, call.data, proof)).wait();
    expect(receipt?.status).toBe(1);
    expect(await contract.proofNonce()).toBe(1n);
    // The same proof again: its scope named nonce 0, which is spent.
    expect(await revertOf(contract.executeWithProof.staticCall(call.target, call.value, call.data, proof))).toBe('ProofScopeMismatch');
  });

  it('refuses to prove for an identity whose commitment is not in the subscriber group', async () => {
    // A profile carrying an identity nobody onboarded (set on the order directly), enabled on the same card.
    const stranger = createIdentity(Uint8Array.from(strangerSecret));
    const order = await t.order({
      eid: t.stack.euicc.eid,
      subscriberIdentity: {
        commitment: stranger.commitment, subscriberContract: answer.subscriberContract, chainId: answer.chainId, registry: answer.registry,
        identitySecret: strangerSecret,
      },
    });
    await t.withStackLpa(async (lpa) => {
      await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: order.matchingId });
      await lpa.enableProfile(order.iccid);
    });
    const proved = await run(`${lpaCli()} identity prove --scope 1 --message 1`, { cwd: t.dataDir, env: cliEnv(), timeoutMs: 90_000 });
    expect(proved.code).toBe(1);
    expect(proved.stderr).toMatch(/not a member of the subscriber group/);
  });

  it('onboards with a confirmation code: digest on the order, the flag in the activation code, only the right code downloads', async () => {
    const code = '27182818';
    const request = { kycReference: 'kyc-with-code', profileType: PROFILE_TYPE, eid: t.stack.euicc.eid, confirmationCode: code };
    const withCode = await callOnboardingApi(api(), request);
    // SGP.22 v2.2.2 §4.1: empty OID field, Confirmation Code Required Flag "1".
    expect(withCode.order.activationCode).toBe(`LPA:1$${t.stack.smdpAddress}$${withCode.order.matchingId}$$1`);
    expect(parseActivationCode(withCode.order.activationCode)).toMatchObject({ matchingId: withCode.order.matchingId, confirmationCodeRequired: true });
    expect(withCode.order.confirmationCodeRequired).toBe(true);
    const order = await t.stack.smdp.repository.transaction((tx) => tx.getOpenOrderByIccid(iccidDigits(withCode.order.iccid)));
    expect(Buffer.from(order?.confirmationCodeHash ?? [])).toEqual(createHash('sha256').update(code).digest());
    // The code itself is nowhere in our services' files.
    expect(serviceFiles().includes(Buffer.from(code))).toBe(false);
    // A repeat: with the same code, the same answer; with another, or none where one was given, refused.
    expect(await callOnboardingApi(api(), request)).toEqual(withCode);
    expect(await callOnboardingApi(api(), { ...request, confirmationCode: '31415926' }).catch((e: unknown) => e)).toMatchObject({ status: 409, field: 'confirmationCode' });
    expect(await callOnboardingApi(api(), { ...request, kycReference: answer.kycReference }).catch((e: unknown) => e)).toMatchObject({ status: 409, field: 'confirmationCode' });
    expect(await callOnboardingApi(api(), { ...request, kycReference: 'kyc-bad-code', confirmationCode: '12 34' }).catch((e: unknown) => e)).toMatchObject({ status: 400, field: 'confirmationCode' });
    await t.withStackLpa(async (lpa) => {
      const wrong = await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: withCode.order.matchingId, confirmationCode: '00000000' }).catch((e: unknown) => e);
      expect(wrong).toBeInstanceOf(DownloadAborted);
      expect((wrong as DownloadAborted).subjectCode).toBe('8.2.7');
      expect((wrong as DownloadAborted).reasonCode).toBe('3.8');
      await lpa.downloadProfile({ smdpAddress: t.stack.smdpAddress, matchingId: withCode.order.matchingId, confirmationCode: code });
      expect((await lpa.listProfiles()).map((profile) => profile.iccid)).toContain(withCode.order.iccid);
    });
  });

  it("erases the customer on the operator's request: KYC record, link and membership gone, no proof any more; idempotent", async () => {
    const key = new Uint8Array(readFileSync(onboardingFiles(t.dataDir).keyPath));
    const hash = referenceHash(key, 'operator', answer.kycReference);
    // A malformed request names the field and erases nothing.
    expect(await callErasureApi(api(), { kycReference: 5 } as unknown as { kycReference: string }).catch((e: unknown) => e)).toMatchObject({ status: 400, field: 'kycReference' });
    const operator = operatorComponent();
    try {
      expect(await operator.eraseCustomer(answer.kycReference)).toMatchObject({ erased: true, revoked: true, activityTagsErased: 1, kycRecordErased: true });
      expect(operator.kyc.get(answer.kycReference)).toBeUndefined();
      // Again: nothing left to erase on either side, and no error (a failed first attempt is repeated this way).
      expect(await operator.eraseCustomer(answer.kycReference)).toEqual({ erased: false, revoked: false, activityTagsErased: 0, identityTokensDropped: 0, kycRecordErased: false });
    } finally {
      operator.close();
    }
    expect(t.stack.smdp.onboarding?.get(hash)).toBeUndefined();
    expect(await t.stack.smdp.onboarding?.findLink({ commitment: BigInt(answer.commitment) })).toBeUndefined();
    expect(await registry.isMember(BigInt(answer.commitment))).toBe(false);
    // The other subscriber (the concurrent onboarding above) is untouched.
    expect(await registry.isMember(BigInt(concurrent.commitment))).toBe(true);
    // The identity on the card (its profile enabled again: the previous test enabled the stranger's) no longer
    // proves membership: its commitment left the group.
    await t.withStackLpa((lpa) => lpa.enableProfile(answer.order.iccid));
    const proved = await run(`${lpaCli()} identity prove --scope 43 --message 1`, { cwd: t.dataDir, env: cliEnv(), timeoutMs: 90_000 });
    expect(proved.code).toBe(1);
    expect(proved.stderr).toMatch(/not a member of the subscriber group/);
  });
});
