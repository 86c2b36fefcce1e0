import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier, CRLNumber, CertificateList, Extension, RevokedCertificate, TBSCertList, Time, Version,
} from '@peculiar/asn1-x509';
import { keyUsageOf } from '../certificate/extensions.js';
import { x509NameOf } from '../certificate/names.js';
import { KeyUsageFlags } from '@peculiar/asn1-x509';
import { authorityKeyIdentifier } from '../issue/extensions.js';
import { authorityKeyIdOf, type IssuingCa } from '../issue/common.js';
import { id_ce_cRLNumber, rawSignatureToDer } from '@zkesim/protocol';
import { ecdsa_with_SHA256 } from '../oids.js';
import { PkiUsageError } from '../errors.js';
import { parseCrl, type RspCrl } from './RspCrl.js';

export interface RevokedEntry {
  /** INTEGER contents of the revoked certificate's serialNumber (`RspCertificate.serialNumber`). */
  readonly serialNumber: Uint8Array;
  readonly revocationDate: Date;
}

export interface CrlOptions {
  /** The CI or sub-CA whose certificates the CRL covers; it needs keyUsage cRLSign. */
  readonly issuer: IssuingCa;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  /** Monotonically increasing per issuer (RFC 5280 §5.2.3). */
  readonly crlNumber: number;
  readonly revoked: readonly RevokedEntry[];
}

/**
 * Issues a v2 CRL (RFC 5280 §5; SGP.22 v2.2.2 §4.5.2.2): ecdsa-with-SHA256, thisUpdate/nextUpdate,
 * the revoked serial numbers, and the AKI and cRLNumber extensions. The TBSCertList DER is signed by the
 * issuer's Signer.
 */
export function issueCrl(options: CrlOptions): RspCrl {
  if (((keyUsageOf(options.issuer.certificate) ?? 0) & KeyUsageFlags.cRLSign) === 0) {
    throw new PkiUsageError('the CRL issuer certificate lacks keyUsage cRLSign');
  }
  if (options.nextUpdate.getTime() <= options.thisUpdate.getTime()) throw new PkiUsageError('nextUpdate must be after thisUpdate');
  if (!Number.isSafeInteger(options.crlNumber) || options.crlNumber < 0) throw new PkiUsageError('crlNumber must be a non-negative integer');
  const algorithm = new AlgorithmIdentifier({ algorithm: ecdsa_with_SHA256 });
  const tbsCertList = new TBSCertList({
    version: Version.v2,
    signature: algorithm,
    issuer: x509NameOf(options.issuer.certificate.tbsCertificate.subject),
    thisUpdate: new Time(options.thisUpdate),
    nextUpdate: new Time(options.nextUpdate),
    crlExtensions: [
      authorityKeyIdentifier(authorityKeyIdOf(options.issuer)),
      new Extension({ extnID: id_ce_cRLNumber, critical: false, extnValue: new OctetString(AsnConvert.serialize(new CRLNumber(options.crlNumber))) }),
    ],
  });
  if (options.revoked.length > 0) {
    tbsCertList.revokedCertificates = options.revoked.map(
      (entry) => new RevokedCertificate({ userCertificate: entry.serialNumber.slice().buffer, revocationDate: new Time(entry.revocationDate) }),
    );
  }
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbsCertList));
  const signature = rawSignatureToDer(options.issuer.signer.sign(tbsDer));
  const crl = new CertificateList({ tbsCertList, signatureAlgorithm: new AlgorithmIdentifier({ algorithm: ecdsa_with_SHA256 }), signature: signature.slice().buffer });
  return parseCrl(new Uint8Array(AsnConvert.serialize(crl)));
}
