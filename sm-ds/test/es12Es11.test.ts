// The SM-DS over real TLS with a real eUICC and lpa-core's LPA: ES12 registration and deletion by SM-DP+s
// (mutual TLS, DPtls role), ES11 event retrieval with common mutual authentication, and the refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSmdsLab, type SmdsLab } from '@zkesim/testing/smds/lab';
import { refusedAtHandshake } from '@zkesim/testing/smdp/https';
import { sgp26 } from '@zkesim/testing/smdp/testPki';
import { reissueAtInfinity } from '@zkesim/testing/pki/keyAtInfinity';
import {
  AuthenticateServerResponse, Certificate, Es10Channel, RemoteFunctionFailed, RemoteProfileProvisioningRequest, RemoteProfileProvisioningResponse, ServerSigned1, derOf,
} from '@zkesim/protocol';
import { RspServerClient, authenticateServerRequest, buildDeviceInfo, es10b, type EuiccCard } from '@zkesim/testing/smds/peers';

let lab: SmdsLab;
let smds: Awaited<ReturnType<SmdsLab['startSmds']>>;
let offset = 0;
const otherEid = '89049032123451234512345678901235';
// Nothing listens there: discovery takes an address it cannot ask for an SM-DP+'s.
const smdpAddress = 'localhost:9';

beforeAll(async () => {
  lab = createSmdsLab();
  smds = await lab.startSmds('root', undefined, { clock: { now: () => Date.now() + offset } });
}, 60_000);
afterAll(async () => {
  await lab?.close();
});

function header(result: { json: () => Record<string, unknown> }): Record<string, unknown> {
  return (result.json().header as { functionExecutionStatus: Record<string, unknown> }).functionExecutionStatus;
}

function statusOf(result: { json: () => Record<string, unknown> }): string {
  const status = header(result);
  const data = status.statusCodeData as { subjectCode: string; reasonCode: string } | undefined;
  return data === undefined ? String(status.status) : `${data.subjectCode}/${data.reasonCode}`;
}

async function discover(card: EuiccCard, address = smds.address) {
  const lpa = await lab.openLpa(card);
  try {
    return (await lpa.discover(address)).eventEntries.map(({ eventId, rspServerAddress }) => ({ eventId, rspServerAddress }));
  } finally {
    await lpa.close();
  }
}

