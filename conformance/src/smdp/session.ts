// The LPA side of one ES9+ session as the runner plays it, one step per method so that a case can stop,
// repeat, replay or tamper at any point: ES10 to the played eUICC with lpa-core's ES10b functions and
// request builders, ES9+ JSON rendered with protocol's binding, every exchange recorded as a step.
import {
  es9plusFunctions, parseResponse, renderRequest, adminProtocolHeader, adminProtocolVersion, jsonContentType,
  lpaUserAgent, type DeviceInfo, type RequestOf, type RspFunction,
} from '@zkesim/protocol';
import { authenticateServerRequest, buildDeviceInfo, es10b, prepareDownloadRequest } from '@zkesim/lpa-core';
import type { CaseContext } from '../runner/model.js';
import { postRaw, type HttpAnswer, type HttpTarget } from '../runner/http.js';
import type { PlayedCard } from './card.js';

export const ES9_BASE = '/gsma/rsp2/es9plus';

export const standardHeaders: Readonly<Record<string, string>> = {
  'Content-Type': jsonContentType,
  'User-Agent': lpaUserAgent,
  [adminProtocolHeader]: adminProtocolVersion,
};

/** An answer as received, with what the JSON header says. */
export interface Es9Answer {
  readonly http: HttpAnswer;
  readonly json?: Record<string, unknown>;
  /** functionExecutionStatus.status */
  readonly status?: string;
  /** `subject / reason` of statusCodeData, as SGP.22 writes them (e.g. `8.1.1 / 3.8`). */
  readonly code?: string;
  readonly subjectIdentifier?: string;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').toUpperCase();
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

export function readAnswer(http: HttpAnswer): Es9Answer {
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = http.text === '' ? undefined : JSON.parse(http.text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  const status = (json?.header as { functionExecutionStatus?: { status?: unknown; statusCodeData?: Record<string, unknown> } } | undefined)?.functionExecutionStatus;
  const data = status?.statusCodeData;
  return {
    http,
    ...(json === undefined ? {} : { json }),
    ...(typeof status?.status === 'string' ? { status: status.status } : {}),
    ...(data === undefined ? {} : { code: `${String(data.subjectCode)} / ${String(data.reasonCode)}` }),
    ...(typeof data?.subjectIdentifier === 'string' ? { subjectIdentifier: data.subjectIdentifier } : {}),
  };
}

export interface SessionEnv {
  readonly http: HttpTarget;
  /** The SM-DP+ address sent in InitiateAuthentication (host[:port] of --url). */
  readonly smdpAddress: string;
  readonly card: PlayedCard;
  /** Path prefix of the functions (default ES9+'s; an SM-DS also serves ES11 under `/gsma/rsp2/es11`). */
  readonly base?: string;
}

export class Es9Session {
  transactionId = '';
  euiccChallenge: Uint8Array = new Uint8Array();
  euiccInfo1: Uint8Array = new Uint8Array();
  initiateJson: Record<string, unknown> = {};
  authenticateServerResponse: Uint8Array = new Uint8Array();
  authenticateClientJson: Record<string, unknown> = {};
  prepareDownloadResponse: Uint8Array = new Uint8Array();
  boundProfilePackage: Uint8Array = new Uint8Array();

  constructor(
    readonly t: CaseContext,
    readonly env: SessionEnv,
  ) {}

  private get label(): string {
    return this.env.base === undefined || this.env.base === ES9_BASE ? 'ES9+' : this.env.base.replace('/gsma/rsp2/', '').toUpperCase();
  }

  get channel() {
    return this.env.card.channel;
  }

  /** POSTs any body (malformed ones included) to the ES9+ function `fn` and records the exchange. */
  async post(fn: string, body: Record<string, unknown> | string, headers: Record<string, string> = standardHeaders, path = `${this.env.base ?? ES9_BASE}/${fn}`): Promise<Es9Answer> {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    let http: HttpAnswer;
    try {
      http = await postRaw(this.env.http, path, text, headers, this.t.signal);
    } catch (error) {
      this.t.step(`${this.label}.${fn}`, { request: typeof body === 'string' ? body : body, note: `no answer: ${error instanceof Error ? error.message : String(error)}` });
      throw error;
    }
    const answer = readAnswer(http);
    this.t.step(`${this.label}.${fn}`, { request: body, response: { httpStatus: http.status, body: answer.json ?? http.text } });
    return answer;
  }

  call<F extends RspFunction>(fn: F, request: RequestOf<F>): Promise<Es9Answer> {
    return this.post(fn.name, renderRequest(fn, request));
  }

  async es10<T>(title: string, run: () => Promise<T>, show: (value: T) => unknown = (value) => value): Promise<T> {
    const value = await run();
    this.t.step(`ES10 ${title}`, { response: show(value) });
    return value;
  }

  async initiateAuthentication(options: { smdpAddress?: string; euiccChallenge?: Uint8Array; euiccInfo1?: Uint8Array } = {}): Promise<Es9Answer> {
    this.euiccChallenge = options.euiccChallenge ?? (await this.es10('GetEUICCChallenge', () => es10b.getEuiccChallenge(this.channel), hex));
    this.euiccInfo1 = options.euiccInfo1 ?? (await this.es10('GetEUICCInfo1', () => es10b.getEuiccInfo1(this.channel), (r) => hex(r.bytes))).bytes;
    const answer = await this.call(es9plusFunctions.initiateAuthentication, {
      euiccChallenge: this.euiccChallenge,
      euiccInfo1: this.euiccInfo1,
      smdpAddress: options.smdpAddress ?? this.env.smdpAddress,
    });
    this.initiateJson = answer.json ?? {};
    if (typeof this.initiateJson.transactionId === 'string') this.transactionId = this.initiateJson.transactionId;
    return answer;
  }

  /** ES10b.AuthenticateServer on the card with the SM-DP+'s answer (§5.7.13), as lpa-core builds it. */
  async authenticateServer(matchingId: string | undefined, device: Partial<DeviceInfo> = {}): Promise<Uint8Array> {
    const initiated = parseResponse(es9plusFunctions.initiateAuthentication, this.initiateJson);
    const request = authenticateServerRequest(initiated, matchingId, { ...buildDeviceInfo(), ...device });
    this.authenticateServerResponse = (await this.es10('AuthenticateServer', () => es10b.authenticateServer(this.channel, request), (r) => hex(r.bytes))).bytes;
    return this.authenticateServerResponse;
  }

  async authenticateClient(authenticateServerResponse = this.authenticateServerResponse, transactionId = this.transactionId): Promise<Es9Answer> {
    const answer = await this.post('authenticateClient', { transactionId, authenticateServerResponse: b64(authenticateServerResponse) });
    this.authenticateClientJson = answer.json ?? {};
    return answer;
  }

  async prepareDownload(confirmationCode?: string): Promise<Uint8Array> {
    const authenticated = parseResponse(es9plusFunctions.authenticateClient, this.authenticateClientJson);
    const request = prepareDownloadRequest(authenticated, confirmationCode);
    this.prepareDownloadResponse = (await this.es10('PrepareDownload', () => es10b.prepareDownload(this.channel, request), (r) => hex(r.bytes))).bytes;
    return this.prepareDownloadResponse;
  }

  async getBoundProfilePackage(prepareDownloadResponse = this.prepareDownloadResponse, transactionId = this.transactionId): Promise<Es9Answer> {
    const answer = await this.post('getBoundProfilePackage', { transactionId, prepareDownloadResponse: b64(prepareDownloadResponse) });
    const bpp = answer.json?.boundProfilePackage;
    if (typeof bpp === 'string') this.boundProfilePackage = new Uint8Array(Buffer.from(bpp, 'base64'));
    return answer;
  }

  /** ES10b.LoadBoundProfilePackage on the card: the installation result (BF37) it signs. */
  async loadBoundProfilePackage(): Promise<Uint8Array> {
    return (await this.es10('LoadBoundProfilePackage', () => es10b.loadBoundProfilePackage(this.channel, this.boundProfilePackage), (r) => hex(r.bytes))).bytes;
  }

  /** ES10b.CancelSession on the card (§5.7.14): the signed CancelSessionResponse. */
  async cardCancelSession(reason: number, transactionId = this.transactionId): Promise<Uint8Array> {
    return (await this.es10(`CancelSession (reason ${reason})`, () => es10b.cancelSession(this.channel, Buffer.from(transactionId, 'hex'), reason), (r) => hex(r.bytes))).bytes;
  }

  cancelSession(cancelSessionResponse: Uint8Array, transactionId = this.transactionId): Promise<Es9Answer> {
    return this.post('cancelSession', { transactionId, cancelSessionResponse: b64(cancelSessionResponse) });
  }

  handleNotification(pendingNotification: Uint8Array): Promise<Es9Answer> {
    return this.post('handleNotification', { pendingNotification: b64(pendingNotification) });
  }

  /** The AuthenticateClientOk of the last successful AuthenticateClient, decoded. */
  authenticateClientOk() {
    return parseResponse(es9plusFunctions.authenticateClient, this.authenticateClientJson);
  }
}

