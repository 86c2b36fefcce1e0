// Crypto ceiling of this machine: ECDSA, key generation, ECDH on both RSP curves, AES-CBC, the BSP, and
// the server-side crypto of one complete download, which the SM-DP+ benchmark divides its rate by.
import { createCipheriv, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import {
  BspSession,
  eckaSharedSecret,
  generateEckaKeyPair,
  generateOneTimeEckaKey,
  protectProfileElements,
  protectStoreMetadata,
  signRaw,
  unprotectSegments,
  verifyDer,
  verifyRaw,
  type CurveName,
} from '../src/crypto/index.js';
import type { BenchFigure } from '@zkesim/testing/bench/figure';

const curveFiles: Record<CurveName, string> = { 'P-256': 'NIST', brainpoolP256r1: 'BRP' };
const defaultUppFile = 'upp/TS48V5-SAIP2-3-BERTLV-SUCI-UNIQUE.der';

function sharedSpec(path: string): Buffer {
  return readFileSync(fileURLToPath(new URL(`../../../shared/spec/${path}`, import.meta.url)));
}

/** Runs `work` repeatedly for about `seconds`; returns the rate of the units it reports per call. */
function measure(seconds: number, work: () => number): number {
  let units = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) units += work();
  return units / ((performance.now() - start) / 1000);
}

/** The SGP.26 test keys and certificates one download uses on a curve. */
interface DownloadKeys {
  curve: CurveName;
  dpAuth: KeyObject;
  dpPb: KeyObject;
  euiccPrivate: KeyObject;
  euiccPublic: KeyObject;
  eumPublic: KeyObject;
  euiccCertificate: { tbs: Uint8Array; signature: Uint8Array };
  /** otPK.EUICC.ECKA as received in PrepareDownloadResponse: made by the eUICC, not timed. */
  euiccOneTimePoint: Uint8Array;
}

function certificateParts(der: Buffer): { tbs: Uint8Array; signature: Uint8Array } {
  // tbsCertificate is the first element of the outer SEQUENCE; node reports the signature separately.
  const lengthOfLength = (der[1] ?? 0) & 0x7f;
  const tbsStart = 2 + lengthOfLength;
  const tbsLengthOfLength = (der[tbsStart + 1] ?? 0) & 0x7f;
  let tbsLength = 0;
  for (let i = 0; i < tbsLengthOfLength; i += 1) tbsLength = tbsLength * 256 + (der[tbsStart + 2 + i] ?? 0);
  const tbsEnd = tbsStart + 2 + tbsLengthOfLength + tbsLength;
  const bitStringStart = tbsEnd + 2 + (der[tbsEnd + 1] ?? 0);
  return { tbs: der.subarray(tbsStart, tbsEnd), signature: der.subarray(bitStringStart + 3) };
}

function loadDownloadKeys(curve: CurveName): DownloadKeys {
  const name = curveFiles[curve];
  const euiccPrivate = createPrivateKey(sharedSpec(`sgp26/eUICC/SK_EUICC_ECDSA_${name}.pem`));
  return {
    curve,
    dpAuth: createPrivateKey(sharedSpec(`sgp26/DPauth/SK_S_SM_DPauth_ECDSA_${name}.pem`)),
    dpPb: createPrivateKey(sharedSpec(`sgp26/DPpb/SK_S_SM_DPpb_ECDSA_${name}.pem`)),
    euiccPrivate,
    euiccPublic: createPublicKey(euiccPrivate),
    eumPublic: new X509Certificate(sharedSpec(`sgp26/EUM/CERT_EUM_ECDSA_${name}.der`)).publicKey,
    euiccCertificate: certificateParts(sharedSpec(`sgp26/eUICC/CERT_EUICC_ECDSA_${name}.der`)),
    euiccOneTimePoint: generateEckaKeyPair(curve).publicPoint,
  };
}

/**
 * The SM-DP+'s crypto in one download (SGP.22 §3.1.3; ES9+ §5.6.1–§5.6.4):
 * signs serverSigned1 (DPauth), smdpSigned2 (DPpb) and the BF23 smdpSign (DPpb): 3 signatures;
 * verifies the eUICC certificate, euiccSignature1, euiccSignature2 and the ProfileInstallationResult:
 * 4 verifications (the EUM certificate's signature is verified once per EUM certificate and remembered,
 * pki's signature rule); one one-time key pair, one ECDH, the KDF, and the BSP protection of
 * ConfigureISDP, StoreMetadata and the UPP.
 */
export const serverCryptoPerDownload = { signatures: 3, verifications: 4, keyGenerations: 1, keyAgreements: 1 } as const;

function oneDownload(keys: DownloadKeys, upp: Uint8Array, signed: { tbs: Uint8Array; euiccSignature: Uint8Array }): void {
  signRaw(keys.dpAuth, signed.tbs);
  if (!verifyDer(keys.eumPublic, keys.euiccCertificate.tbs, keys.euiccCertificate.signature)) throw new Error('eUICC certificate');
  if (!verifyRaw(keys.euiccPublic, signed.tbs, signed.euiccSignature)) throw new Error('euiccSignature1');
  signRaw(keys.dpPb, signed.tbs);
  if (!verifyRaw(keys.euiccPublic, signed.tbs, signed.euiccSignature)) throw new Error('euiccSignature2');
  // otSK.DP.ECKA and ShS as the SM-DP+ makes them (a raw one-time key).
  const otEuicc = generateOneTimeEckaKey(keys.curve).agree(keys.euiccOneTimePoint);
  signRaw(keys.dpPb, signed.tbs);
  const session = BspSession.derive({ sharedSecret: otEuicc, hostId: signed.tbs.subarray(0, 8), eid: signed.tbs.subarray(0, 16) });
  session.protectEncrypted(0x87, Uint8Array.of(0xbf, 0x24, 0x00));
  protectStoreMetadata(session, signed.tbs);
  protectProfileElements(session, upp);
  if (!verifyRaw(keys.euiccPublic, signed.tbs, signed.euiccSignature)) throw new Error('euiccSignPIR');
}

