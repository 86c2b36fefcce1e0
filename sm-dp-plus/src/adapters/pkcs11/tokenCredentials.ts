// SK.DPauth and SK.DPpb made inside the token and certified by a CI: the private keys never exist outside
// the token (CKA_SENSITIVE, CKA_EXTRACTABLE false), the certificates (SGP.22 v2.2.2 §4.5.2.1) are written
// next to the configuration. A production CI certifies the public key through its own process; this is the
// development path (`zkesim smdp hsm init` with the development PKI's CI, or a test CI).
import { issueDpAuthCertificate, issueDpPbCertificate, issueDpTlsCertificate, serialNumberFromRandom, type IssuingCa, type RspCertificate } from '@zkesim/pki';
import type { CurveName, RandomSource } from '@zkesim/protocol';
import type { Pkcs11Token } from './pkcs11Token.js';

export interface TokenCredentialOptions {
  token: Pkcs11Token;
  /** The CI that certifies the keys (its certificate and Signer). */
  ci: IssuingCa;
  curve: CurveName;
  labels: { dpAuth: string; dpPb: string };
  /** The SM-DP+ OID (SAN registeredID of CERT.DPauth and CERT.DPpb). */
  registeredId: string;
  organization: string;
  now: Date;
  validityDays: number;
  random: RandomSource;
}

/** Generates both key pairs in the token and issues CERT.DPauth and CERT.DPpb for them. */
export function issueTokenCredentials(options: TokenCredentialOptions): { dpAuth: RspCertificate; dpPb: RspCertificate } {
  const issue = (label: string, issuer: typeof issueDpAuthCertificate): RspCertificate =>
    issuer({ ...tokenKeyCertificateFields(options, label), commonName: `${options.organization} SM-DP+` });
  return { dpAuth: issue(options.labels.dpAuth, issueDpAuthCertificate), dpPb: issue(options.labels.dpPb, issueDpPbCertificate) };
}

/**
 * SK.DPtls made in the token and CERT.DPtls for `dnsNames` (§2.6.6), for a TLS terminator that can use a token
 * key (SECURITY.md, "Keys in an HSM": Node's TLS cannot).
 */
export function issueTokenTlsCertificate(options: Omit<TokenCredentialOptions, 'labels'> & { label: string; dnsNames: readonly string[] }): RspCertificate {
  return issueDpTlsCertificate({
    ...tokenKeyCertificateFields(options, options.label),
    commonName: options.dnsNames[0] ?? options.organization,
    dnsNames: options.dnsNames,
  });
}

/** A key pair generated in the token under `label`, and the certificate fields every SM-DP+ certificate for it shares. */
function tokenKeyCertificateFields(options: Omit<TokenCredentialOptions, 'labels'>, label: string) {
  const key = options.token.generateKeyPair(label, new TextEncoder().encode(label), options.curve);
  return {
    serialNumber: serialNumberFromRandom(options.random.bytes(16)),
    notBefore: options.now,
    notAfter: new Date(options.now.getTime() + options.validityDays * 24 * 3600 * 1000),
    publicKey: key.publicKey,
    ci: options.ci,
    organization: options.organization,
    registeredId: options.registeredId,
  };
}
