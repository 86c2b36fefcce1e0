// Crypto ceiling of this machine: ECDSA, key generation, ECDH on both RSP curves, AES-CBC, the BSP, and
// the server-side crypto of one complete download (the SM-DP+ benches' yardstick) as downloads/s of one core.
import { createCipheriv, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  BspSession,
  eckaSharedSecret,
  generateEckaKeyPair,
  protectProfileElements,
  signRaw,
  unprotectSegments,
  verifyRaw,
  type CurveName,
} from '../src/crypto/index.js';
import { cryptoOfOneDownload, yardstickProfile } from '@zkesim/testing/bench/downloadCrypto';
import type { BenchFigure } from '@zkesim/testing/bench/figure';
import { sgp26, sgp26CurveName } from '@zkesim/testing/smdp/testPki';

/** Runs `work` repeatedly for about `seconds`; returns the rate of the units it reports per call. */
function measure(seconds: number, work: () => number): number {
  let units = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) units += work();
  return units / ((performance.now() - start) / 1000);
}

/** The eUICC's SGP.26 key pair on a curve, for the single-operation rates. */
function euiccKeys(curve: CurveName): { euiccPrivate: KeyObject; euiccPublic: KeyObject } {
  const euiccPrivate = createPrivateKey(readFileSync(sgp26(`eUICC/SK_EUICC_ECDSA_${sgp26CurveName(curve)}.pem`)));
  return { euiccPrivate, euiccPublic: createPublicKey(euiccPrivate) };
}

function curveFigures(curve: CurveName, seconds: number): BenchFigure[] {
  const keys = euiccKeys(curve);
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
  // The SM-DP+ benches' yardstick (testing/src/bench/downloadCrypto.ts), as the ceiling of one core.
  for (const curve of ['P-256', 'brainpoolP256r1'] as const) {
    const { serverMs } = cryptoOfOneDownload(curve);
    figures.push({
      name: `server crypto of one download (${curve})`,
      value: 1000 / serverMs,
      unit: 'downloads/s',
      note: `${serverMs.toFixed(2)} ms of CPU each, warm: 3 sign, 4 verify, keygen, ECDH, BSP of the ${yardstickProfile} UPP`,
    });
  }
  return figures;
}
