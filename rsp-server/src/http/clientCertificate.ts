// Identifies the caller of a mutually authenticated interface from its TLS client certificate (SGP.22
// §2.6.6: ES2+ operator → SM-DP+, ES12 SM-DP+ → SM-DS). OpenSSL has already verified the chain and validity
// during the handshake against the CAs of clientCaPems (the server refuses any other certificate there), so
// every socket reaching this identifier is `authorized`; it is checked again here (defence in depth) and this
// then decides which configured client it is, in either or both of two ways:
// - chained: the client whose CA issued the leaf, and whose CN it carries when one is configured.
// - pinned: the SHA-256 fingerprint of the leaf is configured (the certificate must also be within its
//   validity period); its CA is listed for the handshake only (`pinnedIssuers`), not as a client.
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { Certificate, assertNotInfinity, id_ecPublicKey, id_kp_clientAuth, type Clock } from '@zkesim/protocol';

export interface ClientTrust<Identity> {
  /** What the routes receive as `input.client` for a request with this client's certificate. */
  identity: Identity;
  /** PEM or DER of the CA that issues this client's certificates. */
  caCertificate?: Uint8Array | string;
  /** SHA-256 fingerprints (hex, colons optional) of pinned client certificates. */
  pinnedFingerprints?: readonly string[];
  /**
   * With pinnedFingerprints: the certificates (PEM or DER) OpenSSL chains the pinned ones to during the
   * handshake, up to a self-signed root (the pinned certificate itself when it is self-signed). Required:
   * Node 20 offers no partial-chain option (X509_V_FLAG_PARTIAL_CHAIN), so a non-self-signed pinned
   * certificate cannot be a trust anchor by itself. They are anchors only: their other certificates are not
   * this client.
   */
  pinnedIssuers?: readonly (Uint8Array | string)[];
  /** With caCertificate: the subject CN the client certificate must carry (when the CA also issues others). */
  commonName?: string;
}

interface PreparedTrust<Identity> {
  identity: Identity;
  ca?: X509Certificate;
  commonName?: string;
  pins: Set<string>;
}

/** The subject CN; Node prints the subject one attribute per line with RFC 4514 escapes (`\\+`). */
function commonNameOf(certificate: X509Certificate): string | undefined {
  return certificate.subject
    .split('\n')
    .find((line) => line.startsWith('CN='))
    ?.slice(3)
    .replace(/\\(.)/g, '$1');
}

/** RFC 5280 §4.2.1.12: a certificate that lists extended key usages must list clientAuth to act as a TLS client. */
function allowsClientAuth(certificate: X509Certificate): boolean {
  const usages = certificate.keyUsage;
  return usages === undefined || usages.includes(id_kp_clientAuth);
}

/**
 * Whether the certificate's EC key is SEC 1's point at infinity (00), read from its DER without importing the key
 * (node aborts the process when it reads such a key's details). Its private key is 0 and ECDSA verifies that key's
 * signatures against it, so OpenSSL completes the handshake for anyone holding a copy of the certificate: never a
 * client, whoever issued it (RFC 5480 §2.2: the key must be a point of the curve). A certificate our decoder
 * cannot read is not a client either.
 */
function unusableKey(certificate: X509Certificate): boolean {
  try {
    const { algorithm, subjectPublicKey } = Certificate.decode(new Uint8Array(certificate.raw)).tbsCertificate.subjectPublicKeyInfo;
    if (algorithm.algorithm === id_ecPublicKey) assertNotInfinity(subjectPublicKey.bytes, 'subjectPublicKey');
    return false;
  } catch {
    return true;
  }
}

export function normaliseFingerprint(value: string): string {
  return value.replace(/:/g, '').toUpperCase();
}

/** The identity of the configured client that presented the socket's certificate, or undefined. */
export function createClientIdentifier<Identity>(trusts: readonly ClientTrust<Identity>[], clock: Clock) {
  const prepared: PreparedTrust<Identity>[] = trusts.map((trust) => ({
    identity: trust.identity,
    ...(trust.caCertificate === undefined ? {} : { ca: new X509Certificate(trust.caCertificate) }),
    ...(trust.commonName === undefined ? {} : { commonName: trust.commonName }),
    pins: new Set((trust.pinnedFingerprints ?? []).map(normaliseFingerprint)),
  }));
  return (socket: TLSSocket): Identity | undefined => {
    const peer = socket.getPeerX509Certificate?.();
    if (peer === undefined) return undefined;
    const now = clock.now();
    if (now < Date.parse(peer.validFrom) || now > Date.parse(peer.validTo)) return undefined;
    if (!socket.authorized || unusableKey(peer)) return undefined;
    const fingerprint = normaliseFingerprint(peer.fingerprint256);
    const pinned = prepared.find((trust) => trust.pins.has(fingerprint));
    if (pinned !== undefined) return pinned.identity;
    if (!allowsClientAuth(peer)) return undefined;
    const commonName = commonNameOf(peer);
    const chained = prepared.find(
      (trust) =>
        trust.ca !== undefined &&
        peer.checkIssued(trust.ca) &&
        peer.verify(trust.ca.publicKey) &&
        (trust.commonName === undefined || trust.commonName === commonName),
    );
    return chained?.identity;
  };
}

/**
 * The CA certificates to hand to the TLS server (`ca`), so OpenSSL verifies every client certificate during
 * the handshake: the chained clients' CAs and the pinned clients' issuers, each once. A pinned client without
 * its issuer is a configuration error (its handshake could never succeed).
 */
export function clientCaPems(trusts: readonly Pick<ClientTrust<unknown>, 'caCertificate' | 'pinnedFingerprints' | 'pinnedIssuers'>[]): string[] {
  const pems = trusts.flatMap((trust, index) => {
    if ((trust.pinnedFingerprints ?? []).length > 0 && (trust.pinnedIssuers ?? []).length === 0) {
      throw new Error(
        `client trust ${index + 1} pins certificates but names no pinnedIssuers: mutual TLS is enforced at the handshake, where OpenSSL must chain the pinned certificate to a configured CA (its issuer up to the root, or the certificate itself when self-signed)`,
      );
    }
    return [...(trust.caCertificate === undefined ? [] : [trust.caCertificate]), ...(trust.pinnedIssuers ?? [])].map((certificate) => new X509Certificate(certificate).toString());
  });
  return [...new Set(pems)];
}
