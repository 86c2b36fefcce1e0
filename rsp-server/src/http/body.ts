// Reads a request body with a hard size cap. SGP.22 gives no limit; ours is a named setting
// (`limits.maxBodyBytes`): the largest legitimate ES9+ request is a prepareDownloadResponse or a
// notification of a few kB, so the default 64 KiB leaves room and stops memory abuse early.
import type { IncomingMessage } from 'node:http';
import { finished } from 'node:stream';
import { concatBytes, type DecodeOptions } from '@zkesim/protocol';

/** Limits for decoding DER out of a request (a whole ASN.1 request, or a base64 field of a JSON one). */
export const derDecodeLimits: DecodeOptions = { maxLength: 1 << 20, maxDepth: 48 };

export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

/**
 * The body, whole. Read with a 'data' listener and `finished` (what the stream's async iterator did, without
 * its generator and promise per chunk): a stream error, or a close before the end (the client went away),
 * rejects with the error the iterator gave (ECONNRESET, ERR_STREAM_PREMATURE_CLOSE); a body past the limit
 * rejects with BodyTooLarge and destroys the request, as leaving the iterator did.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > limit) return Promise.reject(new BodyTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let tooLarge = false;
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > limit) {
        tooLarge = true;
        request.off('data', onData);
        request.destroy();
        reject(new BodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    finished(request, { writable: false }, (error) => {
      if (tooLarge) return;
      request.off('data', onData);
      // One copy into an array of its own (the chunks are views into the socket's read buffers, which decoded
      // values, kept as spans of their input, must not pin).
      if (error === undefined || error === null) resolve(concatBytes(chunks));
      else reject(error);
    });
  });
}
