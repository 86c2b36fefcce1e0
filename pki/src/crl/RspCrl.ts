import { AsnConvert } from '@peculiar/asn1-schema';
import { CRLNumber, CertificateList, id_ce_cRLNumber, type Extension, type Name } from '@peculiar/asn1-x509';
import { CertificateFormatError } from '../errors.js';
import { CertificateList as CertificateListCodec } from '@zkesim/protocol';
import { assertCanonicalDer, assertWholeOctets, bytesOf, firstTlvLength, toHex } from '../certificate/der.js';

/**
 * A parsed CRL (RFC 5280 §5). `tbsDer` is the exact received TBSCertList: the CRL signature is checked
 * over it, never over a re-encoding.
 */
export interface RspCrl {
  readonly der: Uint8Array;
  readonly tbsDer: Uint8Array;
  readonly crl: CertificateList;
  readonly issuer: Name;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  readonly crlNumber: bigint | undefined;
  readonly extensions: readonly Extension[];
  /** Revoked serial numbers (hex of the INTEGER contents) and their revocation dates. */
  readonly revoked: ReadonlyMap<string, Date>;
}

export function parseCrl(der: Uint8Array): RspCrl {
  const length = firstTlvLength(der);
  if (length <= 0) throw new CertificateFormatError('CRL is not a DER TLV');
  if (length !== der.length) throw new CertificateFormatError(`${der.length - length} trailing bytes after the CRL`);
  assertWholeOctets(assertCanonicalDer(CertificateListCodec, der, 'CRL').signature, 'CRL signature');
  let crl: CertificateList;
  try {
    crl = AsnConvert.parse(der, CertificateList);
  } catch (error) {
    throw new CertificateFormatError(`not an X.509 CRL: ${(error as Error).message}`, { cause: error });
  }
  if (crl.tbsCertListRaw === undefined) throw new CertificateFormatError('tbsCertList bytes missing');
  const tbs = crl.tbsCertList;
  const revoked = new Map<string, Date>();
  for (const entry of tbs.revokedCertificates ?? []) revoked.set(toHex(bytesOf(entry.userCertificate)), entry.revocationDate.getTime());
  const numberExtension = (tbs.crlExtensions ?? []).find((extension) => extension.extnID === id_ce_cRLNumber);
  let crlNumber: bigint | undefined;
  if (numberExtension !== undefined) {
    try {
      crlNumber = BigInt(AsnConvert.parse(numberExtension.extnValue, CRLNumber).value);
    } catch (error) {
      throw new CertificateFormatError(`cRLNumber is malformed: ${(error as Error).message}`, { cause: error });
    }
  }
  return {
    der: new Uint8Array(der),
    tbsDer: bytesOf(crl.tbsCertListRaw),
    crl,
    issuer: tbs.issuer,
    thisUpdate: tbs.thisUpdate.getTime(),
    nextUpdate: tbs.nextUpdate?.getTime(),
    crlNumber,
    extensions: tbs.crlExtensions ?? [],
    revoked,
  };
}
