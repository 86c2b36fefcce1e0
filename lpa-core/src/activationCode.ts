// Activation Code parsing (SGP.22 v2.2.2 §4.1):
//   [LPA:]AC_Format $ SM-DP+ Address $ AC_Token [ $ SM-DP+ OID [ $ Confirmation Code Required Flag ] ]
import { InvalidIdentifier, serverAddress, type ActivationCode } from '@zkesim/protocol';
import { InvalidActivationCode } from './errors.js';

/** SPEC-AMBIGUITY: §4.1 gives no explicit limit; QR codes and deployed LPAs stay under 255 characters. */
export const MAX_ACTIVATION_CODE_LENGTH = 255;

const oid = /^[0-2](\.(0|[1-9]\d*))+$/;
// SPEC-AMBIGUITY: §4.1 expects AC_Token in upper-case alphanumerics and '-', but issued codes in the field
// also use lower case, '.', '_' and '+'; we accept any printable ASCII except '$' and spaces.
const token = /^[\x21-\x23\x25-\x7e]+$/;

/** Checks an SM-DP+ address: host name or IP literal, optional `:port` (protocol's serverAddress). */
export function assertSmdpAddress(address: string, field = 'smdpAddress'): void {
  try {
    serverAddress(address, field);
  } catch (error) {
    if (error instanceof InvalidIdentifier) throw new InvalidActivationCode(field, error.detail);
    throw error;
  }
}

/**
 * Parses an activation code, with or without the `LPA:` prefix of the QR code form. Unknown trailing
 * fields (added by later versions) are ignored; an empty OID field is accepted (`1$host$TOKEN$$1`).
 */
export function parseActivationCode(text: string): ActivationCode {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new InvalidActivationCode('activationCode', 'empty');
  if (trimmed.length > MAX_ACTIVATION_CODE_LENGTH) {
    throw new InvalidActivationCode('activationCode', `longer than ${MAX_ACTIVATION_CODE_LENGTH} characters`);
  }
  const body = /^lpa:/i.test(trimmed) ? trimmed.slice(4) : trimmed;
  const [format, address, matchingId, smdpOid, ccFlag] = body.split('$');
  if (format !== '1') throw new InvalidActivationCode('AC_Format', `expected "1", got "${format ?? ''}"`);
  if (address === undefined || address === '') throw new InvalidActivationCode('smdpAddress', 'missing');
  assertSmdpAddress(address);
  if (matchingId === undefined || matchingId === '') throw new InvalidActivationCode('AC_Token', 'missing (the matching ID)');
  if (!token.test(matchingId)) throw new InvalidActivationCode('AC_Token', 'contains spaces or non-ASCII characters');
  if (smdpOid !== undefined && smdpOid !== '' && !oid.test(smdpOid)) {
    throw new InvalidActivationCode('smdpOid', `"${smdpOid}" is not a dotted object identifier`);
  }
  if (ccFlag !== undefined && ccFlag !== '' && ccFlag !== '0' && ccFlag !== '1') {
    throw new InvalidActivationCode('confirmationCodeRequiredFlag', `expected "1", "0" or empty, got "${ccFlag}"`);
  }
  return {
    smdpAddress: address,
    matchingId,
    ...(smdpOid === undefined || smdpOid === '' ? {} : { smdpOid }),
    confirmationCodeRequired: ccFlag === '1',
  };
}
