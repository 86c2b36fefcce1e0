// Object identifiers of the RSP PKI that the vendored ASN.1 modules do not assign. The RSPDefinitions and
// PKIX ones (id-rspRole-*, id-rsp-*, id-ce-*, id-at-*, id-kp-*) are generated into @zkesim/protocol from the
// module text; the role OIDs are carried as certificatePolicies policy identifiers (SGP.22 v2.2.2 §4.5.2):
// that is how a verifier learns the role a certificate may be used in.

/** ecdsa-with-SHA256 (RFC 5758 §3.2), the only signature algorithm of the RSP PKI (SGP.22 §2.6.5). */
export const ecdsa_with_SHA256 = '1.2.840.10045.4.3.2';
/** id-ecPublicKey (RFC 5480 §2.1.1), defined with the curves in @zkesim/protocol. */
export { id_ecPublicKey } from '@zkesim/protocol';

/**
 * Development registeredIDs for the subjectAltName of our own hierarchy. They sit under the example arc
 * 2.999 that the SGP.26 test PKI also uses (CI 2.999.1, EUM 2.999.5, SM-DP+ 2.999.10); the SM-DS value
 * is our choice, SGP.26 has no SM-DS certificate.
 */
export const developmentOids = {
  ci: '2.999.1',
  eum: '2.999.5',
  smdpPlus: '2.999.10',
  smds: '2.999.20',
} as const;
