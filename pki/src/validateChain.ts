import { bytesEqual } from '@zkesim/protocol';
import type { RspCertificate } from './certificate/RspCertificate.js';
import type { RspCrl } from './crl/RspCrl.js';
import { CertificateFormatError, CertificateRuleError, type CertificateRole } from './errors.js';
import { chainRules, selectTrustedCi, type RuleContext } from './rules/index.js';

export interface ChainValidationInput {
  /** The end-entity certificate (eUICC, DPauth, DPtls, ...). */
  readonly certificate: RspCertificate;
  /** The certificates between it and the CI, the end entity's issuer first (the EUM for an eUICC). */
  readonly intermediates?: readonly RspCertificate[];
  /** The CI certificates trusted as roots. */
  readonly trustedCis: readonly RspCertificate[];
  readonly role: CertificateRole;
  /** The validation time: the caller's clock, never read here. */
  readonly at: Date;
  readonly crls?: readonly RspCrl[];
}

/** A chain that holds: the path from the end entity to the CI. */
export interface ValidatedChain {
  readonly role: CertificateRole;
  /** End entity first, the trusted CI last. */
  readonly path: readonly RspCertificate[];
  readonly ci: RspCertificate;
}

/**
 * Validates a certificate chain to a trusted CI for one role, rule by rule (pki/src/rules/). Throws
 * CertificateRuleError naming the first rule that fails, with its SGP.22 reason code; a structurally
 * broken extension surfaces as rule `format`.
 */
export function validateChain(input: ChainValidationInput): ValidatedChain {
  const supplied = [input.certificate, ...(input.intermediates ?? [])];
  const last = supplied[supplied.length - 1];
  // A caller may include the CI itself at the end of the chain; it is used from the trusted set only.
  if (supplied.length > 1 && last !== undefined && input.trustedCis.some((ci) => bytesEqual(ci.der, last.der))) supplied.pop();
  try {
    const ci = selectTrustedCi(supplied, input.trustedCis, input.role);
    const context: RuleContext = { path: [...supplied, ci], role: input.role, at: input.at, crls: input.crls ?? [] };
    for (const rule of chainRules) rule.check(context);
    return { role: input.role, path: context.path, ci };
  } catch (error) {
    // The `format` rule reports malformed extensions with their position; this catches any other read.
    if (error instanceof CertificateFormatError) {
      throw new CertificateRuleError('format', error.message.replace(/^format: /, ''), { role: input.role, certificateIndex: 0, chainLength: supplied.length }, { cause: error });
    }
    throw error;
  }
}