describe('ES12 and ES11', () => {
  it('registers an event, lists it for the EID only, and deletes it', async () => {
    const card = lab.card(smds.address);
    const register = await lab.es12(smds.address, 'registerEvent', { eid: lab.eid, rspServerAddress: smdpAddress, eventId: 'EVT-1' }, 'dptls');
    expect(register.status).toBe(200);
    expect(statusOf(register)).toBe('Executed-Success');
    // Another EID's event is invisible to this eUICC.
    expect(statusOf(await lab.es12(smds.address, 'registerEvent', { eid: otherEid, rspServerAddress: smdpAddress, eventId: 'EVT-OTHER' }, 'dptls'))).toBe('Executed-Success');
    // The root SM-DS address of the card is the default.
    const lpa = await lab.openLpa(card);
    const found = await lpa.discover();
    await lpa.close();
    expect(found).toEqual({ smdsAddress: smds.address, visited: [smds.address], skipped: [], eventEntries: [{ eventId: 'EVT-1', rspServerAddress: smdpAddress, smdsAddress: smds.address }] });
    expect(statusOf(await lab.es12(smds.address, 'deleteEvent', { eid: lab.eid, eventId: 'EVT-1' }, 'dptls'))).toBe('Executed-Success');
    expect(await discover(card)).toEqual([]);
    expect(statusOf(await lab.es12(smds.address, 'deleteEvent', { eid: otherEid, eventId: 'EVT-OTHER' }, 'dptls'))).toBe('Executed-Success');
  });

  it('serves the ES11 paths as well as the ES9+ ones', async () => {
    const card = lab.card(smds.address);
    const channel = await Es10Channel.open(card);
    const euiccChallenge = await es10b.getEuiccChallenge(channel);
    const euiccInfo1 = await es10b.getEuiccInfo1(channel);
    const response = await lab.post(smds.address, '/gsma/rsp2/es11/initiateAuthentication', { euiccChallenge: Buffer.from(euiccChallenge).toString('base64'), euiccInfo1: Buffer.from(euiccInfo1.bytes).toString('base64'), smdpAddress: smds.address });
    expect(statusOf(response)).toBe('Executed-Success');
    await channel.close();
  });

  it('treats a retried registration as done and a different one under the same EventID as a conflict (8.9.5 / 3.3)', async () => {
    const body = { eid: lab.eid, rspServerAddress: smdpAddress, eventId: 'EVT-DUP' };
    expect(statusOf(await lab.es12(smds.address, 'registerEvent', body, 'dptls'))).toBe('Executed-Success');
    expect(statusOf(await lab.es12(smds.address, 'registerEvent', body, 'dptls'))).toBe('Executed-Success');
    expect(statusOf(await lab.es12(smds.address, 'registerEvent', { ...body, rspServerAddress: 'other.example' }, 'dptls'))).toBe('8.9.5/3.3');
    // An address an LPA could not connect to as given is a malformed field, not an event.
    expect(statusOf(await lab.es12(smds.address, 'registerEvent', { ...body, eventId: 'EVT-BAD', rspServerAddress: 'smdp.example/evil' }, 'dptls'))).toBe('1.6/2.1');
    expect(statusOf(await lab.es12(smds.address, 'deleteEvent', { eid: lab.eid, eventId: 'EVT-DUP' }, 'dptls'))).toBe('Executed-Success');
  });

  it('refuses the TLS handshake of ES12 without a client certificate, with one of another CI or an expired one (SGP.22 §2.6.6), and one of another role with 1.1 / 1.2', async () => {
    const body = { eid: lab.eid, rspServerAddress: smdpAddress, eventId: 'EVT-NOCERT' };
    expect(await refusedAtHandshake(lab.es12(smds.address, 'registerEvent', body, 'none'))).toMatch(/^(ERR_SSL_|EPROTO|ECONNRESET)/);
    // The SGP.26 test SM-DP+'s DPtls: the right role, but under a CI this SM-DS does not trust.
    const nist = join(lab.pkiDir, 'nist');
    writeFileSync(join(nist, 'sgp26-dptls.cert.pem'), new X509Certificate(readFileSync(sgp26('DPtls/CERT_S_SM_DP_VARO_TLS_NIST.der'))).toString());
    copyFileSync(sgp26('DPtls/SK_S_SM_DP_TLS_NIST.pem'), join(nist, 'sgp26-dptls.key.pem'));
    expect(await refusedAtHandshake(lab.es12(smds.address, 'registerEvent', body, 'sgp26-dptls'))).toMatch(/^(ERR_SSL_|EPROTO|ECONNRESET)/);
    // A DPtls of the trusted CI that has expired.
    const day = 24 * 3600_000;
    const expired = lab.issueDpTls('expired-smdp.example', { notBefore: new Date(Date.now() - 30 * day), notAfter: new Date(Date.now() - day) });
    expect(await refusedAtHandshake(lab.es12(smds.address, 'registerEvent', body, expired))).toMatch(/^(ERR_SSL_|EPROTO|ECONNRESET)/);
    // ES11's port serves LPAs only: no ES12 there.
    expect((await lab.post(smds.address, '/gsma/rsp2/es12/registerEvent', body)).status).toBe(404);
    // The operator's ES2+ client certificate chains to the same CI but carries no SM-DP+ role.
    const operator = await lab.es12(smds.address, 'registerEvent', body, 'operator-client');
    expect(operator.status).toBe(403);
    // An SM-DS's certificate is accepted on ES15 only.
    const smdsCertificate = await lab.es12(smds.address, 'registerEvent', body, 'dstls');
    expect(statusOf(smdsCertificate)).toBe('1.1/1.2');
    expect(await smds.store.transaction((tx) => tx.listEvents(lab.eid as never, Date.now()))).toEqual([]);
  });

  it('answers 403 to a DPtls certificate of the trusted CI whose key is the point at infinity (its private key is 0), and goes on serving', async () => {
    const nist = join(lab.pkiDir, 'nist');
    const infinity = reissueAtInfinity(new Uint8Array(readFileSync(join(nist, 'dptls.cert.der'))), createPrivateKey(readFileSync(join(nist, 'ci.key.pem'))));
    writeFileSync(join(nist, 'infinity-dptls.cert.pem'), infinity.cert);
    writeFileSync(join(nist, 'infinity-dptls.key.pem'), infinity.key, { mode: 0o600 });
    const body = { eid: lab.eid, rspServerAddress: smdpAddress, eventId: 'EVT-INFINITY' };
    // The handshake completes (ECDSA with d = 0 verifies against the key at infinity); the chain rules refuse the key.
    expect((await lab.es12(smds.address, 'registerEvent', body, 'infinity-dptls')).status).toBe(403);
    expect(statusOf(await lab.es12(smds.address, 'registerEvent', body, 'dptls'))).toBe('Executed-Success');
    expect(statusOf(await lab.es12(smds.address, 'deleteEvent', { eid: lab.eid, eventId: 'EVT-INFINITY' }, 'dptls'))).toBe('Executed-Success');
  });

  it("lets an SM-DP+ delete only its own events: another SM-DP+'s is unknown to it (8.9.5 / 3.9)", async () => {
    const other = lab.issueDpTls('other-smdp.example');
    expect(statusOf(await lab.es12(smds.address, 'registerEvent', { eid: lab.eid, rspServerAddress: smdpAddress, eventId: 'EVT-MINE' }, 'dptls'))).toBe('Executed-Success');
    expect(statusOf(await lab.es12(smds.address, 'deleteEvent', { eid: lab.eid, eventId: 'EVT-MINE' }, other))).toBe('8.9.5/3.9');
    expect(await discover(lab.card(smds.address))).toEqual([{ eventId: 'EVT-MINE', rspServerAddress: smdpAddress }]);
    expect(statusOf(await lab.es12(smds.address, 'deleteEvent', { eid: lab.eid, eventId: 'EVT-MINE' }, 'dptls'))).toBe('Executed-Success');
    expect(statusOf(await lab.es12(smds.address, 'deleteEvent', { eid: lab.eid, eventId: 'EVT-MINE' }, 'dptls'))).toBe('8.9.5/3.9');
  });

  it('deletes events once they expire', async () => {
    expect(statusOf(await lab.es12(smds.address, 'registerEvent', { eid: lab.eid, rspServerAddress: smdpAddress, eventId: 'EVT-OLD' }, 'dptls'))).toBe('Executed-Success');
    offset += 31 * 24 * 3600 * 1000;
    try {
      expect(await discover(lab.card(smds.address))).toEqual([]);
      expect(await smds.expireEvents()).toBe(1);
    } finally {
      offset = 0;
    }
    expect(await smds.store.transaction((tx) => tx.countEvents())).toBe(0);
  });
});

