// Mutant SM-DP+s for the conformance runner's self-test. Each is our SM-DP+, unchanged, behind an HTTPS
// front that defeats exactly one of its checks by repairing the input that check would refuse (the front
// holds the SGP.26 eUICC key, so it can re-sign what the runner tampered with). Seen from outside, each
// behaves as an SM-DP+ with that one check disabled; the production code and configuration carry no hook.
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, request, type Server } from 'node:https';
import {
  AuthenticateServerResponse, Certificate, EUICCInfo1, EuiccSigned1, PrepareDownloadResponse, derOf, hashConfirmationCode, signRaw,
  EUICCSigned2,
} from '@zkesim/protocol';
import { createKeyObjectSigner, eidOf, issueEuiccCertificate, parseCertificate, readCertificateFile, serialNumberFromRandom, writePrivateKeyFile } from '@zkesim/pki';
import { sgp26, smdpHost, type TestPki } from '../smdp/testPki.js';
import { b64, repairEuiccSignature1, tryDecode, unb64 } from './frontRepairs.js';

type Body = Record<string, unknown>;

export interface Mutant {
  readonly name: string;
  /** The check this mutant disables, in words. */
  readonly disables: string;
  /** Changes a request body (or headers) before it reaches the real SM-DP+. */
  request(fn: string, body: Body, headers: Record<string, string>): void | Promise<void>;
  /** Sees each answer, for mutants that track sessions. */
  response?(fn: string, body: Body): void;
}

const euiccKey = () => createPrivateKey(readFileSync(sgp26('eUICC/SK_EUICC_ECDSA_NIST.pem')));

/** DER length octets (X.690 §10.1, §8.1.3). */
function definiteLength(length: number): number[] {
  if (length < 0x80) return [length];
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return [0x80 | octets.length, ...octets];
}

/**
 * A constructed TLV in BER with an indefinite outer length (tag, 80, contents, 00 00) in definite form;
 * undefined for anything else.
 */
function definiteForm(bytes: Uint8Array): Uint8Array | undefined {
  if (((bytes[0] ?? 0) & 0x20) === 0) return undefined;
  let pos = 1;
  if (((bytes[0] ?? 0) & 0x1f) === 0x1f) while (pos < bytes.length && ((bytes[pos++] ?? 0) & 0x80) !== 0);
  if (bytes[pos] !== 0x80 || bytes.length < pos + 3 || bytes.at(-1) !== 0 || bytes.at(-2) !== 0) return undefined;
  const contents = bytes.slice(pos + 1, -2);
  return Uint8Array.from([...bytes.slice(0, pos), ...definiteLength(contents.length), ...contents]);
}

/**
 * A CERT.EUICC for `eid` under the SGP.26 EUM with a new key (the SGP.26 EUM key is a published test key),
 * and that key: what an eUICC claiming another EID would present.
 */
export function impersonate(eid: string) {
  const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const eum = readCertificateFile(sgp26('EUM/CERT_EUM_ECDSA_NIST.der'));
  const certificate = issueEuiccCertificate({
    serialNumber: serialNumberFromRandom(new Uint8Array(randomBytes(16))),
    notBefore: new Date(Date.now() - 3600_000),
    eum: { certificate: eum, signer: createKeyObjectSigner(createPrivateKey(readFileSync(sgp26('EUM/SK_EUM_ECDSA_NIST.pem')))) },
    publicKey: keys.publicKey,
    eid,
    country: 'ES',
    commonName: 'mutant eUICC',
  });
  return { certificate: Certificate.decode(certificate.der), der: certificate.der, privateKey: keys.privateKey };
}

/**
 * A second SGP.26 eUICC identity (CERT.EUICC for another EID under the SGP.26 EUM, its key, the EUM) written
 * to `dir`, for the runner's cases about an order bound to one EID and asked for by another.
 */
export function writeSecondSgp26Identity(dir: string, eid: string): { euiccCertificate: string; eumCertificate: string; euiccKey: string } {
  const identity = impersonate(eid);
  const files = { euiccCertificate: join(dir, 'second-euicc.der'), eumCertificate: sgp26('EUM/CERT_EUM_ECDSA_NIST.der'), euiccKey: join(dir, 'second-euicc.key.pem') };
  writeFileSync(files.euiccCertificate, identity.der);
  writePrivateKeyFile(files.euiccKey, identity.privateKey);
  return files;
}

