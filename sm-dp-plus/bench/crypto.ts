// The bare crypto of one download (every signature, verification, key agreement and the BPP encryption),
// without HTTP, ASN.1 or storage: the yardstick both SM-DP+ benchmarks (download, load) measure against.
// Not a bench file itself (bench/main.ts runs only *.bench.ts).
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BspSession, eckaSharedSecret, generateEckaKeyPair, protectProfileElements, signRaw, verifyRaw } from '@zkesim/protocol';
import { sgp26 } from '@zkesim/testing/smdp/testPki';

/** The crypto one download needs on each side (P-256), as functions doing it once. */
export function cryptoOfOneDownloadWork(): { server: () => void; card: () => void } {
  const key = (path: string) => createPrivateKey(readFileSync(sgp26(path)));
  const cert = (path: string) => new X509Certificate(readFileSync(sgp26(path)));
  const dpAuth = key('DPauth/SK_S_SM_DPauth_ECDSA_NIST.pem');
  const dpPb = key('DPpb/SK_S_SM_DPpb_ECDSA_NIST.pem');
  const euiccKey = key('eUICC/SK_EUICC_ECDSA_NIST.pem');
  const ci = cert('CertificateIssuer/CERT_CI_ECDSA_NIST.der');
  const eum = cert('EUM/CERT_EUM_ECDSA_NIST.der');
  const euicc = cert('eUICC/CERT_EUICC_ECDSA_NIST.der');
  const dpAuthCert = cert('DPauth/CERT_S_SM_DPauth_ECDSA_NIST.der');
  const dpPbCert = cert('DPpb/CERT_S_SM_DPpb_ECDSA_NIST.der');
  const upp = new Uint8Array(readFileSync(new URL('../profiles/TS48V1-A-UNIQUE.der', import.meta.url)));
  const data = new Uint8Array(200).fill(7);
  const server = (): void => {
    const s1 = signRaw(dpAuth, data); // serverSignature1
    eum.verify(ci.publicKey); // eUICC chain
    euicc.verify(eum.publicKey);
    verifyRaw(euicc.publicKey, data, s1); // euiccSignature1 (same cost as a real one)
    signRaw(dpPb, data); // smdpSignature2
    verifyRaw(euicc.publicKey, data, s1); // euiccSignature2
    const oneTime = generateEckaKeyPair('P-256');
    const peer = generateEckaKeyPair('P-256');
    const secret = eckaSharedSecret(oneTime.privateKey, peer.publicPoint);
    signRaw(dpPb, data); // smdpSign in BF23
    protectProfileElements(BspSession.derive({ sharedSecret: secret, hostId: data.subarray(0, 8), eid: data.subarray(0, 16) }), upp);
    verifyRaw(euicc.publicKey, data, s1); // euiccSignPIR
  };
  const card = (): void => {
    dpAuthCert.verify(ci.publicKey);
    const s = signRaw(euiccKey, data); // euiccSignature1
    verifyRaw(dpAuthCert.publicKey, data, s); // serverSignature1
    dpPbCert.verify(ci.publicKey);
    verifyRaw(dpPbCert.publicKey, data, s); // smdpSignature2
    generateEckaKeyPair('P-256'); // otPK.EUICC
    signRaw(euiccKey, data); // euiccSignature2
    signRaw(euiccKey, data); // euiccSignPIR
  };
  return { server, card };
}

/** The crypto one download needs on both sides (P-256), without HTTP, ASN.1 or storage: ms of CPU each. */
export function cryptoOfOneDownload(): { serverMs: number; totalMs: number } {
  const work = cryptoOfOneDownloadWork();
  // CPU time of this process (user + system), like the server's CPU from /proc it is set against: on a
  // shared machine, time spent waiting for a core counts in neither.
  const time = (round: () => void): number => {
    for (let i = 0; i < 20; i += 1) round();
    const rounds = 200;
    const start = process.cpuUsage();
    for (let i = 0; i < rounds; i += 1) round();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000 / rounds;
  };
  const server = time(work.server);
  const card = time(work.card);
  return { serverMs: server, totalMs: server + card };
}
