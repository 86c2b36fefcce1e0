// Every refusal ES9+ must give (SGP.22 v2.2.2 §5.6.1 – §5.6.5 and their code tables), each
// through the real HTTPS server with the software eUICC producing the signed messages.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticateServerResponse, CancelSessionResponse, Certificate, EUICCInfo1, EuiccCancelSessionSigned, derOf, eidWithCheckDigits, imeiDigits, imeiToBytes, signRaw, tacToBytes, type IccidDigits,
} from '@zkesim/protocol';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { loadEntity, readCertificateFile, issueCrl } from '@zkesim/pki';
import { post, statusOf } from '@zkesim/testing/smdp/https';
import { startHarness, type Harness } from '@zkesim/testing/smdp/harness';
import { TestLpa } from '@zkesim/testing/smdp/lpa';
import { sgp26Eid } from '@zkesim/testing/smdp/sgp26Card';
import { sgp26 } from '@zkesim/testing/smdp/testPki';

let h: Harness;
let seq = 0;
const nextId = (): string => `NEG-${(seq += 1)}`;

beforeAll(async () => {
  h = await startHarness((config) => {
    config.limits.maxBodyBytes = 16 * 1024;
    config.limits.maxConcurrentPerAddress = 2;
    config.orders.confirmationCodeMaxAttempts = 3;
  }, 20);
});
afterAll(() => h.close());

/** An LPA that has run InitiateAuthentication and AuthenticateServer for `matchingId`. */
async function authenticatedLpa(matchingId: string, device = {}): Promise<TestLpa> {
  const lpa = await TestLpa.create(h.smdp.es9Url, h.pki.ciNist);
  expect(statusOf(await lpa.initiateAuthentication()).status).toBe('Executed-Success');
  await lpa.authenticateServer(matchingId, device);
  return lpa;
}

function codes(result: Awaited<ReturnType<TestLpa['es9']>>) {
  const { subjectCode, reasonCode } = statusOf(result);
  return `${subjectCode} / ${reasonCode}`;
}

