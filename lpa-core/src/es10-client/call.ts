// One ES10 round trip with typed values: encode the request with its generated codec, send it as a STORE
// DATA sequence, decode the answer; a malformed answer becomes CardResponseInvalid.
import { type Codec, type Es10Sender, nameOfNumber, type NamedNumbers } from '@zkesim/protocol';
import { CardResponseInvalid, Es10ResultError } from '../errors.js';

export async function es10Call<Req, Res>(channel: Es10Sender, name: string, request: Codec<Req>, value: Req, response: Codec<Res>): Promise<{ value: Res; bytes: Uint8Array }> {
  const bytes = await channel.send(request.encode(value), name);
  try {
    return { value: response.decode(bytes), bytes };
  } catch (error) {
    throw new CardResponseInvalid(name, error);
  }
}

/** Throws Es10ResultError unless `result` is ok; `named` are the result INTEGER's named numbers (generated). */
export function expectOk(functionName: string, result: number, named: NamedNumbers & { readonly ok: number }): void {
  if (result !== named.ok) throw new Es10ResultError(functionName, result, nameOfNumber(named, result) ?? 'unknown result');
}

/** The error alternative of a response CHOICE as an Es10ResultError; a number `named` lacks counts as undefinedError. */
export function errorAlternative(functionName: string, code: number, named: NamedNumbers): Es10ResultError {
  return new Es10ResultError(functionName, code, nameOfNumber(named, code) ?? 'undefinedError');
}
