import { fromHex } from '@zkesim/protocol';
import { issueCrl } from './issueCrl.js';
import type { IssuingCa } from '../issue/common.js';
import type { RspCrl } from './RspCrl.js';

export interface RevokeOptions {
  /** The issuer's current CRL. */
  readonly crl: RspCrl;
  readonly issuer: IssuingCa;
  /** INTEGER contents of the serial number to revoke. */
  readonly serialNumber: Uint8Array;
  /** Revocation date and thisUpdate of the new CRL. */
  readonly at: Date;
  readonly nextUpdate: Date;
}

/**
 * A new CRL with one more revoked certificate: the entries of `crl` (kept with their dates), plus
 * `serialNumber`, and cRLNumber one higher (RFC 5280 §5.2.3). Revoking an already revoked serial keeps
 * its first revocation date.
 */
export function revokeCertificate(options: RevokeOptions): RspCrl {
  const entries = [...options.crl.revoked].map(([serial, revocationDate]) => ({ serialNumber: fromHex(serial, 'serial'), revocationDate }));
  const key = Buffer.from(options.serialNumber).toString('hex');
  if (!options.crl.revoked.has(key)) entries.push({ serialNumber: options.serialNumber, revocationDate: options.at });
  return issueCrl({
    issuer: options.issuer,
    thisUpdate: options.at,
    nextUpdate: options.nextUpdate,
    crlNumber: Number(options.crl.crlNumber ?? 0n) + 1,
    revoked: entries,
  });
}
