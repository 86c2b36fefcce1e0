// ES12 (SM-DP+ → SM-DS, SGP.22 v2.2.2 §5.9) over mutual TLS with the SM-DP+ credentials the operator of the
// run gives (CERT.DPtls and its key), or with none. Requests carry the §6.5.1.3 header.
import { randomBytes } from 'node:crypto';
import { es12Functions, renderRequest } from '@zkesim/protocol';
import type { CaseContext } from '../runner/model.js';
import { postRaw, type HttpTarget } from '../runner/http.js';
import { readAnswer, standardHeaders, type Es9Answer } from '../smdp/session.js';

export interface EventRecord {
  readonly eid: string;
  readonly eventId: string;
  readonly rspServerAddress: string;
}

export class Es12Client {
  constructor(
    readonly http: HttpTarget,
    readonly requesterIdentifier: string,
    /** How the reports name the credential (`SM-DP+`, `second SM-DP+`, `no client certificate`). */
    readonly label: string,
  ) {}

  private async call(t: CaseContext, fn: 'registerEvent' | 'deleteEvent', body: Record<string, unknown>): Promise<Es9Answer> {
    const request = renderRequest(es12Functions[fn], {
      header: { functionRequesterIdentifier: this.requesterIdentifier, functionCallIdentifier: `conformance-${randomBytes(4).toString('hex')}` },
      ...body,
    } as never);
    try {
      const http = await postRaw(this.http, es12Functions[fn].path, JSON.stringify(request), standardHeaders, t.signal);
      const answer = readAnswer(http);
      t.step(`ES12.${fn} (${this.label})`, { request, response: { httpStatus: http.status, body: answer.json ?? http.text } });
      return answer;
    } catch (error) {
      t.step(`ES12.${fn} (${this.label})`, { request, note: `no answer: ${error instanceof Error ? error.message : String(error)}` });
      throw error;
    }
  }

  registerEvent(t: CaseContext, event: EventRecord): Promise<Es9Answer> {
    return this.call(t, 'registerEvent', { ...event });
  }

  deleteEvent(t: CaseContext, eid: string, eventId: string): Promise<Es9Answer> {
    return this.call(t, 'deleteEvent', { eid, eventId });
  }
}

/** An EventID no earlier run used (§5.9.1: unique per SM-DP+). */
export function newEventId(): string {
  return `CONF-${randomBytes(6).toString('hex').toUpperCase()}`;
}
