// @zkesim/pki: issue, load and validate the certificates of the GSMA RSP PKI (SGP.22 v2.2.2 §4.5).
export * from './oids.js';
export * from './errors.js';
export { roleProfiles, certificateRoles, isCertificateRole, type RoleProfile } from './roles.js';
export { curveOfLabel, labelOfCurve, type CurveLabel } from './keys/curves.js';
export { createKeyObjectSigner, type Signer } from './keys/signer.js';
export {
  generateKeyPair, writePrivateKeyFile, readPrivateKeyFile, readSignerFile, PRIVATE_KEY_FILE_MODE, type KeyPair,
} from './keys/keyFile.js';
export { parseCertificate, type RspCertificate } from './certificate/RspCertificate.js';
export * from './certificate/extensions.js';
export { buildName, attributeValues, describeName, namesEqual, type NameAttribute, type AttributeName } from './certificate/names.js';
export { toPem, fromPem } from './certificate/pem.js';
export { issueCertificate, serialNumberFromRandom, issuerOf, type CertificateTemplate, type Issuer } from './issue/issueCertificate.js';
export type { IssueBase, IssuingCa } from './issue/common.js';
export { issueCiCertificate, type CiOptions } from './issue/ci.js';
export { issueEumCertificate, type EumOptions } from './issue/eum.js';
export { issueEuiccCertificate, NO_WELL_DEFINED_EXPIRY, type EuiccOptions } from './issue/euicc.js';
export { issueDpAuthCertificate, issueDpPbCertificate, issueDpTlsCertificate } from './issue/smdpplus.js';
export { issueDsAuthCertificate, issueDsTlsCertificate } from './issue/smds.js';
export type { ServerCertificateOptions } from './issue/serverCertificate.js';
export { issueClientCertificate, type ClientCertificateOptions } from './issue/client.js';
export { issueWebServerCertificate, type WebServerCertificateOptions } from './issue/webServer.js';
export { parseCrl, type RspCrl } from './crl/RspCrl.js';
export { issueCrl, type CrlOptions, type RevokedEntry } from './crl/issueCrl.js';
export { revokeCertificate, type RevokeOptions } from './crl/revoke.js';
export { checkCrl, type CrlProblem } from './crl/checkCrl.js';
export { chainRules, selectTrustedCi, eidOf, permittedEinsOf, type ChainRule, type RuleContext, type PermittedEin } from './rules/index.js';
export { validateChain, type ChainValidationInput, type ValidatedChain } from './validateChain.js';
export { loadEntity, readCertificateFile, type CertifiedSigner, type PkiEntity } from './entity.js';
export { loadSgp26Pki, trustedSgp26Cis, SGP26_EID, type Sgp26Pki } from './sgp26.js';
export { createDevelopmentPki, type DevelopmentPkiOptions } from './development/create.js';
export { loadDevelopmentPki, type DevelopmentPki, type DevelopmentHierarchy } from './development/load.js';
export { entityNames, type EntityName } from './development/layout.js';
