// The one error of the identifier constructors: which field was malformed and how. Adapters turn it into
// their own condition (ES2+ "invalid field", the LPA's InvalidInput, a CLI message).

/** A malformed EID, ICCID, IMEI or TAC; `field` names the input it came from. */
export class InvalidIdentifier extends Error {
  override readonly name = 'InvalidIdentifier';

  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}