describe('ES9+.InitiateAuthentication refusals (§5.6.1)', () => {
  it('refuses another SM-DP+ address (8.8.1 / 3.8)', async () => {
    const lpa = await TestLpa.create(h.smdp.es9Url, h.pki.ciNist);
    expect(codes(await lpa.initiateAuthentication('other.example.com'))).toBe('8.8.1 / 3.8');
  });

  it('refuses a replayed euiccChallenge (8.1 / 6.1)', async () => {
    const lpa = await TestLpa.create(h.smdp.es9Url, h.pki.ciNist);
    await lpa.initiateAuthentication();
    const euiccInfo1 = await lpa.es10.send(Uint8Array.of(0xbf, 0x20, 0x00));
    const replay = await lpa.es9('initiateAuthentication', {
      euiccChallenge: Buffer.from(lpa.euiccChallenge).toString('base64'),
      euiccInfo1: Buffer.from(euiccInfo1).toString('base64'),
      smdpAddress: 'testsmdpplus1.example.com',
    });
    expect(codes(replay)).toBe('8.1 / 6.1');
  });

  it('refuses an unsupported SVN (8.8.3 / 3.1), unknown CI key ids (8.8.2 / 3.1) and a CI usable one way only (8.8.4 / 3.7)', async () => {
    const nist = Uint8Array.from(Buffer.from('F54172BDF98A95D65CBEB88A38A1C11D800A85C3', 'hex'));
    const other = new Uint8Array(20).fill(7);
    const ask = (euiccInfo1: Parameters<typeof EUICCInfo1.encode>[0]) =>
      post(
        `${h.smdp.es9Url}/gsma/rsp2/es9plus/initiateAuthentication`,
        JSON.stringify({
          euiccChallenge: randomBytes(16).toString('base64'),
          euiccInfo1: Buffer.from(EUICCInfo1.encode(euiccInfo1)).toString('base64'),
          smdpAddress: 'testsmdpplus1.example.com',
        }),
        { ca: h.pki.ciNist },
      );
    const svn = Uint8Array.of(2, 2, 2);
    expect(codes(await ask({ svn: Uint8Array.of(3, 0, 0), euiccCiPKIdListForVerification: [nist], euiccCiPKIdListForSigning: [nist] }))).toBe('8.8.3 / 3.1');
    expect(codes(await ask({ svn, euiccCiPKIdListForVerification: [other], euiccCiPKIdListForSigning: [other] }))).toBe('8.8.2 / 3.1');
    expect(codes(await ask({ svn, euiccCiPKIdListForVerification: [nist], euiccCiPKIdListForSigning: [other] }))).toBe('8.8.4 / 3.7');
    expect(statusOf(await ask({ svn, euiccCiPKIdListForVerification: [nist], euiccCiPKIdListForSigning: [nist] })).status).toBe('Executed-Success');
  });

  it('refuses malformed base64 and malformed ASN.1 naming the field (1.6 / 2.1)', async () => {
    const lpa = await TestLpa.create(h.smdp.es9Url, h.pki.ciNist);
    const badBase64 = await lpa.es9('initiateAuthentication', { euiccChallenge: '!!!notbase64', euiccInfo1: 'vyA=', smdpAddress: 'x' });
    expect(codes(badBase64)).toBe('1.6 / 2.1');
    expect(badBase64.json()).toMatchObject({ header: { functionExecutionStatus: { statusCodeData: { subjectIdentifier: 'euiccChallenge' } } } });
    const badAsn1 = await lpa.es9('initiateAuthentication', {
      euiccChallenge: Buffer.alloc(16).toString('base64'),
      euiccInfo1: Buffer.from('BF2005800102', 'hex').toString('base64'),
      smdpAddress: 'testsmdpplus1.example.com',
    });
    expect(codes(badAsn1)).toBe('1.6 / 2.1');
    expect(badAsn1.json()).toMatchObject({ header: { functionExecutionStatus: { statusCodeData: { subjectIdentifier: 'euiccInfo1' } } } });
    const notJson = await lpa.es9('initiateAuthentication', '{"euiccChallenge":');
    expect(codes(notJson)).toBe('1.6 / 2.1');
  });

  it('refuses a non-JSON Content-Type (1.2.1 / 2.1) and an X-Admin-Protocol other than v2.* (1.2.2 / 2.1)', async () => {
    const url = `${h.smdp.es9Url}/gsma/rsp2/es9plus/initiateAuthentication`;
    expect(codes(await post(url, '{}', { ca: h.pki.ciNist, headers: { 'Content-Type': 'text/plain' } }))).toBe('1.2.1 / 2.1');
    expect(codes(await post(url, '{}', { ca: h.pki.ciNist, headers: { 'X-Admin-Protocol': 'gsma/rsp/v3.0.0' } }))).toBe('1.2.2 / 2.1');
  });

  it('answers 429 beyond the per-address concurrency limit', async () => {
    const open = [0, 1].map(() => {
      const req = request(`${h.smdp.es9Url}/gsma/rsp2/es9plus/initiateAuthentication`, {
        method: 'POST',
        ca: readFileSync(h.pki.ciNist),
        servername: 'testsmdpplus1.example.com',
        headers: { 'Content-Type': 'application/json', 'Content-Length': '100' },
      });
      req.on('error', () => undefined);
      req.write('{');
      return req;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lpa = await TestLpa.create(h.smdp.es9Url, h.pki.ciNist);
    expect((await lpa.es9('initiateAuthentication', {})).status).toBe(429);
    for (const req of open) req.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await lpa.es9('initiateAuthentication', {})).status).toBe(200);
  });

  it('answers 413 to an oversized body', async () => {
    const lpa = await TestLpa.create(h.smdp.es9Url, h.pki.ciNist);
    const result = await lpa.es9('initiateAuthentication', { euiccChallenge: 'A'.repeat(20_000) });
    expect(result.status).toBe(413);
  });
});

