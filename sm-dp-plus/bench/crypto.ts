// The bare crypto of one download (every signature, verification, key agreement and the BPP protection the
// SM-DP+ does), without HTTP, TLS, ASN.1 or storage: the yardstick the SM-DP+ benchmarks (download, load)
// measure against. Not a bench file itself (bench/main.ts runs only *.bench.ts).
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  BspSession,
  generateOneTimeEckaKey,
  generateEckaKeyPair,
  protectProfileElements,
  protectStoreMetadata,
  signRaw,
  tagEncryptedCommandSegment,
  verifyRaw,
  type CurveName,
} from '@zkesim/protocol';
import { sgp26 } from '@zkesim/testing/smdp/testPki';

/** The SGP.26 file name part of each curve. */
const sgp26Names: Record<CurveName, string> = { 'P-256': 'NIST', brainpoolP256r1: 'BRP' };

/**
 * The crypto one download needs on each side, as functions doing it once. `server` is what the SM-DP+ does
 * per download (sm-dp-plus/src/es9plus, rsp-server/src/euicc, pki/src/rules/signature.ts):
 * - 3 signatures: serverSignature1 (DPauth, InitiateAuthentication), smdpSignature2 (DPpb, AuthenticateClient),
 *   smdpSign of InitialiseSecureChannel (DPpb, GetBoundProfilePackage);
 * - 4 verifications: CERT.EUICC by the EUM's key, euiccSignature1, euiccSignature2, euiccSignPIR
 *   (HandleNotification). Not counted: CERT.EUM by the CI and the CI's self-signature, which the chain
 *   check verifies once per certificate and remembers (signature rule), so not per download;
 * - one one-time key pair (otPK.DP.ECKA) and one ECKA with the otPK.EUICC.ECKA the eUICC sent (a received
 *   point: the eUICC's key pair is made outside the timed function), the KDF;
 * - the BSP of the package in order: ConfigureISDP (one 87), StoreMetadata (88) and the UPP (86) of the
 *   profile the load benchmarks download, TS48V1-A-UNIQUE.
 * `card` is the eUICC's part the load clients do (they do not open the BPP).
 */
export function cryptoOfOneDownloadWork(curve: CurveName = 'P-256'): { server: () => void; card: () => void } {
  const name = sgp26Names[curve];
  const key = (path: string) => createPrivateKey(readFileSync(sgp26(path)));
  const cert = (path: string) => new X509Certificate(readFileSync(sgp26(path)));
  const dpAuth = key(`DPauth/SK_S_SM_DPauth_ECDSA_${name}.pem`);
  const dpPb = key(`DPpb/SK_S_SM_DPpb_ECDSA_${name}.pem`);
  const euiccKey = key(`eUICC/SK_EUICC_ECDSA_${name}.pem`);
  const ci = cert(`CertificateIssuer/CERT_CI_ECDSA_${name}.der`);
  const eum = cert(`EUM/CERT_EUM_ECDSA_${name}.der`);
  const euicc = cert(`eUICC/CERT_EUICC_ECDSA_${name}.der`);
  const dpAuthCert = cert(`DPauth/CERT_S_SM_DPauth_ECDSA_${name}.der`);
  const dpPbCert = cert(`DPpb/CERT_S_SM_DPpb_ECDSA_${name}.der`);
  const upp = new Uint8Array(readFileSync(new URL('../profiles/TS48V1-A-UNIQUE.der', import.meta.url)));
  const data = new Uint8Array(200).fill(7);
  // Sizes of the real ones: ConfigureISDPRequest with a DP OID (≈ 12 bytes), a StoreMetadataRequest (≈ 150 bytes).
  const configureIsdp = new Uint8Array(12).fill(3);
  const storeMetadata = new Uint8Array(150).fill(5);
  // otPK.EUICC.ECKA as received in PrepareDownloadResponse: made by the eUICC, not by the server.
  const euiccOneTime = generateEckaKeyPair(curve);
  const euiccSignature = signRaw(euiccKey, data);
  const server = (): void => {
    signRaw(dpAuth, data); // serverSignature1
    if (!euicc.verify(eum.publicKey)) throw new Error('CERT.EUICC'); // the eUICC's certificate, parsed per request
    if (!verifyRaw(euicc.publicKey, data, euiccSignature)) throw new Error('euiccSignature1');
    signRaw(dpPb, data); // smdpSignature2
    if (!verifyRaw(euicc.publicKey, data, euiccSignature)) throw new Error('euiccSignature2');
    // otPK.DP.ECKA and ShS as the server makes them (a raw one-time key, protocol's generateOneTimeEckaKey).
    const secret = generateOneTimeEckaKey(curve).agree(euiccOneTime.publicPoint);
    signRaw(dpPb, data); // smdpSign in InitialiseSecureChannel
    const session = BspSession.derive({ sharedSecret: secret, hostId: data.subarray(0, 8), eid: data.subarray(0, 16) });
    session.protectEncrypted(tagEncryptedCommandSegment, configureIsdp);
    protectStoreMetadata(session, storeMetadata);
    protectProfileElements(session, upp);
    if (!verifyRaw(euicc.publicKey, data, euiccSignature)) throw new Error('euiccSignPIR');
  };
  const card = (): void => {
    dpAuthCert.verify(ci.publicKey);
    const s = signRaw(euiccKey, data); // euiccSignature1
    verifyRaw(dpAuthCert.publicKey, data, s); // serverSignature1
    dpPbCert.verify(ci.publicKey);
    verifyRaw(dpPbCert.publicKey, data, s); // smdpSignature2
    generateEckaKeyPair(curve); // otPK.EUICC
    signRaw(euiccKey, data); // euiccSignature2
    signRaw(euiccKey, data); // euiccSignPIR
  };
  return { server, card };
}

/** The crypto one download needs on both sides, without HTTP, ASN.1 or storage: ms of CPU each. */
export function cryptoOfOneDownload(curve: CurveName = 'P-256'): { serverMs: number; totalMs: number } {
  const work = cryptoOfOneDownloadWork(curve);
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
