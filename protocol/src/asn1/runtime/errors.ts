// Typed errors of the DER runtime. A decode error names the ASN.1 type being decoded and the byte offset
// in the caller's input where the problem is, so a bad message can be reported precisely.

export class Asn1Error extends Error {
  override name = 'Asn1Error';
}

export type Asn1DecodeReason =
  | 'truncated'
  | 'wrong-tag'
  | 'length-overflow'
  | 'indefinite-length'
  | 'too-deep'
  | 'trailing-bytes'
  | 'too-large'
  | 'constraint'
  | 'invalid-value'
  | 'missing-field';

export class Asn1DecodeError extends Asn1Error {
  override name = 'Asn1DecodeError';
  constructor(
    readonly typeName: string,
    readonly offset: number,
    readonly reason: Asn1DecodeReason,
    detail: string,
  ) {
    super(`${typeName}: ${reason} at byte ${offset}: ${detail}`);
  }
}

export class Asn1EncodeError extends Asn1Error {
  override name = 'Asn1EncodeError';
  constructor(
    readonly typeName: string,
    readonly path: string,
    detail: string,
  ) {
    super(`${typeName}${path ? `.${path}` : ''}: ${detail}`);
  }
}