describe('ES9+.AuthenticateClient refusals (§5.6.3)', () => {
  it('refuses an unknown transactionId (8.10.1 / 3.9)', async () => {
    const id = nextId();
    await h.order({ eid: sgp26Eid, matchingId: id });
    const lpa = await authenticatedLpa(id);
    expect(codes(await lpa.authenticateClient(lpa.authenticateServerResponse, '00112233445566778899AABBCCDDEEFF'))).toBe('8.10.1 / 3.9');
  });

  it('runs a transaction once: a replayed AuthenticateClient is an unknown transaction (8.10.1 / 3.9)', async () => {
    const id = nextId();
    await h.order({ eid: sgp26Eid, matchingId: id });
    const lpa = await authenticatedLpa(id);
    expect(statusOf(await lpa.authenticateClient()).status).toBe('Executed-Success');
    expect(codes(await lpa.authenticateClient())).toBe('8.10.1 / 3.9');
  });

  it('refuses a bad euiccSignature1 (8.1 / 6.1)', async () => {
    const id = nextId();
    await h.order({ eid: sgp26Eid, matchingId: id });
    const lpa = await authenticatedLpa(id);
    const response = AuthenticateServerResponse.decode(lpa.authenticateServerResponse);
    if (!('authenticateResponseOk' in response)) throw new Error('card refused');
    const signature = response.authenticateResponseOk.euiccSignature1.slice();
    signature[10] = (signature[10] ?? 0) ^ 0x01;
    const tampered = AuthenticateServerResponse.encode({ authenticateResponseOk: { ...response.authenticateResponseOk, euiccSignature1: signature } });
    expect(codes(await lpa.authenticateClient(tampered))).toBe('8.1 / 6.1');
  });

  it('refuses an eUICC chain to an unknown CI (8.11.1 / 3.9)', async () => {
    const id = nextId();
    await h.order({ eid: sgp26Eid, matchingId: id });
    const lpa = await authenticatedLpa(id);
    const response = AuthenticateServerResponse.decode(lpa.authenticateServerResponse);
    if (!('authenticateResponseOk' in response)) throw new Error('card refused');
    const otherEum = Certificate.decode(new Uint8Array(readFileSync(sgp26('EUM/CERT_EUM_ECDSA_BRP.der'))));
    const swapped = AuthenticateServerResponse.encode({ authenticateResponseOk: { ...response.authenticateResponseOk, eumCertificate: otherEum } });
    expect(codes(await lpa.authenticateClient(swapped))).toMatch(/^8\.11\.1 \/ 3\.9$|^8\.1\.2 \/ 6\.1$/);
  });

  it('refuses an eUICC certificate whose key is the point at infinity or off the curve (8.1.3 / 6.1), and keeps serving', async () => {
    const id = nextId();
    await h.order({ eid: sgp26Eid, matchingId: id });
    for (const point of [Uint8Array.of(0x00), Uint8Array.from([0x04, ...new Uint8Array(64)])]) {
      const lpa = await authenticatedLpa(id);
      const response = AuthenticateServerResponse.decode(lpa.authenticateServerResponse);
      if (!('authenticateResponseOk' in response)) throw new Error('card refused');
      const certificate = response.authenticateResponseOk.euiccCertificate;
      const tbs = certificate.tbsCertificate;
      // SEC 1's encoding of infinity (00) used to reach OpenSSL, and node aborted the process on the key's details.
      const euiccCertificate = { ...certificate, tbsCertificate: { ...tbs, subjectPublicKeyInfo: { ...tbs.subjectPublicKeyInfo, subjectPublicKey: { bytes: point, unusedBits: 0 } } } };
      const changed = AuthenticateServerResponse.encode({ authenticateResponseOk: { ...response.authenticateResponseOk, euiccCertificate } });
      expect(codes(await lpa.authenticateClient(changed))).toBe('8.1.3 / 6.1');
    }
    // The server is still up and the order still downloadable.
    const lpa = await authenticatedLpa(id);
    expect(statusOf(await lpa.authenticateClient()).status).toBe('Executed-Success');
  });

  it('refuses an expired session (8.10.1 / 3.9)', async () => {
    const id = nextId();
    await h.order({ eid: sgp26Eid, matchingId: id });
    const lpa = await authenticatedLpa(id);
    h.advanceClock(11 * 60 * 1000);
    try {
      expect(codes(await lpa.authenticateClient())).toBe('8.10.1 / 3.9');
    } finally {
      h.advanceClock(-11 * 60 * 1000);
    }
  });

  it('refuses a wrong MatchingID (8.2.6 / 3.8)', async () => {
    await h.order({ eid: sgp26Eid, matchingId: nextId() });
    const lpa = await authenticatedLpa('NO-SUCH-ORDER');
    expect(codes(await lpa.authenticateClient())).toBe('8.2.6 / 3.8');
  });

  it('refuses an order bound to another EID (8.1.1 / 3.8)', async () => {
    const id = nextId();
    await h.order({ eid: '89049032123451234512345678909965', matchingId: id });
    const lpa = await authenticatedLpa(id);
    expect(codes(await lpa.authenticateClient())).toBe('8.1.1 / 3.8');
  });

  it('refuses the default SM-DP+ use (no MatchingID) when no order waits for this EID (8.1.1 / 3.8)', async () => {
    const lpa = await authenticatedLpa(undefined as unknown as string);
    expect(codes(await lpa.authenticateClient())).toBe('8.1.1 / 3.8');
  });

  it('refuses a profile bound to another eUICC (8.2 / 3.7); the eUICC it is bound to may retry', async () => {
    const id = nextId();
    const iccid = (await h.order({ matchingId: id })) as IccidDigits;
    const first = await authenticatedLpa(id);
    expect(statusOf(await first.authenticateClient()).status).toBe('Executed-Success');
    await first.prepareDownload();
    expect(statusOf(await first.getBoundProfilePackage()).status).toBe('Executed-Success');
    const retry = await authenticatedLpa(id);
    expect(statusOf(await retry.authenticateClient()).status).toBe('Executed-Success');
    // Every card of this harness has the SGP.26 EID: the binding is moved to another EID to stand for another card.
    await h.smdp.repository.transaction(async (tx) => {
      const order = await tx.getOpenOrderByIccid(iccid);
      if (order !== undefined) await tx.updateOrder(order.orderId, { boundEid: eidWithCheckDigits(`89049032${'0'.repeat(21)}7`) });
    });
    const other = await authenticatedLpa(id);
    expect(codes(await other.authenticateClient())).toBe('8.2 / 3.7');
  });

  it('refuses a device on the IMEI blocklist before binding (8.2.5 / 4.3)', async () => {
    const id = nextId();
    const iccid = (await h.order({ eid: sgp26Eid, matchingId: id })) as IccidDigits;
    await h.smdp.repository.transaction((tx) => tx.blockImei(imeiDigits('490154203237518'), 'stolen', 0));
    // TBCD of 490154203237518 with F filler (3GPP TS 24.008).
    const imei = Uint8Array.from(Buffer.from('9410452023735781'.replace(/(.)(.)/g, '$1$2'), 'hex'));
    const lpa = await authenticatedLpa(id, { imei: Uint8Array.from([0x94, 0x10, 0x45, 0x02, 0x23, 0x73, 0x15, 0xf8]) });
    expect(imei).toHaveLength(8);
    expect(codes(await lpa.authenticateClient())).toBe('8.2.5 / 4.3');
    expect((await h.smdp.repository.transaction((tx) => tx.getProfile(iccid)))?.state).toBe('released');
  });
});

