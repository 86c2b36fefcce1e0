import type { RspCertificate } from '../certificate/RspCertificate.js';
import type { RspCrl } from '../crl/RspCrl.js';
import { CertificateRuleError, type CertificateRole, type RuleName } from '../errors.js';

/**
 * What every rule sees. `path` is the certification path from the end-entity certificate (index 0) up to
 * and including the trusted CI (index `path.length - 1`).
 */
export interface RuleContext {
  readonly path: readonly RspCertificate[];
  readonly role: CertificateRole;
  /** The validation time (injected clock; never the wall clock inside the rules). */
  readonly at: Date;
  readonly crls: readonly RspCrl[];
}

/** One validation rule (pki/src/rules/<rule>.ts); throws CertificateRuleError when it does not hold. */
export interface ChainRule {
  readonly name: RuleName;
  check(context: RuleContext): void;
}

/** Throws the typed error for `rule` failing on the certificate at `certificateIndex` of the path. */
export function fail(context: RuleContext, rule: RuleName, certificateIndex: number, message: string, cause?: unknown): never {
  throw new CertificateRuleError(
    rule,
    message,
    { role: context.role, certificateIndex, chainLength: context.path.length - 1 },
    cause === undefined ? {} : { cause },
  );
}

/** Index of the CI in the path. */
export function ciIndex(context: RuleContext): number {
  return context.path.length - 1;
}

/** The certificate at `index`; the path is never sparse, this only satisfies noUncheckedIndexedAccess. */
export function at(context: RuleContext, index: number): RspCertificate {
  const certificate = context.path[index];
  if (certificate === undefined) throw new RangeError(`no certificate at path index ${index}`);
  return certificate;
}