describe('ES11 refusals', () => {
  async function initiated(card: EuiccCard) {
    const channel = await Es10Channel.open(card);
    const client = new RspServerClient(smds.address, { trustedCertificates: [lab.ciPem], resolve: { localhost: '127.0.0.1' } });
    const euiccChallenge = await es10b.getEuiccChallenge(channel);
    const euiccInfo1 = await es10b.getEuiccInfo1(channel);
    const body = { euiccChallenge, euiccInfo1: euiccInfo1.bytes, smdpAddress: smds.address };
    const answer = await client.es11InitiateAuthentication(body);
    const response = await es10b.authenticateServer(channel, authenticateServerRequest(answer, undefined, buildDeviceInfo(undefined)));
    return { channel, client, body, answer, response };
  }

  it('refuses an AuthenticateServerResponse whose euiccSignature1 is not the eUICC signature (8.1 / 6.1)', async () => {
    const { channel, client, answer, response } = await initiated(lab.card(smds.address));
    const value = response.value;
    if (!('authenticateResponseOk' in value)) throw new Error('the card refused the SM-DS');
    const signature = Uint8Array.from(value.authenticateResponseOk.euiccSignature1);
    signature[10] = (signature[10] as number) ^ 0xff;
    const forged = AuthenticateServerResponse.encode({ authenticateResponseOk: { ...value.authenticateResponseOk, euiccSignature1: signature } });
    const error = await client.es11AuthenticateClient({ transactionId: answer.transactionId, authenticateServerResponse: forged }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteFunctionFailed);
    expect((error as RemoteFunctionFailed).statusCode).toMatchObject({ subjectCode: '8.1', reasonCode: '6.1' });
    await channel.close();
  });

  it('refuses a replayed euiccChallenge (8.1 / 6.1) and a replayed AuthenticateClient (8.10.1 / 3.9)', async () => {
    const { channel, client, body, answer, response } = await initiated(lab.card(smds.address));
    const replay = await client.es11InitiateAuthentication(body).catch((e: unknown) => e);
    expect((replay as RemoteFunctionFailed).statusCode).toMatchObject({ subjectCode: '8.1', reasonCode: '6.1' });
    const first = await client.es11AuthenticateClient({ transactionId: answer.transactionId, authenticateServerResponse: response.bytes });
    expect(first.eventEntries).toEqual([]);
    const again = await client.es11AuthenticateClient({ transactionId: answer.transactionId, authenticateServerResponse: response.bytes }).catch((e: unknown) => e);
    expect((again as RemoteFunctionFailed).statusCode).toMatchObject({ subjectCode: '8.10.1', reasonCode: '3.9' });
    await channel.close();
  });

  it('refuses an InitiateAuthentication for another SM-DS address (8.9.1 / 3.8)', async () => {
    const channel = await Es10Channel.open(lab.card(smds.address));
    const client = new RspServerClient(smds.address, { trustedCertificates: [lab.ciPem], resolve: { localhost: '127.0.0.1' } });
    const body = { euiccChallenge: await es10b.getEuiccChallenge(channel), euiccInfo1: (await es10b.getEuiccInfo1(channel)).bytes, smdpAddress: 'lpa.ds.gsma.com' };
    const error = await client.es11InitiateAuthentication(body).catch((e: unknown) => e);
    expect((error as RemoteFunctionFailed).statusCode).toMatchObject({ subjectCode: '8.9.1', reasonCode: '3.8' });
    await channel.close();
  });
});

