import { KeyUsageFlags } from '@peculiar/asn1-x509';
import {
  id_kp_clientAuth, id_kp_serverAuth, id_rspRole_dp_auth, id_rspRole_dp_pb, id_rspRole_dp_tls, id_rspRole_ds_auth, id_rspRole_ds_tls,
  id_rspRole_euicc,
} from '@zkesim/protocol';
import type { CertificateRole } from './errors.js';

/** What a certificate used in a role must carry (SGP.22 v2.2.2 §4.5.2). */
export interface RoleProfile {
  /** The id-rspRole policy identifier; undefined for the ES2+/ES12 TLS client, which has none. */
  readonly policy: string | undefined;
  /** keyUsage bits that must be set (asn1-x509 KeyUsageFlags). */
  readonly keyUsage: number;
  /** EKU purposes that must be present, when the role is a TLS one. */
  readonly extendedKeyUsage: readonly string[];
  /** Who signs it: the CI directly, or an EUM below the CI. */
  readonly issuedBy: 'ci' | 'eum';
}

export const roleProfiles: Readonly<Record<CertificateRole, RoleProfile>> = {
  euicc: { policy: id_rspRole_euicc, keyUsage: KeyUsageFlags.digitalSignature, extendedKeyUsage: [], issuedBy: 'eum' },
  dpauth: { policy: id_rspRole_dp_auth, keyUsage: KeyUsageFlags.digitalSignature, extendedKeyUsage: [], issuedBy: 'ci' },
  dppb: { policy: id_rspRole_dp_pb, keyUsage: KeyUsageFlags.digitalSignature, extendedKeyUsage: [], issuedBy: 'ci' },
  dptls: { policy: id_rspRole_dp_tls, keyUsage: KeyUsageFlags.digitalSignature, extendedKeyUsage: [id_kp_serverAuth], issuedBy: 'ci' },
  dsauth: { policy: id_rspRole_ds_auth, keyUsage: KeyUsageFlags.digitalSignature, extendedKeyUsage: [], issuedBy: 'ci' },
  dstls: { policy: id_rspRole_ds_tls, keyUsage: KeyUsageFlags.digitalSignature, extendedKeyUsage: [id_kp_serverAuth], issuedBy: 'ci' },
  // SPEC-AMBIGUITY: SGP.22 leaves the ES2+/ES12 mutual-TLS client certificate to the parties' agreement;
  // we require only digitalSignature and clientAuth and no RSP role policy.
  client: { policy: undefined, keyUsage: KeyUsageFlags.digitalSignature, extendedKeyUsage: [id_kp_clientAuth], issuedBy: 'ci' },
};

export const certificateRoles: readonly CertificateRole[] = ['euicc', 'dpauth', 'dppb', 'dptls', 'dsauth', 'dstls', 'client'];

export function isCertificateRole(value: string): value is CertificateRole {
  return (certificateRoles as readonly string[]).includes(value);
}