/**
 * Each mutant, fresh (some keep per-session state). `orderEid`: the EID an order is bound to, looked up in
 * the SM-DP+'s store by matchingId (the eidBinding mutant needs it to know whom to impersonate).
 */
export function mutants(orderEid?: (matchingId: string) => Promise<string | undefined>): Mutant[] {
  const issued: string[] = [];
  const smdpSignature2 = new Map<string, Uint8Array>();
  return [
    {
      name: 'smdpAddress',
      disables: 'InitiateAuthentication: the smdpAddress check (8.8.1 / 3.8)',
      request: (fn, body) => {
        if (fn === 'initiateAuthentication' && typeof body.smdpAddress === 'string') body.smdpAddress = smdpHost;
      },
    },
    {
      name: 'svn',
      disables: 'InitiateAuthentication: the eUICC specification version check (8.8.3 / 3.1)',
      request: (fn, body) => {
        if (fn !== 'initiateAuthentication') return;
        const info = tryDecode(() => EUICCInfo1.decode(unb64(body.euiccInfo1)));
        if (info !== undefined) body.euiccInfo1 = b64(EUICCInfo1.encode({ ...info, svn: Uint8Array.of(2, 2, 2) }));
      },
    },
    {
      name: 'euiccSignature1',
      disables: 'AuthenticateClient: the verification of euiccSignature1 (8.1 / 6.1)',
      request: (fn, body) => {
        if (fn === 'authenticateClient') repairEuiccSignature1(body, euiccKey);
      },
    },
    {
      name: 'eumChain',
      disables: 'AuthenticateClient: the verification of CERT.EUM under the CI (8.1.2 / 6.1)',
      request: (fn, body) => {
        if (fn !== 'authenticateClient') return;
        const response = tryDecode(() => AuthenticateServerResponse.decode(unb64(body.authenticateServerResponse)));
        if (response === undefined || !('authenticateResponseOk' in response)) return;
        const eumCertificate = Certificate.decode(new Uint8Array(readFileSync(sgp26('EUM/CERT_EUM_ECDSA_NIST.der'))));
        body.authenticateServerResponse = b64(AuthenticateServerResponse.encode({ authenticateResponseOk: { ...response.authenticateResponseOk, eumCertificate } }));
      },
    },
    {
      name: 'transactionId',
      disables: 'AuthenticateClient, GetBoundProfilePackage, CancelSession: the transactionId lookup (8.10.1 / 3.9); an unknown one is taken as the latest issued',
      request: (fn, body) => {
        const latest = issued.at(-1);
        if (fn === 'initiateAuthentication' || typeof body.transactionId !== 'string' || latest === undefined) return;
        if (!issued.includes(body.transactionId.toUpperCase()) && /^[0-9A-Fa-f]+$/.test(body.transactionId)) body.transactionId = latest;
      },
      response: (fn, body) => {
        if (fn === 'initiateAuthentication' && typeof body.transactionId === 'string') issued.push(body.transactionId.toUpperCase());
      },
    },
    {
      name: 'confirmationCode',
      disables: 'GetBoundProfilePackage: the confirmation code check (8.2.7 / 3.8); every hashCc is taken as the hash of 1357',
      request: (fn, body) => {
        if (fn !== 'getBoundProfilePackage') return;
        const response = tryDecode(() => PrepareDownloadResponse.decode(unb64(body.prepareDownloadResponse)));
        if (response === undefined || !('downloadResponseOk' in response) || response.downloadResponseOk.euiccSigned2.hashCc === undefined) return;
        const signed = response.downloadResponseOk.euiccSigned2;
        const serverSignature = smdpSignature2.get(String(body.transactionId).toUpperCase());
        if (serverSignature === undefined) return;
        const euiccSigned2 = EUICCSigned2.encode({ ...signed, hashCc: hashConfirmationCode('1357', signed.transactionId) });
        const euiccSignature2 = signRaw(euiccKey(), new Uint8Array([...euiccSigned2, ...serverSignature]));
        body.prepareDownloadResponse = b64(PrepareDownloadResponse.encode({ downloadResponseOk: { euiccSigned2: EUICCSigned2.decode(euiccSigned2), euiccSignature2 } }));
      },
      response: (fn, body) => {
        if (fn === 'authenticateClient' && typeof body.smdpSignature2 === 'string') smdpSignature2.set(String(body.transactionId).toUpperCase(), unb64(body.smdpSignature2));
      },
    },
    {
      name: 'eidBinding',
      disables: "AuthenticateClient: the match of the eUICC's EID with the order's (8.1.1 / 3.8) and with the one a bound order is kept for (8.2 / 3.7); the eUICC is taken for the order's",
      request: async (fn, body) => {
        if (fn !== 'authenticateClient' || orderEid === undefined) return;
        const response = tryDecode(() => AuthenticateServerResponse.decode(unb64(body.authenticateServerResponse)));
        if (response === undefined || !('authenticateResponseOk' in response)) return;
        const ok = response.authenticateResponseOk;
        const matchingId = 'ctxParamsForCommonAuthentication' in ok.euiccSigned1.ctxParams1 ? ok.euiccSigned1.ctxParams1.ctxParamsForCommonAuthentication.matchingId : undefined;
        const bound = matchingId === undefined ? undefined : await orderEid(matchingId);
        const presented = tryDecode(() => eidOf(parseCertificate(derOf(ok.euiccCertificate))));
        if (bound === undefined || presented === undefined || bound === presented) return;
        // The answer the SM-DP+ would give the order's own eUICC: the same euiccSigned1 under that EID's certificate.
        const other = impersonate(bound);
        const euiccSignature1 = signRaw(other.privateKey, derOf(ok.euiccSigned1));
        body.authenticateServerResponse = b64(
          AuthenticateServerResponse.encode({ authenticateResponseOk: { ...ok, euiccSigned1: EuiccSigned1.decode(derOf(ok.euiccSigned1)), euiccSignature1, euiccCertificate: other.certificate } }),
        );
      },
    },
    {
      name: 'derStrictness',
      disables: 'the JSON binding: DER strictness of the ASN.1 fields (1.6 / 2.1); BER with an indefinite length is taken',
      request: (_fn, body) => {
        for (const [field, value] of Object.entries(body)) {
          if (typeof value !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) continue;
          const definite = definiteForm(unb64(value));
          if (definite !== undefined) body[field] = b64(definite);
        }
      },
    },
    {
      name: 'contentType',
      disables: 'the JSON binding: the Content-Type check (1.2.1 / 2.1)',
      request: (_fn, _body, headers) => {
        headers['content-type'] = 'application/json;charset=UTF-8';
      },
    },
  ];
}

