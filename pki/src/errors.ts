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
 * Reason code of each rule (SGP.22 v2.2.2 §5.6.3 AuthenticateClient and RSP-FACTS §4.6): an expired or
 * not-yet-valid certificate is 6.3, a chain that ends at no trusted CI is 3.9 (unknown CI public key),
 * every other failed check is 6.1 (verification failed).
 * SPEC-AMBIGUITY: SGP.22 has no dedicated reason for a malformed certificate, a wrong role, a revoked
 * certificate or a stale CRL; all read as "certificate invalid", so 6.1.
 */
export const reasonCodeOfRule: Readonly<Record<RuleName, string>> = {
  format: '6.1',
  'unknown-ci': '3.9',
  'issuer-name': '6.1',
  signature: '6.1',
  validity: '6.3',
  'critical-extension': '6.1',
  'basic-constraints': '6.1',
  'path-length': '6.1',
  'key-usage': '6.1',
  'extended-key-usage': '6.1',
  'role-policy': '6.1',
  'chain-shape': '6.1',
  'permitted-eins': '6.1',
  'crl-signature': '6.1',
  'crl-validity': '6.1',
  revoked: '6.1',
};

/**
 * The subject code a caller would normally pair with the reason (SGP.22 v2.2.2 §5.6.3, RSP-FACTS §4.6):
 * for an eUICC chain, 8.1.3 for the eUICC certificate (index 0), 8.1.2 for the EUM certificate, 8.1.4 for
 * an EID outside the EUM's permitted EINs, 8.11.1 when no trusted CI is found; 8.8.4 (SM-DP+ certificate)
 * and 8.9.4 (SM-DS certificate) for the server roles; 1.1 (function requester) for a TLS client.
 * Callers that report through another function table pick their own subject code.
 */
export function defaultSubjectCode(role: CertificateRole, rule: RuleName, certificateIndex: number, chainLength: number): string {
  if (rule === 'unknown-ci' || certificateIndex >= chainLength) return '8.11.1';
  switch (role) {
    case 'euicc':
      if (rule === 'permitted-eins') return '8.1.4';
      return certificateIndex === 0 ? '8.1.3' : '8.1.2';
    case 'dpauth':
    case 'dppb':
    case 'dptls':
      return '8.8.4';
    case 'dsauth':
    case 'dstls':
      return '8.9.4';
    case 'client':
      return '1.1';
  }
}

/**
 * A certificate or CRL failed one validation rule. Carries the rule, the SGP.22 reason code, which
 * certificate failed (0 = the end-entity certificate; the chain length = the CI) and a default subject
 * code for that position.
 */
export class CertificateRuleError extends Error {
  readonly rule: RuleName;
  readonly reasonCode: string;
  readonly subjectCode: string;
  readonly certificateIndex: number;

  constructor(
    rule: RuleName,
    message: string,
    position: { role: CertificateRole; certificateIndex: number; chainLength: number },
    options: { cause?: unknown } = {},
  ) {
    super(`${rule}: ${message}`, { cause: options.cause });
    this.name = 'CertificateRuleError';
    this.rule = rule;
    this.reasonCode = reasonCodeOfRule[rule];
    this.certificateIndex = position.certificateIndex;
    this.subjectCode = defaultSubjectCode(position.role, rule, position.certificateIndex, position.chainLength);
  }
}

/** A certificate or CRL could not be parsed (DER structure, trailing bytes, unsupported key). */
export class CertificateFormatError extends Error {
  readonly rule = 'format' as const;
  readonly reasonCode = reasonCodeOfRule.format;

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(`format: ${message}`, { cause: options.cause });
    this.name = 'CertificateFormatError';
  }
}
