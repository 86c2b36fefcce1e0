// Loader for the GSMA SGP.26 test PKI (files as published in osmocom/pysim smdpp-data/certs and
// osmocom/osmo-ttcn3-hacks smdpp/sgp26, snapshots of 2026-11-25). Test material only.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RspCertificate } from './certificate/RspCertificate.js';
import type { CurveLabel } from './keys/curves.js';
import { loadEntity, readCertificateFile, type PkiEntity } from './entity.js';

/** The SGP.26 test hierarchy of one curve. */
export interface Sgp26Pki {
  readonly curve: CurveLabel;
  readonly ci: PkiEntity;
  readonly eum: PkiEntity;
  readonly euicc: PkiEntity;
  /** 89049032123451234512345678901235 */
  readonly eid: string;
  readonly dpauth: PkiEntity;
  readonly dppb: PkiEntity;
  /**
   * CERT_S_SM_DP_VARO_TLS (testsmdpplus1.example.com, valid 2026-07-21 to 2027-02-06): the pysim DPtls
   * certificates expired on 2026-08-02, this newer one uses the same key (from osmo-ttcn3-hacks).
   */
  readonly dptls: PkiEntity;
}

export const SGP26_EID = '89049032123451234512345678901235';

/** Loads the SGP.26 test PKI from `dir` (the folder holding CertificateIssuer/, EUM/, eUICC/, DPauth/, ...). */
export function loadSgp26Pki(dir: string, curve: CurveLabel): Sgp26Pki {
  const suffix = curve === 'nist' ? 'NIST' : 'BRP';
  const entity = (folder: string, certificate: string, key: string): PkiEntity =>
    loadEntity(join(dir, folder, `${certificate}_${suffix}.der`), join(dir, folder, `${key}_${suffix}.pem`));
  return {
    curve,
    ci: entity('CertificateIssuer', 'CERT_CI_ECDSA', 'SK_CI_ECDSA'),
    eum: entity('EUM', 'CERT_EUM_ECDSA', 'SK_EUM_ECDSA'),
    euicc: entity('eUICC', 'CERT_EUICC_ECDSA', 'SK_EUICC_ECDSA'),
    eid: SGP26_EID,
    dpauth: entity('DPauth', 'CERT_S_SM_DPauth_ECDSA', 'SK_S_SM_DPauth_ECDSA'),
    dppb: entity('DPpb', 'CERT_S_SM_DPpb_ECDSA', 'SK_S_SM_DPpb_ECDSA'),
    dptls: entity('DPtls', 'CERT_S_SM_DP_VARO_TLS', 'SK_S_SM_DP_TLS'),
  };
}

/**
 * The SGP.26 test CI certificates shipped in pki/anchors/sgp26 (see SOURCE.md there): the roots to trust
 * when talking to peers of the GSMA test PKI. Test material only.
 */
export function trustedSgp26Cis(): { nist: RspCertificate; brp: RspCertificate } {
  const anchor = (file: string) => readCertificateFile(fileURLToPath(new URL(`../anchors/sgp26/${file}`, import.meta.url)));
  return { nist: anchor('CERT_CI_ECDSA_NIST.der'), brp: anchor('CERT_CI_ECDSA_BRP.der') };
}