export interface RunningMutant {
  /** https://127.0.0.1:PORT of the front (its certificate is the SM-DP+'s DPtls). */
  url: string;
  close(): Promise<void>;
}

/** Starts the front of `mutant` before the SM-DP+ at `es9Url`. */
export async function startMutant(mutant: Mutant, es9Url: string, pki: TestPki): Promise<RunningMutant> {
  const target = new URL(es9Url);
  const server: Server = createServer({ cert: readFileSync(pki.dpTlsCert), key: readFileSync(pki.dpTlsKey) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => void forwardRequest());
    const forwardRequest = async (): Promise<void> => {
      const fn = (req.url ?? '').split('/').at(-1) ?? '';
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
      let text = Buffer.concat(chunks).toString('utf8');
      const parsed = tryDecode(() => JSON.parse(text) as unknown);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        await mutant.request(fn, parsed as Body, headers);
        text = JSON.stringify(parsed);
      } else {
        await mutant.request(fn, {}, headers);
      }
      const forward = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, ca: readFileSync(pki.ciNist), servername: smdpHost, headers: { ...headers, 'content-length': String(Buffer.byteLength(text)) } },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const raw = Buffer.concat(parts);
            const json = tryDecode(() => JSON.parse(raw.toString('utf8')) as unknown);
            if (json !== null && typeof json === 'object') mutant.response?.(fn, json as Body);
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(raw);
          });
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(req.method === 'GET' ? undefined : text);
    };
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