export interface DownloadCeiling {
  curve: CurveName;
  downloadsPerSecond: number;
  millisecondsPerDownload: number;
  uppBytes: number;
}

/**
 * Measures how many downloads per second one core could serve if the SM-DP+ did nothing but the
 * download's crypto (`serverCryptoPerDownload`) with real SGP.26 keys. `upp` defaults to a TS.48 profile.
 */
export function downloadCryptoCeiling(curve: CurveName, options: { upp?: Uint8Array; seconds?: number } = {}): DownloadCeiling {
  const keys = loadDownloadKeys(curve);
  const upp = options.upp ?? new Uint8Array(sharedSpec(defaultUppFile));
  // A TBS of the size of a typical euiccSigned1 (≈ 300 bytes).
  const tbs = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
  const signed = { tbs, euiccSignature: signRaw(keys.euiccPrivate, tbs) };
  oneDownload(keys, upp, signed);
  const downloadsPerSecond = measure(options.seconds ?? 1, () => {
    oneDownload(keys, upp, signed);
    return 1;
  });
  return { curve, downloadsPerSecond, millisecondsPerDownload: 1000 / downloadsPerSecond, uppBytes: upp.length };
}

function curveFigures(curve: CurveName, seconds: number): BenchFigure[] {
  const keys = loadDownloadKeys(curve);
  const data = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
  const signature = signRaw(keys.euiccPrivate, data);
  const peer = generateEckaKeyPair(curve);
  const own = generateEckaKeyPair(curve);
  const rate = (work: () => void) => measure(seconds, () => (work(), 1));
  return [
    { name: `ECDSA-SHA256 sign raw r‖s (${curve})`, value: rate(() => signRaw(keys.euiccPrivate, data)), unit: 'ops/s' },
    { name: `ECDSA-SHA256 verify raw r‖s (${curve})`, value: rate(() => verifyRaw(keys.euiccPublic, data, signature)), unit: 'ops/s' },
    { name: `one-time key pair generation (${curve})`, value: rate(() => generateEckaKeyPair(curve)), unit: 'ops/s' },
    { name: `ECKA-DH shared secret (${curve})`, value: rate(() => eckaSharedSecret(own.privateKey, peer.publicKey)), unit: 'ops/s' },
  ];
}

function symmetricFigures(seconds: number): BenchFigure[] {
  const key = new Uint8Array(16).fill(7);
  const buffer = new Uint8Array(1 << 20);
  const aesCbc = measure(seconds, () => {
    const cipher = createCipheriv('aes-128-cbc', key, new Uint8Array(16));
    cipher.setAutoPadding(false);
    cipher.update(buffer);
    cipher.final();
    return buffer.length;
  });
  const upp = Uint8Array.from({ length: 100 * 1024 }, (_, i) => (i * 31) & 0xff);
  const keys = { sEnc: key, sMac: new Uint8Array(16).fill(9), initialMcv: new Uint8Array(16) };
  const bspRound = () => {
    const segments = protectProfileElements(new BspSession(keys), upp);
    unprotectSegments(new BspSession(keys), segments, 0x86);
    return upp.length;
  };
  measure(0.2, bspRound); // warm-up: the JIT, as the other sections get from their first rounds
  const cpu = process.cpuUsage();
  const started = performance.now();
  const bsp = measure(seconds, bspRound);
  const used = process.cpuUsage(cpu);
  const bspPerCpuSecond = (bsp * ((performance.now() - started) / 1000)) / ((used.user + used.system) / 1e6);
  return [
    { name: 'AES-128-CBC encrypt (1 MiB buffers)', value: aesCbc / 1e6, unit: 'MB/s' },
    { name: 'BSP protect + unprotect of a 100 KiB UPP', value: bsp / 1e6, unit: 'MB/s', note: `102 segments of 86; ${(bspPerCpuSecond / 1e6).toFixed(1)} MB per CPU-second` },
  ];
}

export default async function bench(): Promise<BenchFigure[]> {
  const seconds = 0.5;
  const figures: BenchFigure[] = [...curveFigures('P-256', seconds), ...curveFigures('brainpoolP256r1', seconds), ...symmetricFigures(seconds)];
  for (const curve of ['P-256', 'brainpoolP256r1'] as const) {
    const ceiling = downloadCryptoCeiling(curve, { seconds: 1 });
    figures.push({
      name: `server crypto of one download (${curve})`,
      value: ceiling.downloadsPerSecond,
      unit: 'downloads/s',
      note: `${ceiling.millisecondsPerDownload.toFixed(2)} ms each: 3 sign, 4 verify, keygen, ECDH, BSP of a ${ceiling.uppBytes}-byte UPP`,
    });
  }
  return figures;
}
