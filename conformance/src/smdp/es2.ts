// ES2+ (operator → SM-DP+, SGP.22 v2.2.2 §5.3) over mutual TLS: used to make fixtures (DownloadOrder,
// ConfirmOrder) and by the ES2+ cases. Requests carry the §6.5.1.3 header.
import { randomBytes } from 'node:crypto';
import { eidWithCheckDigits } from '@zkesim/protocol';
import type { Fixture, FixtureKind } from '../runner/fixtures.js';
import type { CaseContext } from '../runner/model.js';
import { postRaw, type HttpTarget } from '../runner/http.js';
import { readAnswer, standardHeaders, type Es9Answer } from './session.js';

export interface Es2Options {
  readonly http: HttpTarget;
  readonly requesterIdentifier: string;
  readonly profileType: string;
  /** The EID of the played eUICC. */
  readonly eid: string;
}

/** An EID of the same form as the card's but another one (valid check digits), for otherEid fixtures. */
export function otherEid(eid: string): string {
  const first30 = eid.slice(0, 30);
  const last = first30.slice(-1) === '9' ? '0' : String(Number(first30.slice(-1)) + 1);
  return eidWithCheckDigits(first30.slice(0, 29) + last);
}

export class Es2Client {
  constructor(readonly options: Es2Options) {}

  async call(fn: string, body: Record<string, unknown>, t?: CaseContext, signal?: AbortSignal): Promise<Es9Answer> {
    const request = { header: { functionRequesterIdentifier: this.options.requesterIdentifier, functionCallIdentifier: `conformance-${randomBytes(4).toString('hex')}` }, ...body };
    const http = await postRaw(this.options.http, `/gsma/rsp2/es2plus/${fn}`, JSON.stringify(request), standardHeaders, signal);
    const answer = readAnswer(http);
    t?.step(`ES2+.${fn}`, { request, response: { httpStatus: http.status, body: answer.json ?? http.text } });
    return answer;
  }

  /** DownloadOrder + ConfirmOrder for a fixture of `kind`; undefined for kinds ES2+ cannot make. */
  async make(kind: FixtureKind, t?: CaseContext): Promise<Fixture | undefined> {
    const eid = kind === 'otherEid' ? otherEid(this.options.eid) : kind === 'released' || kind === 'confirmationCode' || kind === 'notReleased' ? this.options.eid : undefined;
    if (eid === undefined && kind !== 'anyEid') return undefined;
    const ordered = await this.call('downloadOrder', { ...(eid === undefined ? {} : { eid }), profileType: this.options.profileType }, t);
    const iccid = ordered.json?.iccid;
    if (ordered.status !== 'Executed-Success' || typeof iccid !== 'string') throw new Error(`DownloadOrder answered ${ordered.status ?? ordered.http.status} ${ordered.code ?? ''}`);
    const matchingId = `CONF-${randomBytes(6).toString('hex').toUpperCase()}`;
    const confirmationCode = kind === 'confirmationCode' ? '1357' : undefined;
    const confirmed = await this.call(
      'confirmOrder',
      { iccid, matchingId, releaseFlag: kind !== 'notReleased', ...(confirmationCode === undefined ? {} : { confirmationCode }) },
      t,
    );
    if (confirmed.status !== 'Executed-Success') throw new Error(`ConfirmOrder answered ${confirmed.status ?? confirmed.http.status} ${confirmed.code ?? ''}`);
    return { kind, matchingId, ...(confirmationCode === undefined ? {} : { confirmationCode }) };
  }
}
