// A profile as the user names it on the command line: an ICCID (digits) or an ISD-P AID (hex), turned into
// the ProfileIdentifier of ES10c (the ICCID in its EF.ICCID coding, protocol's iccidToBytes).
import { fromHex, iccidToBytes } from '@zkesim/protocol';
import { InvalidInput } from './errors.js';
import type { ProfileIdentifier } from './es10-client/es10c.js';

/**
 * A profile named on the command line: an ICCID (18–20 digits) or an ISD-P AID (hex, 5 to 16 bytes,
 * e.g. A0000005591010FFFFFFFF8900001000). Digits only means ICCID.
 */
export function profileIdentifierOf(text: string): ProfileIdentifier {
  const value = text.trim();
  if (/^\d{18,20}$/.test(value)) return { iccid: iccidToBytes(value) };
  if (/^(?:[0-9A-Fa-f]{2}){5,16}$/.test(value)) return { isdpAid: fromHex(value) };
  throw new InvalidInput('profile', `"${text}" is neither an ICCID (18-20 digits) nor an ISD-P AID (10-32 hex digits)`);
}