describe('order state refusals in AuthenticateClient', () => {
  const withOrder = async (change: (orderId: number) => Promise<void> | void, released = true): Promise<string> => {
    const id = nextId();
    const ordered = await h.es2('downloadOrder', { eid: sgp26Eid, profileType: 'TS48V1-A-UNIQUE' });
    const iccid = String(ordered.json().iccid) as IccidDigits;
    await h.es2('confirmOrder', { iccid, matchingId: id, releaseFlag: released });
    const order = await h.smdp.repository.transaction((tx) => tx.getOpenOrderByIccid(iccid));
    await change(order?.orderId ?? 0);
    return id;
  };

  it('refuses a profile that is confirmed but not released (8.2 / 1.2)', async () => {
    const id = await withOrder(() => undefined, false);
    expect(codes(await (await authenticatedLpa(id)).authenticateClient())).toBe('8.2 / 1.2');
  });

  it('refuses an expired order (8.8.5 / 4.10) and closes it', async () => {
    const id = await withOrder((orderId) => h.smdp.repository.transaction((tx) => tx.updateOrder(orderId, { expiresAt: Date.now() - 1000 })));
    expect(codes(await (await authenticatedLpa(id)).authenticateClient())).toBe('8.8.5 / 4.10');
    expect(codes(await (await authenticatedLpa(id)).authenticateClient())).toBe('8.2.6 / 3.8');
  });

  it('refuses an order whose download attempts are used up (8.8.5 / 6.4)', async () => {
    const id = await withOrder((orderId) =>
      h.smdp.repository.transaction(async (tx) => {
        for (let attempt = 0; attempt < 5; attempt++) await tx.incrementDownloadAttempts(orderId);
      }),
    );
    expect(codes(await (await authenticatedLpa(id)).authenticateClient())).toBe('8.8.5 / 6.4');
  });
});

