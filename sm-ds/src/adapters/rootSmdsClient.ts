// The Root SM-DS as an Alternative SM-DS reaches it: ES15 RegisterEvent/DeleteEvent over mutual TLS
// (SGP.22 v2.2.2 §3.6.1, §3.6.3, §2.6.6), presenting CERT.DStls as client certificate, through rsp-server's
// one bounded peer request. Called within the SM-DP+'s ES12 request: an unreachable Root is 8.9 / 5.1, a
// refusal 8.9 / 4.2.
import { Codes, RspError, es15Functions, renderRequest, type EidDigits, type RspFunction } from '@zkesim/protocol';
import { postToPeer, type PeerTls } from '@zkesim/rsp-server';
import type { RootSmds } from '../core/deps.js';

export interface RootSmdsClientOptions {
  address: string;
  tls: PeerTls;
  requestTimeoutMs: number;
  /** functionRequesterIdentifier of the requests (this SM-DS's address). */
  requester: string;
}

export function rootSmdsClient(options: RootSmdsClientOptions): RootSmds {
  let calls = 0;
  const call = async (fn: RspFunction, body: Record<string, unknown>): Promise<void> => {
    calls += 1;
    const header = { functionRequesterIdentifier: options.requester, functionCallIdentifier: `${fn.name}-${Date.now()}-${calls}` };
    const text = JSON.stringify(renderRequest(fn, { header, ...body } as never));
    const answer = await postToPeer(`https://${options.address}${fn.path}`, text, options.tls, options.requestTimeoutMs);
    if (answer.outcome === 'unreachable') throw new RspError(Codes.rootSmdsUnavailable, `Root SM-DS ${options.address} not reached: ${answer.detail}`);
    if (answer.outcome === 'refused') {
      const status = answer.statusCodeData;
      throw new RspError(Codes.rootSmdsExecutionError, `Root SM-DS ${options.address} refused ${fn.name}${status === undefined ? '' : ` (${status.subjectCode} / ${status.reasonCode})`}`);
    }
  };
  return {
    registerEvent: (event: { eid: EidDigits; eventId: string; rspServerAddress: string }) =>
      call(es15Functions.registerEvent, { eid: event.eid, eventId: event.eventId, rspServerAddress: event.rspServerAddress, forwardingIndicator: false }),
    deleteEvent: (event: { eid: EidDigits; eventId: string }) => call(es15Functions.deleteEvent, { eid: event.eid, eventId: event.eventId }),
  };
}
