// Identifies the ES2+ caller from its TLS client certificate (SGP.22 §2.6.6, mutual TLS on ES2+).
// Two ways an operator can be configured:
// - chained: the certificate chains to the operator's CA. OpenSSL checks the chain and validity during
//   the handshake (the server lists the operator CAs in `ca`); we require `socket.authorized` and then
//   pick the operator whose CA issued the leaf.
// - pinned: the SHA-256 fingerprint of the leaf is configured; the certificate must also be within its
//   validity period.
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { type Clock, id_kp_clientAuth } from '@zkesim/protocol';
import type { OperatorIdentity } from '../../es2plus/operator.js';

export interface OperatorTrust {
  operatorId: string;
  callbackUrl?: string;
  /** PEM or DER of the CA that issues this operator's client certificates. */
  caCertificate?: Uint8Array | string;
  /** SHA-256 fingerprints (hex, colons optional) of pinned client certificates. */
  pinnedFingerprints?: string[];
  /** With caCertificate: the subject CN the client certificate must carry (when the CA also issues others). */
  commonName?: string;
}

interface PreparedOperator {
  identity: OperatorIdentity;
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

export function normaliseFingerprint(value: string): string {
  return value.replace(/:/g, '').toUpperCase();
}

export function createOperatorIdentifier(operators: readonly OperatorTrust[], clock: Clock) {
  const prepared: PreparedOperator[] = operators.map((operator) => ({
    identity: {
      operatorId: operator.operatorId,
      ...(operator.callbackUrl === undefined ? {} : { callbackUrl: operator.callbackUrl }),
    },
    ...(operator.caCertificate === undefined ? {} : { ca: new X509Certificate(operator.caCertificate) }),
    ...(operator.commonName === undefined ? {} : { commonName: operator.commonName }),
    pins: new Set((operator.pinnedFingerprints ?? []).map(normaliseFingerprint)),
  }));
  return (socket: TLSSocket): OperatorIdentity | undefined => {
    const peer = socket.getPeerX509Certificate?.();
    if (peer === undefined) return undefined;
    const now = clock.now();
    if (now < Date.parse(peer.validFrom) || now > Date.parse(peer.validTo)) return undefined;
    const fingerprint = normaliseFingerprint(peer.fingerprint256);
    const pinned = prepared.find((operator) => operator.pins.has(fingerprint));
    if (pinned !== undefined) return pinned.identity;
    if (!socket.authorized || !allowsClientAuth(peer)) return undefined;
    const commonName = commonNameOf(peer);
    const chained = prepared.find(
      (operator) =>
        operator.ca !== undefined &&
        peer.checkIssued(operator.ca) &&
        peer.verify(operator.ca.publicKey) &&
        (operator.commonName === undefined || operator.commonName === commonName),
    );
    return chained?.identity;
  };
}

/** The CA certificates to hand to the TLS server (`ca`), so OpenSSL verifies chained client certificates. */
export function operatorCaPems(operators: readonly OperatorTrust[]): string[] {
  return operators.flatMap((operator) => (operator.caCertificate === undefined ? [] : [new X509Certificate(operator.caCertificate).toString()]));
}
