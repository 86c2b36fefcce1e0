// Object identifiers of the GSMA RSP certificate profiles (SGP.22 v2.2.2 §4.5.2, RSPDefinitions module
// arc 2.23.146.1). The role OIDs are carried as certificatePolicies policy identifiers:
// that is how a verifier learns the role a certificate may be used in.

/** id-rsp: joint-iso-itu-t(2) international-organizations(23) gsma(146) rsp(1). */
export const id_rsp = '2.23.146.1';
/** id-rsp-cert-objects. */
export const id_rsp_cert_objects = '2.23.146.1.2';
/** id-rspExt: RSP-specific certificate and CRL extensions. */
export const id_rspExt = '2.23.146.1.2.0';
/** id-rsp-expDate extension. */
export const id_rsp_expDate = '2.23.146.1.2.0.1';
/** id-rsp-totalPartialCrlNumber CRL extension. */
export const id_rsp_totalPartialCrlNumber = '2.23.146.1.2.0.2';
/** id-rsp-partialCrlNumber CRL extension. */
export const id_rsp_partialCrlNumber = '2.23.146.1.2.0.3';
/** id-rspRole: the arc of the role policy identifiers. */
export const id_rspRole = '2.23.146.1.2.1';
export const id_rspRole_ci = '2.23.146.1.2.1.0';
export const id_rspRole_euicc = '2.23.146.1.2.1.1';
export const id_rspRole_eum = '2.23.146.1.2.1.2';
export const id_rspRole_dp_tls = '2.23.146.1.2.1.3';
export const id_rspRole_dp_auth = '2.23.146.1.2.1.4';
export const id_rspRole_dp_pb = '2.23.146.1.2.1.5';
export const id_rspRole_ds_tls = '2.23.146.1.2.1.6';
export const id_rspRole_ds_auth = '2.23.146.1.2.1.7';

/** ecdsa-with-SHA256 (RFC 5758 §3.2), the only signature algorithm of the RSP PKI (SGP.22 §2.6.5). */
export const ecdsa_with_SHA256 = '1.2.840.10045.4.3.2';
/** id-ecPublicKey (RFC 5480 §2.1.1). */
export const id_ecPublicKey = '1.2.840.10045.2.1';

/** Certificate and CRL extensions (RFC 5280 §4.2.1, §5.2; arc id-ce 2.5.29). */
export const id_ce_subjectKeyIdentifier = '2.5.29.14';
export const id_ce_keyUsage = '2.5.29.15';
export const id_ce_subjectAltName = '2.5.29.17';
export const id_ce_basicConstraints = '2.5.29.19';
export const id_ce_cRLNumber = '2.5.29.20';
export const id_ce_nameConstraints = '2.5.29.30';
export const id_ce_cRLDistributionPoints = '2.5.29.31';
export const id_ce_certificatePolicies = '2.5.29.32';
export const id_ce_authorityKeyIdentifier = '2.5.29.35';
export const id_ce_extKeyUsage = '2.5.29.37';

/** X.520 attribute types used in RSP subjects. */
export const id_at_commonName = '2.5.4.3';
export const id_at_serialNumber = '2.5.4.5';
export const id_at_countryName = '2.5.4.6';
export const id_at_organizationName = '2.5.4.10';
export const id_at_organizationalUnitName = '2.5.4.11';

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