describe('ES11 on the ASN.1 binding (§6.6)', () => {
  it('answers InitiateAuthentication and AuthenticateClient in DER with the EID\'s events, and errors as the INTEGER of AuthenticateClientResponseEs11', async () => {
    expect(statusOf(await lab.es12(smds.address, 'registerEvent', { eid: lab.eid, rspServerAddress: smdpAddress, eventId: 'EVT-DER' }, 'dptls'))).toBe('Executed-Success');
    const channel = await Es10Channel.open(lab.card(smds.address));
    const euiccChallenge = await es10b.getEuiccChallenge(channel);
    const euiccInfo1 = await es10b.getEuiccInfo1(channel);
    const initiated = await lab.postDer(
      smds.address,
      RemoteProfileProvisioningRequest.encode({ initiateAuthenticationRequest: { euiccChallenge, smdpAddress: smds.address, euiccInfo1: euiccInfo1.value } }),
    );
    expect(initiated.headers['content-type']).toBe('application/x-gsma-rsp-asn1');
    const answer = RemoteProfileProvisioningResponse.decode(initiated.bytes);
    if (!('initiateAuthenticationResponse' in answer) || !('initiateAuthenticationOk' in answer.initiateAuthenticationResponse)) throw new Error('no initiateAuthenticationOk');
    const ok = answer.initiateAuthenticationResponse.initiateAuthenticationOk;
    const response = await es10b.authenticateServer(channel, {
      serverSigned1: ServerSigned1.decode(derOf(ok.serverSigned1)),
      serverSignature1: ok.serverSignature1,
      euiccCiPKIdToBeUsed: ok.euiccCiPKIdToBeUsed,
      serverCertificate: Certificate.decode(derOf(ok.serverCertificate)),
      ctxParams1: { ctxParamsForCommonAuthentication: { deviceInfo: buildDeviceInfo(undefined) } },
    });
    const request = RemoteProfileProvisioningRequest.encode({ authenticateClientRequest: { transactionId: ok.transactionId, authenticateServerResponse: response.value } });
    const events = RemoteProfileProvisioningResponse.decode((await lab.postDer(smds.address, request)).bytes);
    expect(events).toEqual({ authenticateClientResponseEs11: { authenticateClientOk: { transactionId: ok.transactionId, eventEntries: [{ eventId: 'EVT-DER', rspServerAddress: smdpAddress }] } } });
    // The session is used up: the same request again is invalidTransactionId(7).
    expect(RemoteProfileProvisioningResponse.decode((await lab.postDer(smds.address, request)).bytes)).toEqual({ authenticateClientResponseEs11: { authenticateClientError: 7 } });
    await channel.close();
    expect(statusOf(await lab.es12(smds.address, 'deleteEvent', { eid: lab.eid, eventId: 'EVT-DER' }, 'dptls'))).toBe('Executed-Success');
  });
});
