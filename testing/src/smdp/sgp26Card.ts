// A software eUICC (euicc-sim, in process) with the SGP.26 test credentials, whose one-time ECKA keys
// are recorded so that a test can open the BPP it receives.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createEuicc, memoryStore, newEuiccState, type EuiccCard } from '@zkesim/euicc-sim';
import { generateEckaKeyPair, silentLogger, type EckaKeyPair } from '@zkesim/protocol';
import { sgp26 } from './testPki.js';

export const sgp26Eid = '89049032123451234512345678901235';

export interface RecordingCard {
  card: EuiccCard;
  /** The one-time key pairs the card generated (PrepareDownload), newest last. */
  oneTimeKeys: EckaKeyPair[];
}

const file = (path: string): Uint8Array => new Uint8Array(readFileSync(sgp26(path)));
const pkcs8 = (path: string): Uint8Array =>
  new Uint8Array(createPrivateKey(readFileSync(sgp26(path))).export({ format: 'der', type: 'pkcs8' }));

export function sgp26Card(curve: 'nist' | 'brp' = 'nist'): RecordingCard {
  const oneTimeKeys: EckaKeyPair[] = [];
  const state = newEuiccState({
    eid: Uint8Array.from(Buffer.from(sgp26Eid, 'hex')),
    credentials: [
      curve === 'nist'
        ? {
            curve: 'P-256',
            ciPKId: Uint8Array.from(Buffer.from('F54172BDF98A95D65CBEB88A38A1C11D800A85C3', 'hex')),
            euiccCertificate: file('eUICC/CERT_EUICC_ECDSA_NIST.der'),
            eumCertificate: file('EUM/CERT_EUM_ECDSA_NIST.der'),
            privateKey: pkcs8('eUICC/SK_EUICC_ECDSA_NIST.pem'),
          }
        : {
            curve: 'brainpoolP256r1',
            ciPKId: Uint8Array.from(Buffer.from('C0BC70BA36929D43B467FF57570530E57AB8FCD8', 'hex')),
            euiccCertificate: file('eUICC/CERT_EUICC_ECDSA_BRP.der'),
            eumCertificate: file('EUM/CERT_EUM_ECDSA_BRP.der'),
            privateKey: pkcs8('eUICC/SK_EUICC_ECDSA_BRP.pem'),
          },
    ],
    trustedCiCertificates: [file(`CertificateIssuer/CERT_CI_ECDSA_${curve === 'nist' ? 'NIST' : 'BRP'}.der`)],
  });
  const store = memoryStore();
  store.save(state);
  const card = createEuicc({
    state,
    deps: {
      clock: { now: () => Date.now() },
      random: { bytes: (length) => new Uint8Array(Array.from({ length }, () => Math.floor(Math.random() * 256))) },
      eckaKeys: (curve) => {
        const pair = generateEckaKeyPair(curve);
        oneTimeKeys.push(pair);
        return pair;
      },
      store,
      logger: silentLogger,
    },
  });
  return { card, oneTimeKeys };
}
