// One ES10 round trip with typed values: encode the request with its generated codec, send it as a STORE
// DATA sequence, decode the answer; a malformed answer becomes CardResponseInvalid.
import type { Codec, Es10Channel } from '@zkesim/protocol';
import { CardResponseInvalid, Es10ResultError } from '../errors.js';

export async function es10Call<Req, Res>(channel: Es10Channel, name: string, request: Codec<Req>, value: Req, response: Codec<Res>): Promise<{ value: Res; bytes: Uint8Array }> {
  const bytes = await channel.send(request.encode(value), name);
  try {
    return { value: response.decode(bytes), bytes };
  } catch (error) {
    throw new CardResponseInvalid(name, error);
  }
}

/** Throws Es10ResultError unless `result` is ok(0); `names` are the INTEGER's named numbers. */
export function expectOk(functionName: string, result: number, names: Readonly<Record<number, string>>): void {
  if (result !== 0) throw new Es10ResultError(functionName, result, names[result] ?? 'unknown result');
}
