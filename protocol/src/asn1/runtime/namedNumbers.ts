// Named numbers (X.680 §19.1 for INTEGER, §22 for BIT STRING): the generated tables map each name to its
// number (`EnableProfileResponse_enableResult`, `DownloadErrorCode.named`); this reads them the other way.

/** A generated named-number table: name → number. */
export type NamedNumbers = Readonly<Record<string, number>>;

/**
 * The name `table` gives to `value`, e.g. `nameOfNumber(EnableProfileResponse_enableResult, 4)` is
 * `'wrongProfileReenabling'`; undefined when the module names no such number. X.680 §19 makes the
 * numbers of one list distinct, so there is at most one name.
 */
export function nameOfNumber<const N extends NamedNumbers>(table: N, value: number): (keyof N & string) | undefined {
  for (const [name, number] of Object.entries(table)) {
    if (number === value) return name as keyof N & string;
  }
  return undefined;
}