describe('per-order device constraints', () => {
  it('refuses a device type (TAC) the order does not allow (8.2.5 / 4.3)', async () => {
    const id = nextId();
    const iccid = (await h.order({ eid: sgp26Eid, matchingId: id })) as IccidDigits;
    await h.smdp.repository.transaction(async (tx) => {
      const order = await tx.getOpenOrderByIccid(iccid);
      await tx.updateOrder(order?.orderId ?? 0, { deviceConstraints: { allowedTacs: ['86000000'] } });
    });
    const lpa = await authenticatedLpa(id, { tac: Uint8Array.of(0x35, 0x29, 0x06, 0x11) });
    expect(codes(await lpa.authenticateClient())).toBe('8.2.5 / 4.3');
    const allowed = await authenticatedLpa(id, { tac: Uint8Array.of(0x86, 0x00, 0x00, 0x00) });
    expect(statusOf(await allowed.authenticateClient()).status).toBe('Executed-Success');
  });

  it('allows a TAC sent in either coding: plain BCD, or the nibble-swapped bytes of the IMEI (lpac -i)', async () => {
    const id = nextId();
    const iccid = (await h.order({ eid: sgp26Eid, matchingId: id })) as IccidDigits;
    await h.smdp.repository.transaction(async (tx) => {
      const order = await tx.getOpenOrderByIccid(iccid);
      await tx.updateOrder(order?.orderId ?? 0, { deviceConstraints: { allowedTacs: ['35693803'] } });
    });
    const imei = imeiToBytes('356938035643809');
    // lpac with `-i 356938035643809` sends tac 53 96 83 30, the first 4 IMEI bytes as they are.
    const swapped = await authenticatedLpa(id, { tac: imei.slice(0, 4), imei });
    expect(statusOf(await swapped.authenticateClient()).status).toBe('Executed-Success');
    const plain = await authenticatedLpa(id, { tac: tacToBytes('35693803') });
    expect(statusOf(await plain.authenticateClient()).status).toBe('Executed-Success');
    // Another TAC stays refused in either coding.
    const other = imeiToBytes('490154203237518');
    expect(codes(await (await authenticatedLpa(id, { tac: other.slice(0, 4), imei: other })).authenticateClient())).toBe('8.2.5 / 4.3');
    expect(codes(await (await authenticatedLpa(id, { tac: tacToBytes('49015420') })).authenticateClient())).toBe('8.2.5 / 4.3');
  });
});

describe('ES9+.GetBoundProfilePackage confirmation code (§5.6.2)', () => {
  it('refuses a wrong code (8.2.7 / 3.8) and locks the order after the limit (8.2.7 / 6.4)', async () => {
    const id = nextId();
    const iccid = (await h.order({ eid: sgp26Eid, matchingId: id, confirmationCode: '1234' })) as IccidDigits;
    const attempt = async (code: string | undefined): Promise<string> => {
      const lpa = await authenticatedLpa(id);
      expect(statusOf(await lpa.authenticateClient()).status).toBe('Executed-Success');
      await lpa.prepareDownload(code);
      return codes(await lpa.getBoundProfilePackage());
    };
    // A card refuses PrepareDownload without hashCc when ccRequiredFlag is set; the SM-DP+ then fails the call.
    expect(await attempt(undefined)).toBe('8.1 / 6.1');
    expect(await attempt('0000')).toBe('8.2.7 / 3.8');
    expect(await attempt('1111')).toBe('8.2.7 / 3.8');
    expect(await attempt('2222')).toBe('8.2.7 / 6.4');
    expect((await h.smdp.repository.transaction((tx) => tx.getProfile(iccid)))?.state).toBe('error');
    // The order is closed: even the right code no longer finds it.
    const lpa = await authenticatedLpa(id);
    expect(codes(await lpa.authenticateClient())).toBe('8.2.6 / 3.8');
  });
});

