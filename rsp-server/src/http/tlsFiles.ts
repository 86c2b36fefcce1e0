// Loading certificates and keys for node:tls from files (PEM or DER), and the TLS settings SGP.22 asks
// for on ES9+ (§2.6.6: TLS 1.2 with TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, optionally
// …_AES_128_CBC_SHA256; TLS 1.3 also allowed here for NIST).
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SecureContextOptions } from 'node:tls';

export function certificatePem(path: string): string {
  return new X509Certificate(readFileSync(path)).toString();
}

export function privateKeyPem(path: string): string {
  const bytes = readFileSync(path);
  const text = bytes.toString('utf8');
  const key = text.includes('-----BEGIN') ? createPrivateKey(text) : createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' });
  return key.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** The curve of a certificate's EC key ('prime256v1', 'brainpoolP256r1', …). */
export function certificateCurve(pem: string): string | undefined {
  return new X509Certificate(pem).publicKey.asymmetricKeyDetails?.namedCurve;
}

/**
 * TLS options for a server presenting `certPath`. A brainpoolP256r1 certificate needs TLS 1.2 and the
 * brainpool group listed (OpenSSL 3.0 in Node 20 has no TLS 1.3 brainpool signature scheme).
 */
export function serverTlsOptions(certPath: string, keyPath: string, chain: string[] = []): SecureContextOptions & { minVersion: 'TLSv1.2' } {
  const cert = [certificatePem(certPath), ...chain.map(certificatePem)].join('');
  const brainpool = certificateCurve(cert) === 'brainpoolP256r1';
  return {
    cert,
    key: privateKeyPem(keyPath),
    minVersion: 'TLSv1.2',
    ...(brainpool ? { maxVersion: 'TLSv1.2' as const } : {}),
    ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256',
    ecdhCurve: 'prime256v1:brainpoolP256r1:X25519',
  };
}
