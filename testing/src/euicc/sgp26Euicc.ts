// Test eUICCs built from the published SGP.26 test PKI in ../shared/spec/sgp26 (test material only).
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createEuicc, memoryStore, newEuiccState, systemEuiccDeps, type Deps, type EuiccCard, type EuiccCredential, type EuiccState, type EuiccStore, type Quirks,
} from '@zkesim/euicc-sim';
import type { RandomSource } from '@zkesim/protocol';

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

export type Sgp26Curve = 'nist' | 'brp';

/** The SGP.26 eUICC credential on one curve: CERT.EUICC and CERT.EUM chaining to that curve's test CI. */
export function sgp26Credential(curve: Sgp26Curve): EuiccCredential {
  const name = curve === 'nist' ? 'NIST' : 'BRP';
  return {
    curve: curve === 'nist' ? 'P-256' : 'brainpoolP256r1',
    ciPKId: curve === 'nist' ? CI_PKID_NIST : CI_PKID_BRP,
    euiccCertificate: sgp26File(`eUICC/CERT_EUICC_ECDSA_${name}.der`),
    eumCertificate: sgp26File(`EUM/CERT_EUM_ECDSA_${name}.der`),
    privateKey: pkcs8(`eUICC/SK_EUICC_ECDSA_${name}.pem`),
  };
}

/** The SGP.26 test CI certificate on one curve. */
export function sgp26CiCertificate(curve: Sgp26Curve): Uint8Array {
  return sgp26File(`CertificateIssuer/CERT_CI_ECDSA_${curve === 'nist' ? 'NIST' : 'BRP'}.der`);
}

/** The SGP.26 eUICC (EID 89049032123451234512345678901235) with the credentials of `curves`, trusting their CIs. */
export function sgp26EuiccState(quirks?: Partial<Quirks>, curves: readonly Sgp26Curve[] = ['nist', 'brp']): EuiccState {
  return newEuiccState({
    eid: hex(SGP26_EID),
    credentials: curves.map(sgp26Credential),
    trustedCiCertificates: curves.map(sgp26CiCertificate),
    ...(quirks === undefined ? {} : { quirks }),
  });
}

/** Fixed time inside the validity of every SGP.26 certificate used here. */
export const TEST_NOW = new Date('2026-11-25T08:00:00Z');

/** The system's dependencies with the clock fixed at TEST_NOW (and, optionally, another random source). */
export function testDeps(store: EuiccStore = memoryStore(), random?: RandomSource): Deps {
  return { ...systemEuiccDeps(store), clock: { now: () => TEST_NOW.getTime() }, ...(random === undefined ? {} : { random }) };
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
