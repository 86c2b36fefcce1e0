import { authorityKeyIdentifierOf, subjectKeyIdentifierOf } from '../certificate/extensions.js';
import { bytesEqual } from '@zkesim/protocol';
import { namesEqual } from '../certificate/names.js';
import type { RspCertificate } from '../certificate/RspCertificate.js';
import { CertificateRuleError, type CertificateRole } from '../errors.js';

/**
 * Rule `unknown-ci`: the top of the supplied chain must be issued by one of the trusted CIs, selected by
 * issuer name and, when present, by AKI = the CI's SKI (SGP.22 v2.2.2 §4.5.2.1: the EUM's AKI names
 * the CI public key, as euiccCiPKIdToBeUsed does). Failing that, the SGP.22 code is 3.9 (unknown CI
 * public key, 8.11.1). The signature is checked afterwards by the `signature` rule.
 */
export function selectTrustedCi(
  chain: readonly RspCertificate[],
  trustedCis: readonly RspCertificate[],
  role: CertificateRole,
): RspCertificate {
  const top = chain[chain.length - 1];
  if (top === undefined) throw new RangeError('empty certificate chain');
  const authorityKeyId = authorityKeyIdentifierOf(top);
  const match = trustedCis.find((ci) => {
    if (!namesEqual(ci.tbsCertificate.subject, top.tbsCertificate.issuer)) return false;
    const ciKeyId = subjectKeyIdentifierOf(ci);
    return authorityKeyId === undefined || ciKeyId === undefined || bytesEqual(authorityKeyId, ciKeyId);
  });
  if (match === undefined) {
    throw new CertificateRuleError(
      'unknown-ci',
      `certificate ${chain.length - 1} of the chain is not issued by any of the ${trustedCis.length} trusted CI(s)`,
      { role, certificateIndex: chain.length, chainLength: chain.length },
    );
  }
  return match;
}
