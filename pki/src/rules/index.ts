import { basicConstraintsRule } from './basicConstraints.js';
import { chainShapeRule } from './chainShape.js';
import type { ChainRule } from './context.js';
import { criticalExtensionRule } from './criticalExtensions.js';
import { issuerNameRule } from './issuerName.js';
import { pathLengthRule } from './pathLength.js';
import { permittedEinsRule } from './permittedEins.js';
import { revocationRule } from './revocation.js';
import { formatRule } from './format.js';
import { extendedKeyUsageRule, keyUsageRule, rolePolicyRule } from './roleUsage.js';
import { signatureRule } from './signature.js';
import { validityRule } from './validity.js';

/**
 * The rule registry, in the order they run (the trust anchor is selected before, by `unknown-ci`).
 * Signatures come first so that a tampered certificate reports `signature` whatever field was changed,
 * then extension syntax (`format`), names, time, CA constraints, the role (policy before EKU, so that a
 * certificate of another role reports `role-policy`), the EID range, and revocation last (it needs a
 * sound path).
 */
export const chainRules: readonly ChainRule[] = [
  signatureRule,
  formatRule,
  issuerNameRule,
  validityRule,
  criticalExtensionRule,
  basicConstraintsRule,
  pathLengthRule,
  keyUsageRule,
  rolePolicyRule,
  extendedKeyUsageRule,
  chainShapeRule,
  permittedEinsRule,
  revocationRule,
];

export type { ChainRule, RuleContext } from './context.js';
export { selectTrustedCi } from './trustAnchor.js';
export { eidOf, permittedEinsOf, type PermittedEin } from './permittedEins.js';
