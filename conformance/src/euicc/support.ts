// Shared helpers of the eUICC cases: hex, decoding with a failed check, DER exactness and the read-command pair of cases.
import { type Codec } from '@zkesim/protocol';
import type { CaseContext } from '../runner/model.js';
import type { EuiccCase } from './env.js';

export const hex = (bytes: Uint8Array | undefined): string => (bytes === undefined ? '(absent)' : Buffer.from(bytes).toString('hex').toUpperCase());
export const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
/** An ICCID no card holds: 89 99 …, with F padding as SGP.22 §5.7.15 codes it (swapped nibbles). */
export const ABSENT_ICCID = fromHex('98990000000000000000');

export function decode<T>(t: CaseContext, what: string, codec: Codec<T>, bytes: Uint8Array): T {
  try {
    return codec.decode(bytes);
  } catch (error) {
    return t.fail(`${what} does not decode: ${error instanceof Error ? error.message : String(error)}`, what, hex(bytes));
  }
}

/** DER exactness: decoding and encoding again gives back the bytes received. */
export function exact<T>(t: CaseContext, what: string, codec: Codec<T>, bytes: Uint8Array): void {
  const again = codec.encode(decode(t, what, codec, bytes));
  t.equal(`${what} is DER (re-encoding gives the same bytes)`, hex(bytes), hex(again));
}

/** A read command (fixed request bytes of §5.7) whose response tag and DER exactness are checked. */
export function readCase(id: string, title: string, command: string, codec: Codec<unknown>, tag: string): EuiccCase[] {
  return [
    {
      id: `${id}.nominal`,
      title: `${title}: the response has tag ${tag} and decodes`,
      run: async (t, env) => {
        const response = await env.send(id, fromHex(command));
        t.equal('response tag', tag, hex(response.slice(0, tag.length / 2)));
        decode(t, id, codec, response);
        t.ok(true, `${id} decodes`);
      },
    },
    {
      id: `${id}.der`,
      title: `${title}: the response is DER exactly`,
      run: async (t, env) => exact(t, id, codec, await env.send(id, fromHex(command))),
    },
  ];
}
