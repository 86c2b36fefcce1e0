// The bare crypto of one download (every signature, verification, key agreement and the BPP protection the
// SM-DP+ does), without HTTP, TLS, ASN.1 or storage: the yardstick the SM-DP+ benchmarks (download, load, the
// sweep) measure against, and the crypto ceiling of protocol's bench. One home for what "the crypto of one
// download" is; not a bench file itself (bench/main.ts runs only *.bench.ts).
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
import { BUNDLED_PROFILES_DIRECTORY } from '@zkesim/sm-dp-plus';
import { sgp26, sgp26CurveName } from '../smdp/testPki.js';

/** The bundled profile the load benchmarks order and download, and whose UPP the yardstick protects. */
export const yardstickProfile = 'TS48V1-A-UNIQUE';

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
export function cryptoOfOneDownloadWork(curve: CurveName = 'P-256'): { server: () => void; serverSteps: readonly (() => void)[]; card: () => void } {
  const name = sgp26CurveName(curve);
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
  const upp = new Uint8Array(readFileSync(join(BUNDLED_PROFILES_DIRECTORY, `${yardstickProfile}.der`)));
  const data = new Uint8Array(200).fill(7);
  // Sizes of the real ones: ConfigureISDPRequest with a DP OID (≈ 12 bytes), a StoreMetadataRequest (≈ 150 bytes).
  const configureIsdp = new Uint8Array(12).fill(3);
  const storeMetadata = new Uint8Array(150).fill(5);
  // otPK.EUICC.ECKA as received in PrepareDownloadResponse: made by the eUICC, not by the server.
  const euiccOneTime = generateEckaKeyPair(curve);
  const euiccSignature = signRaw(euiccKey, data);
  // The server's calls of one download in their order, one step each (the cold timing evicts the cache between two).
  let secret: Uint8Array = new Uint8Array(0);
  let session: BspSession | undefined;
  const bsp = (): BspSession => {
    if (session === undefined) throw new Error('BSP before the key agreement');
    return session;
  };
  const serverSteps: (() => void)[] = [
    () => void signRaw(dpAuth, data), // serverSignature1
    () => {
      if (!euicc.verify(eum.publicKey)) throw new Error('CERT.EUICC'); // the eUICC's certificate, parsed per request
    },
    () => {
      if (!verifyRaw(euicc.publicKey, data, euiccSignature)) throw new Error('euiccSignature1');
    },
    () => void signRaw(dpPb, data), // smdpSignature2
    () => {
      if (!verifyRaw(euicc.publicKey, data, euiccSignature)) throw new Error('euiccSignature2');
    },
    // otPK.DP.ECKA and ShS as the server makes them (a raw one-time key, protocol's generateOneTimeEckaKey).
    () => void (secret = generateOneTimeEckaKey(curve).agree(euiccOneTime.publicPoint)),
    () => void signRaw(dpPb, data), // smdpSign in InitialiseSecureChannel
    () => void (session = BspSession.derive({ sharedSecret: secret, hostId: data.subarray(0, 8), eid: data.subarray(0, 16) })),
    () => void bsp().protectEncrypted(tagEncryptedCommandSegment, configureIsdp),
    () => protectStoreMetadata(bsp(), storeMetadata),
    () => void protectProfileElements(bsp(), upp),
    () => {
      if (!verifyRaw(euicc.publicKey, data, euiccSignature)) throw new Error('euiccSignPIR');
    },
  ];
  const server = (): void => {
    for (const step of serverSteps) step();
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
  return { server, serverSteps, card };
}

/**
 * Untimed rounds before the timed ones. The BSP's segmenting and MACs are JavaScript over node:crypto's ciphers:
 * after a few dozen rounds V8 is still compiling them on its background threads, whose CPU this process's time
 * counts (0.3–0.4 ms per P-256 round above the main thread's wall time after 20 rounds, none after a few
 * hundred), so the yardstick is timed once warm, as the server is after its warm-up downloads.
 */
export const cryptoWarmupRounds = 500;

/** The crypto one download needs on both sides, without HTTP, ASN.1 or storage: ms of CPU each, warm. */
export function cryptoOfOneDownload(curve: CurveName = 'P-256'): { serverMs: number; totalMs: number } {
  const work = cryptoOfOneDownloadWork(curve);
  // CPU time of this process (user + system), like the server's CPU from /proc it is set against: on a
  // shared machine, time spent waiting for a core counts in neither.
  const time = (round: () => void): number => {
    for (let i = 0; i < cryptoWarmupRounds; i += 1) round();
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

/** Bytes written between two crypto calls of the cold timing: more than this machine's caches hold. */
const evictionBytes = 8 * 1024 * 1024;

/**
 * A function that writes `evictionBytes` (one byte per 64-byte line), pushing what the last calls left in the
 * CPU's caches out, as a download's other work does between two crypto calls in the server.
 */
export function cacheEvictor(): () => void {
  const cache = new Uint8Array(evictionBytes);
  return () => {
    for (let i = 0; i < cache.length; i += 64) cache[i] = ((cache[i] ?? 0) + 1) & 0xff;
  };
}

/**
 * The server's crypto of one download as its calls cost between other work: the same calls as
 * `cryptoOfOneDownload`'s server side, each timed alone (hrtime; synchronous calls), with `evictionBytes` written
 * between two of them, untimed, as a download's HTTP, JSON, ASN.1 and storage work pushes OpenSSL's method store,
 * name map and precomputed tables out of the cache between two crypto calls in the server
 * (docs/PERFORMANCE.md, "keys": calls timed this way cost what the same calls cost inside the server under load).
 * ms per download, the median of `rounds` downloads, after the yardstick's warm-up and 10 cold untimed ones.
 */
export function coldCryptoOfOneDownload(curve: CurveName = 'P-256', rounds = 100): number {
  const { server, serverSteps } = cryptoOfOneDownloadWork(curve);
  for (let i = 0; i < cryptoWarmupRounds; i += 1) server();
  const evict = cacheEvictor();
  const perDownload: number[] = [];
  for (let round = 0; round < rounds + 10; round += 1) {
    let ns = 0n;
    for (const step of serverSteps) {
      evict();
      const started = process.hrtime.bigint();
      step();
      ns += process.hrtime.bigint() - started;
    }
    if (round >= 10) perDownload.push(Number(ns) / 1e6);
  }
  perDownload.sort((a, b) => a - b);
  return perDownload[perDownload.length >> 1] ?? Number.NaN;
}
