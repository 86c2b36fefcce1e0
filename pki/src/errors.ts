import { ReasonCodes, RspError, SubjectCodes } from '@zkesim/protocol';

/** A caller used the PKI API wrongly (bad argument, missing file, refused overwrite): not a rule failure. */
export class PkiUsageError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'PkiUsageError';
  }
}

/** The rules a certificate chain is checked against (pki/src/rules/, one file each). */
export type RuleName =
  | 'format'
  | 'unknown-ci'
  | 'issuer-name'
  | 'signature'
  | 'validity'
  | 'critical-extension'
  | 'basic-constraints'
  | 'path-length'
  | 'key-usage'
  | 'extended-key-usage'
  | 'role-policy'
  | 'chain-shape'
  | 'permitted-eins'
  | 'crl-signature'
  | 'crl-validity'
  | 'revoked';

/** The certificate roles a chain can be validated for (`--role` of `zkesim pki verify`). */
export type CertificateRole = 'euicc' | 'dpauth' | 'dppb' | 'dptls' | 'dsauth' | 'dstls' | 'client';

/**
 * Reason code of each rule (SGP.22 v2.2.2 §5.6.3 AuthenticateClient): an expired or
 * not-yet-valid certificate is 6.3, a chain that ends at no trusted CI is 3.9 (unknown CI public key),
 * every other failed check is 6.1 (verification failed).
 * SPEC-AMBIGUITY: SGP.22 has no dedicated reason for a malformed certificate, a wrong role, a revoked
 * certificate or a stale CRL; all read as "certificate invalid", so 6.1.
 */
export const reasonOfRule: Readonly<Record<RuleName, { code: string; meaning: string }>> = {
  format: ReasonCodes.verificationFailed,
  'unknown-ci': ReasonCodes.unknown,
  'issuer-name': ReasonCodes.verificationFailed,
  signature: ReasonCodes.verificationFailed,
  validity: ReasonCodes.certificateExpired,
  'critical-extension': ReasonCodes.verificationFailed,
  'basic-constraints': ReasonCodes.verificationFailed,
  'path-length': ReasonCodes.verificationFailed,
  'key-usage': ReasonCodes.verificationFailed,
  'extended-key-usage': ReasonCodes.verificationFailed,
  'role-policy': ReasonCodes.verificationFailed,
  'chain-shape': ReasonCodes.verificationFailed,
  'permitted-eins': ReasonCodes.verificationFailed,
  'crl-signature': ReasonCodes.verificationFailed,
  'crl-validity': ReasonCodes.verificationFailed,
  revoked: ReasonCodes.verificationFailed,
};

/**
 * The subject code a caller would normally pair with the reason (SGP.22 v2.2.2 §5.6.3):
 * for an eUICC chain, 8.1.3 for the eUICC certificate (index 0), 8.1.2 for the EUM certificate, 8.1.4 for
 * an EID outside the EUM's permitted EINs, 8.11.1 when no trusted CI is found; 8.8.4 (SM-DP+ certificate)
 * and 8.9.4 (SM-DS certificate) for the server roles; 1.1 (function requester) for a TLS client.
 * Callers that report through another function table pick their own subject code (`withSubject`).
 */
export function defaultSubject(role: CertificateRole, rule: RuleName, certificateIndex: number, chainLength: number): string {
  if (rule === 'unknown-ci' || certificateIndex >= chainLength) return SubjectCodes.ciPublicKey.code;
  switch (role) {
    case 'euicc':
      if (rule === 'permitted-eins') return SubjectCodes.eidRange.code;
      return certificateIndex === 0 ? SubjectCodes.euiccCertificate.code : SubjectCodes.eumCertificate.code;
    case 'dpauth':
    case 'dppb':
    case 'dptls':
      return SubjectCodes.smdpCertificate.code;
    case 'dsauth':
    case 'dstls':
      return SubjectCodes.smdsCertificate.code;
    case 'client':
      return SubjectCodes.functionRequester.code;
  }
}

/** Where in the chain a rule failed. */
export interface RulePosition {
  readonly role: CertificateRole;
  /** 0 = the end-entity certificate; `chainLength` = the CI. */
  readonly certificateIndex: number;
  /** Number of certificates below the CI. */
  readonly chainLength: number;
}

/**
 * A certificate or CRL failed one validation rule: an RspError carrying the rule, the SGP.22 reason code
 * of that rule, which certificate failed, and a default subject code for that position.
 */
export class CertificateRuleError extends RspError {
  readonly rule: RuleName;
  readonly role: CertificateRole;
  readonly certificateIndex: number;

  constructor(rule: RuleName, message: string, position: RulePosition, options: { cause?: unknown; subjectCode?: string } = {}) {
    const subjectCode = options.subjectCode ?? defaultSubject(position.role, rule, position.certificateIndex, position.chainLength);
    super({ subjectCode, reasonCode: reasonOfRule[rule].code }, `${rule}: ${message}`, { cause: options.cause });
    this.rule = rule;
    this.role = position.role;
    this.certificateIndex = position.certificateIndex;
  }

  /** The same failure reported under another subject code (the caller's function table decides). */
  withSubject(subjectCode: string): CertificateRuleError {
    const position = { role: this.role, certificateIndex: this.certificateIndex, chainLength: Number.MAX_SAFE_INTEGER };
    const message = this.message.slice(this.rule.length + 2);
    return new CertificateRuleError(this.rule, message, position, { cause: this, subjectCode });
  }
}

/**
 * A certificate or CRL could not be parsed (not DER, trailing bytes, unsupported key). Not yet an
 * SGP.22 status: chain validation turns it into CertificateRuleError rule `format`.
 */
export class CertificateFormatError extends Error {
  readonly rule = 'format' as const;
  readonly reasonCode = reasonOfRule.format.code;

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(`format: ${message}`, { cause: options.cause });
    this.name = 'CertificateFormatError';
  }
}
