// `npm run bench`: what signing in a PKCS#11 token costs per download against signing in the process. One
// download makes three SM-DP+ signatures: serverSignature1 (SK.DPauth, §5.6.1), smdpSignature2 (SK.DPpb,
// §5.6.3) and initialiseSecureChannel's smdpSign (SK.DPpb, §5.5.1). Measured on SoftHSM2 (a software token in
// the process, so this is the PKCS#11 call path and the token's own ECDSA, not a network HSM's round trip).
// Skipped, with a note, where SoftHSM2 is not installed. BENCH_SIGNATURES (default 600) tunes the run.
import { performance } from 'node:perf_hooks';
import { readPrivateKeyFile, createKeyObjectSigner } from '@zkesim/pki';
import type { Signer } from '@zkesim/protocol';
import type { BenchFigure } from '@zkesim/testing/bench/figure';
import { createSoftHsm, softHsmAvailable } from '@zkesim/testing/smdp/softhsm';
import { sgp26 } from '@zkesim/testing/smdp/testPki';
import { Pkcs11Token } from '../src/adapters/pkcs11/pkcs11Token.js';

const signatures = Number(process.env.BENCH_SIGNATURES ?? '600');
const signaturesPerDownload = 3;

function microsecondsPerSignature(signer: Signer): number {
  const data = new Uint8Array(200).fill(7);
  for (let i = 0; i < 50; i += 1) signer.sign(data);
  const started = performance.now();
  for (let i = 0; i < signatures; i += 1) signer.sign(data);
  return ((performance.now() - started) * 1000) / signatures;
}

export default async function bench(): Promise<BenchFigure[]> {
  if (!softHsmAvailable()) return [{ name: 'hsm signing: skipped', value: 0, unit: '', note: 'softhsm2 not installed' }];
  const hsm = createSoftHsm('bench');
  const token = Pkcs11Token.open({ module: hsm.module, tokenLabel: hsm.tokenLabel, pin: hsm.pin });
  const figures: BenchFigure[] = [];
  try {
    for (const [curve, file] of [['P-256', 'DPpb/SK_S_SM_DPpb_ECDSA_NIST.pem'], ['brainpoolP256r1', 'DPpb/SK_S_SM_DPpb_ECDSA_BRP.pem']] as const) {
      const { privateKey, publicKey } = readPrivateKeyFile(sgp26(file));
      token.importKeyPair(curve, new TextEncoder().encode(curve), privateKey, publicKey);
      const inToken = microsecondsPerSignature(token.signer(curve));
      const inProcess = microsecondsPerSignature(createKeyObjectSigner(privateKey, publicKey));
      figures.push(
        { name: `hsm ${curve}: token signature`, value: inToken, unit: 'µs', note: 'SoftHSM2 CKM_ECDSA + SHA-256 in process' },
        { name: `hsm ${curve}: in-process signature`, value: inProcess, unit: 'µs', note: 'node:crypto KeyObject' },
        { name: `hsm ${curve}: token signing per download`, value: (inToken * signaturesPerDownload) / 1000, unit: 'ms', note: `${signaturesPerDownload} signatures` },
        { name: `hsm ${curve}: extra per download vs in-process`, value: ((inToken - inProcess) * signaturesPerDownload) / 1000, unit: 'ms' },
      );
    }
  } finally {
    token.close();
    hsm.cleanup();
  }
  return figures;
}
