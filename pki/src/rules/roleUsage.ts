import { extendedKeyUsageOf, keyUsageOf, policiesOf } from '../certificate/extensions.js';
import { roleProfiles } from '../roles.js';
import { at, fail, type ChainRule } from './context.js';

/** Rule `key-usage`: the end-entity certificate has the keyUsage bits of its role (SGP.22 v2.2.2 §4.5.2.1). */
export const keyUsageRule: ChainRule = {
  name: 'key-usage',
  check(context) {
    const required = roleProfiles[context.role].keyUsage;
    const present = keyUsageOf(at(context, 0));
    if (present === undefined) fail(context, 'key-usage', 0, 'the certificate has no keyUsage extension');
    if ((present & required) !== required) fail(context, 'key-usage', 0, `keyUsage lacks the bits required for role ${context.role}`);
  },
};

/** Rule `extended-key-usage`: TLS roles need serverAuth, the ES2+/ES12 client needs clientAuth. */
export const extendedKeyUsageRule: ChainRule = {
  name: 'extended-key-usage',
  check(context) {
    const required = roleProfiles[context.role].extendedKeyUsage;
    if (required.length === 0) return;
    const present = extendedKeyUsageOf(at(context, 0)) ?? [];
    const missing = required.filter((purpose) => !present.includes(purpose));
    if (missing.length > 0) fail(context, 'extended-key-usage', 0, `extendedKeyUsage lacks ${missing.join(', ')} for role ${context.role}`);
  },
};

/**
 * Rule `role-policy`: the end-entity certificate carries the id-rspRole policy of the role it is used in
 * (SGP.22 v2.2.2 §4.5.2.1). A DPpb certificate offered as DPauth fails here.
 * SPEC-AMBIGUITY: SGP.22 marks certificatePolicies critical, but the SGP.26 DPtls certificates carry it
 * non-critical; we require the policy, not the criticality.
 */
export const rolePolicyRule: ChainRule = {
  name: 'role-policy',
  check(context) {
    const required = roleProfiles[context.role].policy;
    if (required === undefined) return;
    const policies = policiesOf(at(context, 0));
    if (!policies.includes(required)) {
      fail(context, 'role-policy', 0, `certificate policies [${policies.join(', ')}] do not include ${required} (role ${context.role})`);
    }
  },
};
