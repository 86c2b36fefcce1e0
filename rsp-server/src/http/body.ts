// Reads a request body with a hard size cap. SGP.22 gives no limit; ours is a named setting
// (`limits.maxBodyBytes`): the largest legitimate ES9+ request is a prepareDownloadResponse or a
// notification of a few kB, so the default 64 KiB leaves room and stops memory abuse early.
import type { IncomingMessage } from 'node:http';
import type { DecodeOptions } from '@zkesim/protocol';

/** Limits for decoding DER out of a request (a whole ASN.1 request, or a base64 field of a JSON one). */
export const derDecodeLimits: DecodeOptions = { maxLength: 1 << 20, maxDepth: 48 };

export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

/**
 * The body, whole, in an array of its own: one copy of the chunks (they are views into the socket's read buffers,
 * which decoded values, kept as spans of their input, must not pin). Read with listeners of the request's own
 * events, not `finished` (which adds a dozen listeners and closures per request) or the async iterator (a
 * generator and a promise per chunk); the listeners are function expressions made here, none named (tsx keeps
 * the name of a named one with a `defineProperty` per request). A stream error rejects with that error
 * (ECONNRESET when the client went away mid-body), a close before the end with ERR_STREAM_PREMATURE_CLOSE, as
 * `finished` did; a body past the limit rejects with BodyTooLarge and destroys the request.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > limit) return Promise.reject(new BodyTooLarge(limit));
  return new Promise((resolve, reject) => {
    let first: Buffer | undefined;
    let more: Buffer[] | undefined;
    let total = 0;
    let settled = false;
    request.on('data', (chunk: Buffer) => {
      if (settled) return;
      total += chunk.length;
      if (total > limit) {
        settled = true;
        request.destroy();
        reject(new BodyTooLarge(limit));
        return;
      }
      if (first === undefined) first = chunk;
      else (more ??= [first]).push(chunk);
    });
    request.on('end', () => {
      if (settled) return;
      settled = true;
      const body = new Uint8Array(total);
      if (more !== undefined) {
        let offset = 0;
        for (const chunk of more) {
          body.set(chunk, offset);
          offset += chunk.length;
        }
      } else if (first !== undefined) body.set(first);
      resolve(body);
    });
    request.on('error', (error: Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
    request.on('close', () => {
      if (settled) return;
      settled = true;
      reject(prematureClose());
    });
  });
}

/** The error `finished` gives a stream closed before its end. */
function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}
