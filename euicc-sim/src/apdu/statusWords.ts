// ISO/IEC 7816-4 §5.6 status words used by the ISD-R. SGP.22 §5.7 (ES10 over STORE DATA) returns functional
// errors inside the response TLV with 9000; these status words only cover transport-level problems.

export const StatusWord = {
  ok: 0x9000,
  /** 61xx: xx more bytes available with GET RESPONSE (ISO 7816-4 §5.6, "normal processing"). */
  moreDataBase: 0x6100,
  wrongLength: 0x6700,
  logicalChannelNotSupported: 0x6881,
  securityStatusNotSatisfied: 0x6982,
  conditionsNotSatisfied: 0x6985,
  wrongData: 0x6a80,
  functionNotSupported: 0x6a81,
  fileOrApplicationNotFound: 0x6a82,
  notEnoughMemory: 0x6a84,
  incorrectP1P2: 0x6a86,
  referencedDataNotFound: 0x6a88,
  wrongP1P2: 0x6b00,
  insNotSupported: 0x6d00,
  claNotSupported: 0x6e00,
  noPreciseDiagnosis: 0x6f00,
} as const;

export type StatusWordValue = (typeof StatusWord)[keyof typeof StatusWord];

/**
 * A command the card refuses at the APDU level. Only the APDU layer turns it into a status word; ES10
 * handlers throw it for requests that cannot be parsed at all (SGP.22 §5.7: "unknown tag" and similar).
 */
export class ApduError extends Error {
  override readonly name = 'ApduError';
  readonly statusWord: number;

  constructor(statusWord: number, message: string, options?: { cause?: unknown }) {
    super(`${message} (SW ${statusWord.toString(16).toUpperCase().padStart(4, '0')})`, options);
    this.statusWord = statusWord;
  }
}

/** Appends SW1 SW2 to response data. */
export function withStatusWord(data: Uint8Array, statusWord: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = statusWord >> 8;
  out[data.length + 1] = statusWord & 0xff;
  return out;
}
