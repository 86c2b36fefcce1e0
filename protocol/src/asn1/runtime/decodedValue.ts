// Decoded SEQUENCE, SET and CHOICE values are instances of this class: ordinary objects for callers (their
// fields are the only enumerable properties, so JSON, spread and deep equality see plain data), which also
// remember the exact TLV they came from and any unknown extension elements, in private fields.

export class DecodedValue {
  // The received encoding as (input, start, end): the view is made only when derOf asks for it, which
  // saves one typed-array object per decoded value.
  readonly #source: Uint8Array | undefined;
  readonly #start: number;
  readonly #end: number;
  #extensions: readonly Uint8Array[] | undefined;

  constructor(source: Uint8Array | undefined, extensions?: readonly Uint8Array[], start = 0, end = source?.length ?? 0) {
    this.#source = source;
    this.#start = start;
    this.#end = end;
    this.#extensions = extensions;
  }

  /** Records the extension elements kept while decoding `value`. */
  static keepExtensions(value: DecodedValue, extensions: readonly Uint8Array[]): void {
    value.#extensions = extensions;
  }

  /** The received encoding, or undefined for a value that was not decoded. */
  static derOf(value: object): Uint8Array | undefined {
    if (!(#source in value)) return undefined;
    const decoded = value as DecodedValue;
    return decoded.#source?.subarray(decoded.#start, decoded.#end);
  }

  /** Elements after the extension point that this version of the module does not know (X.680 §52). */
  static extensionsOf(value: object): readonly Uint8Array[] {
    return (#extensions in value ? (value as DecodedValue).#extensions : undefined) ?? [];
  }

  /** A copy of `value` carrying extension elements (for values rebuilt from JSON). */
  static withExtensions<T extends object>(fields: T, extensions: readonly Uint8Array[]): T {
    return Object.assign(new DecodedValue(undefined, extensions), fields) as unknown as T;
  }
}
