// Identifies the caller of ES12 (an SM-DP+) or ES15 (an SM-DS) from its TLS client certificate (SGP.22 v2.2.2
// §2.6.6, mutual TLS): the certificate must chain to a configured CI in the SM-DP+ TLS role (CERT.DPtls,
// id-rspRole-dp-tls) or the SM-DS TLS role (CERT.DStls, id-rspRole-ds-tls), within its validity, not revoked
// by the configured CRLs, and allowed for clientAuth. pki's chain rules decide; nothing else is accepted.
import type { TLSSocket } from 'node:tls';
import { CertificateFormatError, CertificateRuleError, parseCertificate, validateChain, type RspCertificate, type RspCrl } from '@zkesim/pki';
import { id_kp_clientAuth, type Clock } from '@zkesim/protocol';
import type { Registrant } from '../../core/eventStore.js';

export interface PeerTrust {
  cis: readonly RspCertificate[];
  crls: readonly RspCrl[];
  clock: Clock;
}

const roles = [
  ['dptls', 'smdp'],
  ['dstls', 'smds'],
] as const;

/**
 * SPEC-AMBIGUITY: SGP.22 does not say how an SM-DS tells SM-DP+s apart; we name a registrant by the subject
 * of its TLS certificate (the same across the renewals of one server), and only that name may delete its events.
 */
export function createPeerIdentifier(trust: PeerTrust): (socket: TLSSocket) => Registrant | undefined {
  return (socket) => {
    const peer = socket.getPeerX509Certificate?.();
    if (peer === undefined) return undefined;
    // RFC 5280 §4.2.1.12: a certificate that lists extended key usages must list clientAuth to act as a TLS client.
    if (peer.keyUsage !== undefined && !peer.keyUsage.includes(id_kp_clientAuth)) return undefined;
    let certificate: RspCertificate;
    try {
      certificate = parseCertificate(new Uint8Array(peer.raw));
    } catch (error) {
      if (error instanceof CertificateFormatError) return undefined;
      throw error;
    }
    const at = new Date(trust.clock.now());
    for (const [role, registrantRole] of roles) {
      try {
        validateChain({ certificate, trustedCis: trust.cis, role, at, crls: trust.crls });
        return { role: registrantRole, name: peer.subject.split('\n').join(', ') };
      } catch (error) {
        if (!(error instanceof CertificateRuleError)) throw error;
      }
    }
    return undefined;
  };
}
