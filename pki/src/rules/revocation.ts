import { bytesEqual, toHex } from '@zkesim/protocol';
import { authorityKeyIdentifierOf } from '../certificate/extensions.js';
import { namesEqual } from '../certificate/names.js';
import { checkCrl } from '../crl/checkCrl.js';
import type { RspCrl } from '../crl/RspCrl.js';
import type { RspCertificate } from '../certificate/RspCertificate.js';
import { at, ciIndex, fail, type ChainRule } from './context.js';

function issuedBy(crl: RspCrl, issuer: RspCertificate, issuerKeyId: Uint8Array | undefined): boolean {
  if (!namesEqual(crl.tbsCertList.issuer, issuer.tbsCertificate.subject)) return false;
  const keyId = authorityKeyIdentifierOf(crl);
  return keyId === undefined || issuerKeyId === undefined || bytesEqual(keyId, issuerKeyId);
}

/**
 * Rules `crl-signature`, `crl-validity` and `revoked` (SGP.22 v2.2.2 §4.5.2.2 CRLs; RFC 5280 §6.3): for
 * each certificate below the CI, every supplied CRL of its issuer must verify and be current at the
 * validation time, and must not list the certificate's serial number with a revocation date up to then.
 * A certificate for whose issuer no CRL is supplied is not checked for revocation.
 */
export const revocationRule: ChainRule = {
  name: 'revoked',
  check(context) {
    for (let index = 0; index < ciIndex(context); index += 1) {
      const certificate = at(context, index);
      const issuer = at(context, index + 1);
      const issuerKeyId = authorityKeyIdentifierOf(certificate);
      for (const crl of context.crls.filter((candidate) => issuedBy(candidate, issuer, issuerKeyId))) {
        const problem = checkCrl(crl, issuer, context.at);
        if (problem !== undefined) fail(context, problem.rule, index, problem.message);
        const revokedAt = crl.revoked.get(toHex(certificate.serialNumber));
        if (revokedAt !== undefined && revokedAt.getTime() <= context.at.getTime()) {
          fail(context, 'revoked', index, `certificate ${index} (serial ${toHex(certificate.serialNumber)}) was revoked at ${revokedAt.toISOString()}`);
        }
      }
    }
  },
};
