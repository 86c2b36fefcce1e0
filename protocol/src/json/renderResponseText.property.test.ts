// renderResponseText (the server's JSON text, base64 and hex written without JSON.stringify's escape scan) against
// JSON.stringify of renderResponse's body, for every function with a JSON binding and random outputs: arbitrary bytes,
// strings with quotes, backslashes, control characters and non-ASCII, optional fields present or not.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Codes, RspError } from '../errors/index.js';
import { renderResponse, renderResponseText } from './binding.js';
import type { FieldKind, FieldSpecs } from './fields.js';
import { es9plusFunctions, rspFunctions } from './functions/index.js';

const text = fc.string({ unit: 'binary', maxLength: 40 });
const values: { [Kind in FieldKind]: fc.Arbitrary<unknown> } = {
  base64: fc.uint8Array({ maxLength: 300 }),
  transactionId: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  string: text,
  boolean: fc.boolean(),
  number: fc.double({ noNaN: true, noDefaultInfinity: true }),
  eventEntries: fc.array(fc.record({ eventId: text, rspServerAddress: text }), { maxLength: 3 }),
  executionStatus: fc.record(
    {
      status: fc.constantFrom('Executed-Success', 'Executed-WithWarning', 'Failed', 'Expired'),
      statusCodeData: fc.record({ subjectCode: text, reasonCode: text, subjectIdentifier: text, message: text }, { requiredKeys: ['subjectCode', 'reasonCode'] }),
    },
    { requiredKeys: ['status'] },
  ),
};

/** A response of the field list: mandatory fields always, optional ones sometimes. */
function responseOf(specs: FieldSpecs): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, values[spec.kind]]));
  const required = Object.entries(specs).filter(([, spec]) => spec.mandatory).map(([name]) => name);
  return fc.record(fields, { requiredKeys: required });
}

describe('renderResponseText', () => {
  it.each(rspFunctions.map((fn) => [`${fn.interface}.${fn.name}`, fn] as const))('%s: the text of JSON.stringify(renderResponse(…).body)', (_name, fn) => {
    fc.assert(
      fc.property(responseOf(fn.response), (response) => {
        const reference = renderResponse(fn, response as never);
        const rendered = renderResponseText(fn, response as never);
        if (reference.status === 204) expect(rendered).toEqual({ status: 204 });
        else expect(rendered).toEqual({ status: 200, text: JSON.stringify(reference.body) });
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a response without a mandatory field as renderResponse does (1.6 / 4.2)', () => {
    let thrown: unknown;
    try {
      renderResponseText(es9plusFunctions.getBoundProfilePackage, { transactionId: new Uint8Array(16) } as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown instanceof RspError && thrown.is(Codes.functionExecutionError)).toBe(true);
  });
});
