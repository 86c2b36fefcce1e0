// Decoded SEQUENCE, SET and CHOICE values are instances of this class: ordinary objects for callers (their
// fields are the only enumerable properties, so JSON, spread and deep equality see plain data), which also
// remember the exact TLV they came from and any unknown extension elements, in private fields.

export class DecodedValue {
  readonly #der: Uint8Array | undefined;
  #extensions: readonly Uint8Array[] | undefined;

  constructor(der: Uint8Array | undefined, extensions?: readonly Uint8Array[]) {
    this.#der = der;
    this.#extensions = extensions;
  }

  /** Records the extension elements kept while decoding `value`. */
  static keepExtensions(value: DecodedValue, extensions: readonly Uint8Array[]): void {
    value.#extensions = extensions;
  }

  /** The received encoding, or undefined for a value that was not decoded. */
  static derOf(value: object): Uint8Array | undefined {
    return #der in value ? (value as DecodedValue).#der : undefined;
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
