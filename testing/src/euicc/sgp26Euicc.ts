// Test eUICCs built from the published SGP.26 test PKI in ../shared/spec/sgp26 (test material only).
import { createPrivateKey, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEuicc, memoryStore, newEuiccState, type Deps, type EuiccCard, type EuiccState, type EuiccStore, type Quirks } from '@zkesim/euicc-sim';
import { generateEckaKeyPair, silentLogger, type RandomSource } from '@zkesim/protocol';

export const SGP26_DIR = fileURLToPath(new URL('../../../../shared/spec/sgp26/', import.meta.url));
export const SGP26_EID = '89049032123451234512345678901235';

/** SubjectKeyIdentifier of the SGP.26 test CIs (read from the certificate files). */
export const CI_PKID_NIST = hex('F54172BDF98A95D65CBEB88A38A1C11D800A85C3');
export const CI_PKID_BRP = hex('C0BC70BA36929D43B467FF57570530E57AB8FCD8');

export function sgp26File(path: string): Uint8Array {
  return Uint8Array.from(readFileSync(SGP26_DIR + path));
}

function pkcs8(path: string): Uint8Array {
  return Uint8Array.from(createPrivateKey(readFileSync(SGP26_DIR + path)).export({ format: 'der', type: 'pkcs8' }));
}

export function sgp26EuiccState(quirks?: Partial<Quirks>): EuiccState {
  return newEuiccState({
    eid: hex(SGP26_EID),
    credentials: [
      {
        curve: 'P-256',
        ciPKId: CI_PKID_NIST,
        euiccCertificate: sgp26File('eUICC/CERT_EUICC_ECDSA_NIST.der'),
        eumCertificate: sgp26File('EUM/CERT_EUM_ECDSA_NIST.der'),
        privateKey: pkcs8('eUICC/SK_EUICC_ECDSA_NIST.pem'),
      },
      {
        curve: 'brainpoolP256r1',
        ciPKId: CI_PKID_BRP,
        euiccCertificate: sgp26File('eUICC/CERT_EUICC_ECDSA_BRP.der'),
        eumCertificate: sgp26File('EUM/CERT_EUM_ECDSA_BRP.der'),
        privateKey: pkcs8('eUICC/SK_EUICC_ECDSA_BRP.pem'),
      },
    ],
    trustedCiCertificates: [sgp26File('CertificateIssuer/CERT_CI_ECDSA_NIST.der'), sgp26File('CertificateIssuer/CERT_CI_ECDSA_BRP.der')],
    ...(quirks === undefined ? {} : { quirks }),
  });
}

/** Fixed time inside the validity of every SGP.26 certificate used here. */
export const TEST_NOW = new Date('2026-11-25T08:00:00Z');

export function testDeps(store: EuiccStore = memoryStore(), random: RandomSource = { bytes: (n) => Uint8Array.from(randomBytes(n)) }): Deps {
  return { clock: { now: () => TEST_NOW.getTime() }, random, eckaKeys: generateEckaKeyPair, store, logger: silentLogger };
}

export function sgp26Card(quirks?: Partial<Quirks>, store: EuiccStore = memoryStore()): EuiccCard {
  const state = sgp26EuiccState(quirks);
  store.save(state);
  return createEuicc({ state, deps: testDeps(store) });
}

export function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}
