import { verify } from 'node:crypto';
import { ecdsa_with_SHA256 } from '../oids.js';
import type { RspCertificate } from '../certificate/RspCertificate.js';
import { at, ciIndex, fail, type ChainRule } from './context.js';

/**
 * Pairs (certificate, issuer) whose signature verified, by object: a signature check is a pure function of
 * the two parsed certificates, which are immutable, so it need not be redone for the same pair. The CI
 * object lives as long as the server and an EUM's comes from the server's certificate cache, so the CI
 * self-signature and the EUM signature are verified once per certificate, the eUICC's (parsed per request)
 * every time. Weak references: an entry goes when either certificate is no longer used.
 */
const verifiedBy = new WeakMap<RspCertificate, WeakSet<RspCertificate>>();

/**
 * Rule `signature`: every certificate is signed with ecdsa-with-SHA256 (SGP.22 v2.2.2 §2.6.5) by the key
 * of the next certificate, and the CI by its own key, verified over the exact received tbsCertificate
 * bytes. Checking the trusted CI's self-signature too means a damaged trust-anchor file is caught.
 */
export const signatureRule: ChainRule = {
  name: 'signature',
  check(context) {
    for (let index = 0; index <= ciIndex(context); index += 1) {
      const certificate = at(context, index);
      const issuer = at(context, Math.min(index + 1, ciIndex(context)));
      const outer = certificate.signatureAlgorithm.algorithm;
      const inner = certificate.tbsCertificate.signature.algorithm;
      if (outer !== ecdsa_with_SHA256 || inner !== ecdsa_with_SHA256) {
        fail(context, 'signature', index, `signature algorithm ${outer}/${inner} is not ecdsa-with-SHA256`);
      }
      if (verifiedBy.get(certificate)?.has(issuer) === true) continue;
      let valid: boolean;
      try {
        valid = verify('sha256', certificate.tbsDer, issuer.publicKey, certificate.signature.bytes);
      } catch (error) {
        fail(context, 'signature', index, `signature of certificate ${index} is not a DER ECDSA signature`, error);
      }
      if (!valid) fail(context, 'signature', index, `signature of certificate ${index} does not verify with the key of its issuer`);
      const issuers = verifiedBy.get(certificate) ?? new WeakSet<RspCertificate>();
      issuers.add(issuer);
      verifiedBy.set(certificate, issuers);
    }
  },
};
