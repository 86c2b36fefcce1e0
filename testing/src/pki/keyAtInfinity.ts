// A certificate whose EC key is SEC 1's point at infinity (the single octet 00; SEC 1 v2 §2.3.3), validly signed
// by its issuer, with the private key that goes with it: d = 0 (RFC 5915 ECPrivateKey). OpenSSL 3.0 loads both and
// signs a TLS CertificateVerify with d = 0, which ECDSA verifies against the key at infinity, so the handshake
// completes for anyone holding a copy of the certificate; node aborts the process when it reads the details of
// such a key. pki's issuers take a KeyObject, which such a key cannot be exported from, so the certificate is
// re-issued from an ordinary one with its subjectPublicKey replaced.
import { sign, type KeyObject } from 'node:crypto';
import { toPem } from '@zkesim/pki';
import { Certificate, TBSCertificate } from '@zkesim/protocol';

/** ECPrivateKey { version 1, privateKey 32 zero octets, [0] prime256v1, [1] publicKey 00 } (RFC 5915 §3). */
const P256_ZERO_KEY = Buffer.from(`30370201010420${'00'.repeat(32)}a00a06082a8648ce3d030107a10403020000`, 'hex');

/** `certificateDer` (a P-256 certificate) with its key at infinity, signed anew by `issuerKey`; both as PEM. */
export function reissueAtInfinity(certificateDer: Uint8Array, issuerKey: KeyObject): { cert: string; key: string } {
  const { tbsCertificate, signatureAlgorithm } = Certificate.decode(certificateDer);
  const spki = { ...tbsCertificate.subjectPublicKeyInfo, subjectPublicKey: { bytes: Uint8Array.of(0x00), unusedBits: 0 } };
  const tbs = TBSCertificate.encode({ ...tbsCertificate, subjectPublicKeyInfo: spki });
  const signature = { bytes: new Uint8Array(sign('sha256', tbs, issuerKey)), unusedBits: 0 };
  const certificate = Certificate.encode({ tbsCertificate: TBSCertificate.decode(tbs), signatureAlgorithm, signature });
  return { cert: toPem(certificate, 'CERTIFICATE'), key: toPem(new Uint8Array(P256_ZERO_KEY), 'EC PRIVATE KEY') };
}
