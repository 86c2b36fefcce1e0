import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { CertificateRuleError, type RuleName } from '../src/errors.js';

/** The SGP.26 test PKI beside the repository (shared/spec/sgp26: SGP.26 files from osmocom/pysim and osmo-ttcn3-hacks). */
export const SGP26_DIR = fileURLToPath(new URL('../../../shared/spec/sgp26/', import.meta.url));

/** A time at which every SGP.26 certificate we use is valid (the VARO DPtls runs 2026-07-21 to 2027-02-06). */
export const SGP26_VALID_AT = new Date('2026-11-25T12:00:00Z');

/** Runs `action` and returns the CertificateRuleError it throws, failing the test otherwise. */
export function ruleErrorOf(action: () => unknown): CertificateRuleError {
  try {
    action();
  } catch (error) {
    if (error instanceof CertificateRuleError) return error;
    throw error;
  }
  throw new Error('expected a CertificateRuleError, but the chain validated');
}

export function expectRule(action: () => unknown, rule: RuleName, reasonCode: string, certificateIndex?: number): CertificateRuleError {
  const error = ruleErrorOf(action);
  expect({ rule: error.rule, reasonCode: error.reasonCode }).toEqual({ rule, reasonCode });
  if (certificateIndex !== undefined) expect(error.certificateIndex).toBe(certificateIndex);
  return error;
}

/** A copy of `bytes` with the byte at `offset` XORed with `mask`. */
export function flipped(bytes: Uint8Array, offset: number, mask = 0x01): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[offset] = (copy[offset] ?? 0) ^ mask;
  return copy;
}
