// Turns a malformed identifier into the JSON binding's "invalid field" status (SGP.22 §6.5.1.4),
// keeping the field name as subjectIdentifier.
import { InvalidField, InvalidIdentifier } from '@zkesim/protocol';

export function fieldError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InvalidIdentifier) throw new InvalidField(error.field, error.message, undefined, error);
    throw error;
  }
}