describe('ES9+.GetBoundProfilePackage confirmation codes per source', () => {
  let limited: Harness;
  beforeAll(async () => {
    limited = await startHarness((config) => {
      config.orders.confirmationCodeMaxAttempts = 3;
      config.orders.confirmationCodeSourceMaxFailures = 2;
    }, 6);
  });
  afterAll(() => limited.close());

  it('refuses every code from a source that sent too many wrong ones, whichever the order', async () => {
    const attempt = async (matchingId: string, code: string): Promise<string> => {
      const lpa = await TestLpa.create(limited.smdp.es9Url, limited.pki.ciNist);
      expect(statusOf(await lpa.initiateAuthentication()).status).toBe('Executed-Success');
      await lpa.authenticateServer(matchingId);
      expect(statusOf(await lpa.authenticateClient()).status).toBe('Executed-Success');
      await lpa.prepareDownload(code);
      const result = await lpa.getBoundProfilePackage();
      return statusOf(result).status === 'Executed-Success' ? 'ok' : codes(result);
    };
    // One wrong code on each of two orders: each order is below its own limit of 3.
    for (const id of ['SRC-1', 'SRC-2']) {
      await limited.order({ eid: sgp26Eid, matchingId: id, confirmationCode: '1234' });
      expect(await attempt(id, '9999')).toBe('8.2.7 / 3.8');
    }
    // This address has now sent 2 wrong codes: a third order's right code is refused too, and the order is not charged.
    const iccid = (await limited.order({ eid: sgp26Eid, matchingId: 'SRC-3', confirmationCode: '1234' })) as IccidDigits;
    expect(await attempt('SRC-3', '1234')).toBe('8.2.7 / 3.8');
    expect((await limited.smdp.repository.transaction((tx) => tx.getOpenOrderByIccid(iccid)))?.confirmationCodeAttempts).toBe(0);
    // Once the window has passed, the right code goes through.
    limited.advanceClock(2 * 3600_000);
    expect(await attempt('SRC-3', '1234')).toBe('ok');
  });
});

describe('revoked EUM certificate', () => {
  let revoked: Harness;
  beforeAll(async () => {
    const ci = loadEntity(sgp26('CertificateIssuer/CERT_CI_ECDSA_NIST.pem'), sgp26('CertificateIssuer/SK_CI_ECDSA_NIST.pem'));
    const eum = readCertificateFile(sgp26('EUM/CERT_EUM_ECDSA_NIST.der'));
    const now = new Date();
    const crl = issueCrl({
      issuer: { certificate: ci.certificate, signer: ci.signer },
      thisUpdate: new Date(now.getTime() - 3600_000),
      nextUpdate: new Date(now.getTime() + 30 * 24 * 3600_000),
      crlNumber: 1,
      revoked: [{ serialNumber: eum.serialNumber, revocationDate: new Date(now.getTime() - 3600_000) }],
    });
    revoked = await startHarness((config) => {
      if (config.storage.kind !== 'sqlite') throw new Error('the harness stores in SQLite');
      const path = join(config.storage.path, '..', 'ci-nist.crl.der');
      writeFileSync(path, crl.der);
      config.crls = [path];
    }, 1);
  });
  afterAll(() => revoked.close());

  it('refuses the eUICC whose EUM is on the CI CRL (8.1.2 / 6.1)', async () => {
    await revoked.order({ eid: sgp26Eid, matchingId: 'REVOKED-1' });
    const lpa = await TestLpa.create(revoked.smdp.es9Url, revoked.pki.ciNist);
    await lpa.initiateAuthentication();
    await lpa.authenticateServer('REVOKED-1');
    expect(codes(await lpa.authenticateClient())).toBe('8.1.2 / 6.1');
  });
});

