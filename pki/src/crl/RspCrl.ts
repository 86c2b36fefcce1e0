import { CRLNumber, CertificateList, derOf, id_ce_cRLNumber, toHex, type AlgorithmIdentifier, type BitString, type TBSCertList } from '@zkesim/protocol';
import { CertificateFormatError } from '../errors.js';
import { assertCanonicalDer, assertWholeOctets, dateOfTime, firstTlvLength, serialNumberBytes } from '../certificate/der.js';

/**
 * A parsed CRL (RFC 5280 §5), decoded once with protocol's generated `CertificateList` codec. `tbsDer` is
 * the exact received TBSCertList: the CRL signature is checked over it, never over a re-encoding.
 */
export interface RspCrl {
  readonly der: Uint8Array;
  readonly tbsDer: Uint8Array;
  /** The decoded fields (protocol's `TBSCertList`). */
  readonly tbsCertList: TBSCertList;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: BitString;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  readonly crlNumber: bigint | undefined;
  /** Revoked serial numbers (hex of the INTEGER contents) and their revocation dates. */
  readonly revoked: ReadonlyMap<string, Date>;
}

export function parseCrl(der: Uint8Array): RspCrl {
  const length = firstTlvLength(der);
  if (length <= 0) throw new CertificateFormatError('CRL is not a DER TLV');
  if (length !== der.length) throw new CertificateFormatError(`${der.length - length} trailing bytes after the CRL`);
  const { tbsCertList, signatureAlgorithm, signature } = assertCanonicalDer(CertificateList, der, 'CRL');
  assertWholeOctets(signature, 'CRL signature');
  const revoked = new Map<string, Date>();
  for (const entry of tbsCertList.revokedCertificates ?? []) {
    revoked.set(toHex(serialNumberBytes(entry.userCertificate)), dateOfTime(entry.revocationDate, 'revocationDate'));
  }
  const copy = new Uint8Array(der);
  return {
    der: copy,
    tbsDer: derOf(tbsCertList),
    tbsCertList,
    signatureAlgorithm,
    signature,
    thisUpdate: dateOfTime(tbsCertList.thisUpdate, 'thisUpdate'),
    nextUpdate: tbsCertList.nextUpdate === undefined ? undefined : dateOfTime(tbsCertList.nextUpdate, 'nextUpdate'),
    crlNumber: crlNumberOf(tbsCertList),
    revoked,
  };
}

/** The cRLNumber extension (RFC 5280 §5.2.3), decoded with protocol's `CRLNumber` codec. */
function crlNumberOf(tbsCertList: TBSCertList): bigint | undefined {
  const numbers = (tbsCertList.crlExtensions ?? []).filter((extension) => extension.extnID === id_ce_cRLNumber);
  if (numbers.length > 1) throw new CertificateFormatError(`cRLNumber appears ${numbers.length} times`);
  const extension = numbers[0];
  if (extension === undefined) return undefined;
  try {
    return CRLNumber.decode(extension.extnValue);
  } catch (error) {
    throw new CertificateFormatError(`cRLNumber is malformed: ${(error as Error).message}`, { cause: error });
  }
}
