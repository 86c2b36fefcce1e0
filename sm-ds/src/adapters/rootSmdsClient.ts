// The Root SM-DS as an Alternative SM-DS reaches it: ES15 RegisterEvent/DeleteEvent over mutual TLS
// (SGP.22 v2.2.2 §3.6.1, §3.6.3, §2.6.6), presenting CERT.DStls as client certificate. Called within the
// SM-DP+'s ES12 request, so bounded by a timeout; an unreachable Root is 8.9 / 5.1, a refusal 8.9 / 4.2.
import { request as httpsRequest } from 'node:https';
import {
  Codes, RemoteFunctionFailed, RspError, adminProtocolHeader, adminProtocolVersion, es15Functions, jsonContentType, parseResponse, renderRequest,
  type EidDigits, type RspFunction,
} from '@zkesim/protocol';
import type { RootSmds } from '../core/deps.js';

export interface RootSmdsClientOptions {
  address: string;
  cert: string;
  key: string;
  ca: readonly string[];
  requestTimeoutMs: number;
  /** functionRequesterIdentifier of the requests. */
  requester: string;
}

export function rootSmdsClient(options: RootSmdsClientOptions): RootSmds {
  let calls = 0;
  const call = async (fn: RspFunction, body: Record<string, unknown>): Promise<void> => {
    calls += 1;
    const header = { functionRequesterIdentifier: options.requester, functionCallIdentifier: `${fn.name}-${Date.now()}-${calls}` };
    const text = JSON.stringify(renderRequest(fn, { header, ...body } as never));
    const answer = await post(options, fn.path, text).catch((error: unknown) => {
      throw new RspError(Codes.rootSmdsUnavailable, `Root SM-DS ${options.address} unreachable: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
    if (answer.status !== 200 && answer.status !== 204) {
      throw new RspError(Codes.rootSmdsUnavailable, `Root SM-DS ${options.address} answered HTTP ${answer.status}`);
    }
    try {
      parseResponse(fn, answer.body === '' ? undefined : JSON.parse(answer.body));
    } catch (error) {
      const detail = error instanceof RemoteFunctionFailed ? `${error.statusCode.subjectCode} / ${error.statusCode.reasonCode}` : error instanceof Error ? error.message : String(error);
      throw new RspError(Codes.rootSmdsExecutionError, `Root SM-DS ${options.address} refused ${fn.name}: ${detail}`, { cause: error });
    }
  };
  return {
    registerEvent: (event: { eid: EidDigits; eventId: string; rspServerAddress: string }) =>
      call(es15Functions.registerEvent, { eid: event.eid, eventId: event.eventId, rspServerAddress: event.rspServerAddress, forwardingIndicator: false }),
    deleteEvent: (event: { eid: EidDigits; eventId: string }) => call(es15Functions.deleteEvent, { eid: event.eid, eventId: event.eventId }),
  };
}

function post(options: RootSmdsClientOptions, path: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      `https://${options.address}${path}`,
      {
        method: 'POST',
        headers: { 'Content-Type': jsonContentType, [adminProtocolHeader]: adminProtocolVersion },
        cert: options.cert,
        key: options.key,
        ca: [...options.ca],
        timeout: options.requestTimeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.requestTimeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
