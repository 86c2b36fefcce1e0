// ISO/IEC 7816-4 §5.6 status words, as the ISD-R uses them. ES10 functions (SGP.22 §5.7) report their own
// errors inside the response TLV with 9000; status words only carry transport-level problems.

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

/** A status word as four upper-case hex digits ('6A80'). */
export function formatStatusWord(statusWord: number): string {
  return statusWord.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * A command the card refuses at the APDU level. Only the card's APDU layer turns it into a status word;
 * the C-APDU parser and the card's ES10 handlers throw it for commands that cannot be processed at all.
 */
export class ApduError extends Error {
  override readonly name = 'ApduError';
  readonly statusWord: number;

  constructor(statusWord: number, message: string, options?: { cause?: unknown }) {
    super(`${message} (SW ${formatStatusWord(statusWord)})`, options);
    this.statusWord = statusWord;
  }
}

/** An R-APDU: response data followed by SW1 SW2 (ISO 7816-4 §5.1). */
export function withStatusWord(data: Uint8Array, statusWord: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = statusWord >> 8;
  out[data.length + 1] = statusWord & 0xff;
  return out;
}

/** SW1 SW2 of an R-APDU as one number (missing bytes read as 0). */
export function statusWordOf(response: Uint8Array): number {
  return ((response[response.length - 2] ?? 0) << 8) | (response[response.length - 1] ?? 0);
}

/** The response data of an R-APDU (everything before SW1 SW2). */
export function responseDataOf(response: Uint8Array): Uint8Array {
  return response.subarray(0, Math.max(0, response.length - 2));
}

/** True for 61xx: more response data waits for a GET RESPONSE. */
export function hasMoreData(statusWord: number): boolean {
  return statusWord >> 8 === StatusWord.moreDataBase >> 8;
}
