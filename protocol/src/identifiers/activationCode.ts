// The Activation Code (SGP.22 v2.2.2 §4.1):
//   [LPA:]AC_Format $ SM-DP+ Address $ AC_Token [ $ SM-DP+ OID [ $ Confirmation Code Required Flag ] ]
// Its fields and its QR-code form live here, for the SM-DP+ that issues codes and the LPA that reads them
// (lpa-core's parseActivationCode, with the LPA's error reporting).

export interface ActivationCode {
  /** The SM-DP+ address: an FQDN, optionally with `:port`, as the LPA sends it in `smdpAddress`. */
  readonly smdpAddress: string;
  /** AC_Token, sent as `matchingId` in ctxParams1. */
  readonly matchingId: string;
  /** SM-DP+ OID, when given; compared with the registeredID of CERT.DPauth. */
  readonly smdpOid?: string;
  /** True when the AC says a confirmation code will be needed. */
  readonly confirmationCodeRequired: boolean;
}

/** The QR-code form `LPA:1$address$token[$oid[$1]]`: the OID field is present (maybe empty) when the flag is. */
export function formatActivationCode(code: ActivationCode): string {
  const parts = ['1', code.smdpAddress, code.matchingId];
  if (code.smdpOid !== undefined || code.confirmationCodeRequired) parts.push(code.smdpOid ?? '');
  if (code.confirmationCodeRequired) parts.push('1');
  return `LPA:${parts.join('$')}`;
}
