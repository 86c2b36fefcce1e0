// Reads a request body with a hard size cap. SGP.22 gives no limit; ours is a named setting
// (`limits.maxBodyBytes`): the largest legitimate ES9+ request is a prepareDownloadResponse or a
// notification of a few kB, so the default 64 KiB leaves room and stops memory abuse early.
import type { IncomingMessage } from 'node:http';
import { concatBytes, type DecodeOptions } from '@zkesim/protocol';

/** Limits for decoding DER out of a request (a whole ASN.1 request, or a base64 field of a JSON one). */
export const derDecodeLimits: DecodeOptions = { maxLength: 1 << 20, maxDepth: 48 };

export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

export async function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > limit) throw new BodyTooLarge(limit);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) throw new BodyTooLarge(limit);
    chunks.push(chunk);
  }
  // One copy into an array of its own (the chunks are views into the socket's read buffers, which decoded
  // values, kept as spans of their input, must not pin).
  return concatBytes(chunks);
}
