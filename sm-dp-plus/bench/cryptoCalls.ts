// `node bin/run-ts.js sm-dp-plus/bench/cryptoCalls.ts [P-256|brainpoolP256r1]`: single node:crypto calls of one
// download, each timed alone (hrtime, median of 350 after 50), hot (back to back) and cold (8 MiB written between
// two calls, as a download's other work evicts OpenSSL's tables and method store from the cache between two
// crypto calls in the server). Also the eUICC key's imports the server could use, and random bytes per call
// against rsp-server's pool. Not a *.bench.ts: it explains figures of docs/PERFORMANCE.md ("keys"), it is no aim.
import { KeyObject, X509Certificate, createECDH, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, randomBytes, sign, verify, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cacheEvictor } from '@zkesim/testing/bench/downloadCrypto';
import { sgp26, sgp26CurveName } from '@zkesim/testing/smdp/testPki';
import { systemRandom } from '@zkesim/rsp-server';
import { decodeUncompressedPoint, opensslCurveName, type CurveName } from '@zkesim/protocol';

const curve: CurveName = process.argv[2] === 'brainpoolP256r1' ? 'brainpoolP256r1' : 'P-256';
const name = sgp26CurveName(curve);
const dpPb = createPrivateKey(readFileSync(sgp26(`DPpb/SK_S_SM_DPpb_ECDSA_${name}.pem`)));
const euiccKey = createPrivateKey(readFileSync(sgp26(`eUICC/SK_EUICC_ECDSA_${name}.pem`)));
const euiccCertificate = new X509Certificate(readFileSync(sgp26(`eUICC/CERT_EUICC_ECDSA_${name}.der`)));
const spki = euiccCertificate.publicKey.export({ format: 'der', type: 'spki' });
const point = new Uint8Array(spki.subarray(spki.length - 65));
const euiccPublicKey = decodeUncompressedPoint(curve, point);
const data = new Uint8Array(200).fill(7);
const signature = sign('sha256', data, { key: euiccKey, dsaEncoding: 'ieee-p1363' });
const derSignature = sign('sha256', data, euiccKey);
const euiccCertificateDer = euiccCertificate.raw;
const peer = createECDH(opensslCurveName(curve));
peer.generateKeys();
const peerPoint = peer.getPublicKey();
const peerSpki = Buffer.concat([spki.subarray(0, spki.length - 65), peerPoint]);
const evict = cacheEvictor();

async function medianMicroseconds(call: () => unknown, cold: boolean): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 400; i += 1) {
    if (cold) evict();
    const started = process.hrtime.bigint();
    await call();
    times.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  const timed = times.slice(50).sort((a, b) => a - b);
  return timed[timed.length >> 1] ?? Number.NaN;
}

const calls: Record<string, () => unknown> = {
  'sign (ieee-p1363)': () => sign('sha256', data, { key: dpPb, dsaEncoding: 'ieee-p1363' }),
  'verify (ieee-p1363)': () => verify('sha256', data, { key: euiccPublicKey, dsaEncoding: 'ieee-p1363' }, signature),
  'verify (DER, the KeyObject itself)': () => verify('sha256', data, euiccPublicKey, derSignature),
  'createECDH + generateKeys + computeSecret': () => {
    const ecdh = createECDH(opensslCurveName(curve));
    ecdh.generateKeys();
    return ecdh.computeSecret(peerPoint);
  },
  'ECDH by KeyObjects: generateKeyPairSync + SPKI import of the peer + diffieHellman': () =>
    diffieHellman({
      privateKey: generateKeyPairSync('ec', { namedCurve: opensslCurveName(curve) }).privateKey,
      publicKey: createPublicKey({ key: peerSpki, format: 'der', type: 'spki' }),
    }),
  'eUICC key: decodeUncompressedPoint (P-256 JWK as pki does; brainpool an SPKI built from the point) + first verify': () =>
    verify('sha256', data, { key: decodeUncompressedPoint(curve, point), dsaEncoding: 'ieee-p1363' }, signature),
  'eUICC key: SPKI import + first verify': () =>
    verify('sha256', data, { key: createPublicKey({ key: spki, format: 'der', type: 'spki' }), dsaEncoding: 'ieee-p1363' }, signature),
  'eUICC key: X509Certificate + first verify': () =>
    verify('sha256', data, { key: new X509Certificate(euiccCertificateDer).publicKey, dsaEncoding: 'ieee-p1363' }, signature),
  'random 16 bytes: randomBytes': () => new Uint8Array(randomBytes(16)),
  'random 16 bytes: systemRandom (pool)': () => systemRandom.bytes(16),
};
if (curve === 'P-256') {
  calls['eUICC key: WebCrypto raw import + first verify'] = async () => {
    const key = KeyObject.from(await webcrypto.subtle.importKey('raw', point, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']));
    return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  };
}

for (const [label, call] of Object.entries(calls)) {
  const hot = await medianMicroseconds(call, false);
  const cold = await medianMicroseconds(call, true);
  process.stdout.write(`${curve} ${label}: hot ${hot.toFixed(1)} µs, cold ${cold.toFixed(1)} µs\n`);
}
