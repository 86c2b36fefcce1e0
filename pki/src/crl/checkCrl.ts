import { verify } from 'node:crypto';
import { KeyUsageFlags } from '@peculiar/asn1-x509';
import { extensionsOf, keyUsageOf } from '../certificate/extensions.js';
import type { RspCertificate } from '../certificate/RspCertificate.js';
import { id_ce_authorityKeyIdentifier, id_ce_cRLNumber } from '@zkesim/protocol';
import { ecdsa_with_SHA256 } from '../oids.js';
import type { RspCrl } from './RspCrl.js';

const understoodCrlExtensions = new Set([id_ce_authorityKeyIdentifier, id_ce_cRLNumber]);

/** Why a CRL cannot be used; undefined when it can. */
export type CrlProblem = { rule: 'crl-signature' | 'crl-validity'; message: string };

/**
 * Checks a CRL against its issuer at a given time (RFC 5280 §6.3.3): the issuer may sign CRLs (keyUsage
 * cRLSign), the signature is ecdsa-with-SHA256 over the exact TBSCertList, and at lies in
 * thisUpdate..nextUpdate. A CRL past its nextUpdate is stale and cannot prove a certificate unrevoked.
 */
export function checkCrl(crl: RspCrl, issuer: RspCertificate, at: Date): CrlProblem | undefined {
  // RFC 5280 §5.2: a CRL with a critical extension we do not process (delta CRL indicator, issuing
  // distribution point, the RSP partial-CRL numbers) cannot be used as a complete CRL.
  const unknownCritical = extensionsOf(crl).find((extension) => extension.critical === true && !understoodCrlExtensions.has(extension.extnID));
  if (unknownCritical !== undefined) {
    return { rule: 'crl-validity', message: `the CRL has the unprocessed critical extension ${unknownCritical.extnID}` };
  }
  if (((keyUsageOf(issuer) ?? 0) & KeyUsageFlags.cRLSign) === 0) {
    return { rule: 'crl-signature', message: 'the CRL issuer lacks keyUsage cRLSign' };
  }
  const algorithm = crl.signatureAlgorithm.algorithm;
  if (algorithm !== ecdsa_with_SHA256 || crl.tbsCertList.signature.algorithm !== ecdsa_with_SHA256) {
    return { rule: 'crl-signature', message: `CRL signature algorithm ${algorithm} is not ecdsa-with-SHA256` };
  }
  let valid: boolean;
  try {
    valid = verify('sha256', crl.tbsDer, issuer.publicKey, crl.signature.bytes);
  } catch (error) {
    return { rule: 'crl-signature', message: `the CRL signature is not a DER ECDSA signature (${(error as Error).message})` };
  }
  if (!valid) {
    return { rule: 'crl-signature', message: 'the CRL signature does not verify with its issuer key' };
  }
  if (at.getTime() < crl.thisUpdate.getTime()) {
    return { rule: 'crl-validity', message: `the CRL is issued in the future (thisUpdate ${crl.thisUpdate.toISOString()})` };
  }
  if (crl.nextUpdate === undefined) return { rule: 'crl-validity', message: 'the CRL has no nextUpdate' };
  if (at.getTime() > crl.nextUpdate.getTime()) {
    return { rule: 'crl-validity', message: `the CRL is stale (nextUpdate ${crl.nextUpdate.toISOString()})` };
  }
  return undefined;
}