describe('ES9+.CancelSession (§5.6.5)', () => {
  const signedCancel = (transactionId: string, smdpOid: string, tamper = false): string => {
    const signed = EuiccCancelSessionSigned.encode({ transactionId: Buffer.from(transactionId, 'hex'), smdpOid, reason: 0 });
    const signature = signRaw(createPrivateKey(readFileSync(sgp26('eUICC/SK_EUICC_ECDSA_NIST.pem'))), signed);
    if (tamper) signature[5] = (signature[5] ?? 0) ^ 1;
    const response = CancelSessionResponse.encode({
      cancelSessionResponseOk: { euiccCancelSessionSigned: EuiccCancelSessionSigned.decode(signed), euiccCancelSessionSignature: signature },
    });
    return Buffer.from(response).toString('base64');
  };

  it('keeps the order downloadable when the end user postpones after binding', async () => {
    const id = nextId();
    const iccid = (await h.order({ eid: sgp26Eid, matchingId: id })) as IccidDigits;
    const lpa = await authenticatedLpa(id);
    expect(statusOf(await lpa.authenticateClient()).status).toBe('Executed-Success');
    await lpa.prepareDownload();
    expect(statusOf(await lpa.getBoundProfilePackage()).status).toBe('Executed-Success');
    const tid = Buffer.from(lpa.transactionId, 'hex');
    const cancel = await lpa.es10.send(Uint8Array.from([0xbf, 0x41, tid.length + 5, 0x80, tid.length, ...tid, 0x81, 0x01, 0x01]));
    const result = await lpa.es9('cancelSession', { transactionId: lpa.transactionId, cancelSessionResponse: Buffer.from(cancel).toString('base64') });
    expect(statusOf(result).status).toBe('Executed-Success');
    expect((await h.smdp.repository.transaction((tx) => tx.getProfile(iccid)))?.state).toBe('released');
    const retry = await authenticatedLpa(id);
    expect(statusOf(await retry.authenticateClient()).status).toBe('Executed-Success');
  });

  it('refuses another SM-DP+ OID (8.8 / 3.10) and a bad signature (8.1 / 6.1)', async () => {
    const id = nextId();
    await h.order({ eid: sgp26Eid, matchingId: id });
    const lpa = await authenticatedLpa(id);
    expect(statusOf(await lpa.authenticateClient()).status).toBe('Executed-Success');
    const wrongOid = await lpa.es9('cancelSession', { transactionId: lpa.transactionId, cancelSessionResponse: signedCancel(lpa.transactionId, '2.999.99') });
    expect(codes(wrongOid)).toBe('8.8 / 3.10');
    const again = await authenticatedLpa(id);
    expect(statusOf(await again.authenticateClient()).status).toBe('Executed-Success');
    const forged = await again.es9('cancelSession', { transactionId: again.transactionId, cancelSessionResponse: signedCancel(again.transactionId, '2.999.10', true) });
    expect(codes(forged)).toBe('8.1 / 6.1');
  });

  it('ends the order on endUserRejection, verified with the eUICC signature', async () => {
    const id = nextId();
    const iccid = (await h.order({ eid: sgp26Eid, matchingId: id })) as IccidDigits;
    const lpa = await authenticatedLpa(id);
    expect(statusOf(await lpa.authenticateClient()).status).toBe('Executed-Success');
    const tid = Buffer.from(lpa.transactionId, 'hex');
    const cancel = await lpa.es10.send(Uint8Array.from([0xbf, 0x41, tid.length + 5, 0x80, tid.length, ...tid, 0x81, 0x01, 0x00]));
    const result = await lpa.es9('cancelSession', { transactionId: lpa.transactionId, cancelSessionResponse: Buffer.from(cancel).toString('base64') });
    expect(statusOf(result).status).toBe('Executed-Success');
    expect((await h.smdp.repository.transaction((tx) => tx.getProfile(iccid)))?.state).toBe('error');
    expect(codes(await lpa.es9('cancelSession', { transactionId: lpa.transactionId, cancelSessionResponse: Buffer.from(cancel).toString('base64') }))).toBe('8.10.1 / 3.9');
    expect(derOf).toBeTypeOf('function');
  });
});
