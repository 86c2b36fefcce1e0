// renderResponseBytes (the server's JSON body, base64 and hex written without JSON.stringify's escape scan, each
// piece straight into the body's bytes) against the UTF-8 of JSON.stringify of renderResponse's body, for every function with a JSON binding and random outputs: arbitrary bytes,
// strings with quotes, backslashes, control characters and non-ASCII, optional fields present or not.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Codes, RspError } from '../errors/index.js';
import { renderResponse, renderResponseBytes } from './binding.js';
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

/** The body's bytes in hex, or the whole result when it is not a 200 with a body. */
function bytesOf(rendered: ReturnType<typeof renderResponseBytes>): string {
  return 'body' in rendered ? Buffer.from(rendered.body).toString('hex') : JSON.stringify(rendered);
}

describe('renderResponseBytes', () => {
  it.each(rspFunctions.map((fn) => [`${fn.interface}.${fn.name}`, fn] as const))('%s: the UTF-8 bytes of JSON.stringify(renderResponse(…).body)', (_name, fn) => {
    fc.assert(
      fc.property(responseOf(fn.response), (response) => {
        const reference = renderResponse(fn, response as never);
        const rendered = renderResponseBytes(fn, response as never);
        if (reference.status === 204) expect(rendered).toEqual({ status: 204 });
        else expect(bytesOf(rendered)).toBe(Buffer.from(JSON.stringify(reference.body), 'utf8').toString('hex'));
      }),
      { numRuns: 60 },
    );
  });

  it('writes a Bound Profile Package larger than Buffer\'s pool (4 KiB) as JSON.stringify does', () => {
    const fn = es9plusFunctions.getBoundProfilePackage;
    const response = { transactionId: Uint8Array.from([0xab, 0x01]), boundProfilePackage: Uint8Array.from({ length: 14_000 }, (_, i) => (i * 7) & 0xff) };
    const reference = renderResponse(fn, response);
    expect(reference.status === 200 && bytesOf(renderResponseBytes(fn, response))).toBe(Buffer.from(JSON.stringify(reference.status === 200 ? reference.body : {}), 'utf8').toString('hex'));
  });

  it('refuses a response without a mandatory field as renderResponse does (1.6 / 4.2)', () => {
    let thrown: unknown;
    try {
      renderResponseBytes(es9plusFunctions.getBoundProfilePackage, { transactionId: new Uint8Array(16) } as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown instanceof RspError && thrown.is(Codes.functionExecutionError)).toBe(true);
  });
});
