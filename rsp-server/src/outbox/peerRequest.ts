// One JSON request to a peer server over mutual TLS (an operator's ES2+ HandleDownloadProgressInfo, an
// SM-DS's ES12 function), with a bound on the whole exchange, judged as SGP.22 §6.5.1.4 answers: the OutboxWorker
// sends its entries with it, and an SM-DP+ its ES12 RegisterEvent within ConfirmOrder.
import { request as httpsRequest } from 'node:https';
import { adminProtocolHeader, adminProtocolVersion, jsonContentType } from '@zkesim/protocol';

export interface PeerTls {
  /** This server's client certificate and key for the peer interface (PEM). */
  cert?: string;
  key?: string;
  /** Trust anchors for the peers' servers (PEM); undefined = the system store. */
  ca?: string[];
}

/** What came of a request: the peer ran the function, refused it (Failed / Expired), or was not reached. */
export type PeerAnswer =
  | { outcome: 'accepted' }
  | { outcome: 'refused'; detail: string; statusCodeData?: { subjectCode?: string; reasonCode?: string; message?: string } }
  | { outcome: 'unreachable'; detail: string };

/** POSTs `body` to `url`; the answer, never an exception, within `timeoutMs` (connection, TLS and response together). */
export function postToPeer(url: string, body: string, tls: PeerTls, timeoutMs: number): Promise<PeerAnswer> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (answer: PeerAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(answer);
    };
    let request: ReturnType<typeof httpsRequest>;
    try {
      request = httpsRequest(
        url,
        {
          method: 'POST',
          headers: { 'Content-Type': jsonContentType, [adminProtocolHeader]: adminProtocolVersion },
          ...(tls.cert === undefined ? {} : { cert: tls.cert }),
          ...(tls.key === undefined ? {} : { key: tls.key }),
          ...(tls.ca === undefined ? {} : { ca: tls.ca }),
          timeout: timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => settle(judgeResponse(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
          response.on('error', (error) => settle({ outcome: 'unreachable', detail: error.message }));
        },
      );
    } catch (error) {
      resolve({ outcome: 'unreachable', detail: error instanceof Error ? error.message : String(error) });
      return;
    }
    // The socket timeout only bounds idle time; this bounds the whole exchange (a peer trickling bytes).
    const deadline = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => settle({ outcome: 'unreachable', detail: error.message }));
    request.end(body);
  });
}

function judgeResponse(status: number, text: string): PeerAnswer {
  if (status < 200 || status >= 300) return { outcome: 'unreachable', detail: `HTTP ${status}` };
  if (status === 204 || text.length === 0) return { outcome: 'accepted' };
  try {
    const parsed = JSON.parse(text) as {
      header?: { functionExecutionStatus?: { status?: string; statusCodeData?: { subjectCode?: string; reasonCode?: string; message?: string } } };
    };
    const executed = parsed.header?.functionExecutionStatus;
    if (executed?.status === undefined || executed.status.startsWith('Executed')) return { outcome: 'accepted' };
    return {
      outcome: 'refused',
      detail: `peer answered ${executed.status} ${text.slice(0, 200)}`,
      ...(executed.statusCodeData === undefined ? {} : { statusCodeData: executed.statusCodeData }),
    };
  } catch (error) {
    return { outcome: 'unreachable', detail: `peer answered invalid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}
