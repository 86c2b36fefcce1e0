// ES2+ (operator → SM-DP+) client for the demo order, over mutual TLS with the operator client certificate
// (SGP.22 v2.2.2 §5.3, JSON binding §6.5): DownloadOrder, then ConfirmOrder with releaseFlag.
import { X509Certificate, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { adminProtocolHeader, adminProtocolVersion, es2plusFunctions, jsonContentType, parseResponse, renderRequest, type RequestOf, type ResponseOf, type RspFunction } from '@zkesim/protocol';

export interface Es2ClientOptions {
  /** https://127.0.0.1:PORT of the ES2+ listener. */
  readonly url: string;
  /** Host name the SM-DP+'s TLS certificate is checked for. */
  readonly servername: string;
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
  readonly operatorId: string;
}

/** POSTs a JSON body over mutual TLS with the operator's client certificate; the answer's status and text. */
export function postAsOperator(options: Omit<Es2ClientOptions, 'operatorId'>, path: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${options.url}${path}`,
      {
        method: 'POST',
        // Certificates may be DER or PEM files; node:https takes PEM.
        ca: new X509Certificate(readFileSync(options.ca)).toString(),
        cert: new X509Certificate(readFileSync(options.cert)).toString(),
        key: readFileSync(options.key),
        servername: options.servername,
        timeout: 30_000,
        headers: { 'Content-Type': jsonContentType, [adminProtocolHeader]: adminProtocolVersion, 'Content-Length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${path}: no answer within 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

function header(options: Es2ClientOptions, fn: RspFunction) {
  return { functionRequesterIdentifier: options.operatorId, functionCallIdentifier: `${fn.name}-${randomUUID()}` };
}

async function call<F extends RspFunction>(options: Es2ClientOptions, fn: F, body: RequestOf<F>): Promise<ResponseOf<F>> {
  const response = await postAsOperator(options, fn.path, JSON.stringify(renderRequest(fn, body)));
  if (response.status !== 200) throw new Error(`ES2+ ${fn.name} answered HTTP ${response.status}: ${response.text.slice(0, 200)}`);
  return parseResponse(fn, JSON.parse(response.text) as unknown);
}

export interface PlacedOrder {
  readonly iccid: string;
  readonly matchingId: string;
}

/** DownloadOrder + ConfirmOrder(releaseFlag true): a profile ready for download with this matching ID. */
export async function placeOrder(
  options: Es2ClientOptions,
  order: { profileType: string; eid?: string; confirmationCode?: string; matchingId?: string; smdsAddress?: string },
): Promise<PlacedOrder> {
  const ordered = await call(options, es2plusFunctions.downloadOrder, {
    header: header(options, es2plusFunctions.downloadOrder),
    profileType: order.profileType, ...(order.eid === undefined ? {} : { eid: order.eid }) });
  const confirmed = await call(options, es2plusFunctions.confirmOrder, {
    header: header(options, es2plusFunctions.confirmOrder),
    iccid: ordered.iccid,
    releaseFlag: true,
    ...(order.eid === undefined ? {} : { eid: order.eid }),
    ...(order.matchingId === undefined ? {} : { matchingId: order.matchingId }),
    ...(order.confirmationCode === undefined ? {} : { confirmationCode: order.confirmationCode }),
    // SGP.22 §3.6.1: the SM-DP+ registers an event there (EventID = MatchingID) before it answers.
    ...(order.smdsAddress === undefined ? {} : { smdsAddress: order.smdsAddress }),
  });
  return { iccid: String(ordered.iccid), matchingId: String(confirmed.matchingId) };
}

/** CancelOrder (§5.3.3): the order's profile goes back to Available (or Unavailable). */
export async function cancelOrder(options: Es2ClientOptions, order: { iccid: string; matchingId?: string; eid?: string }): Promise<void> {
  await call(options, es2plusFunctions.cancelOrder, {
    header: header(options, es2plusFunctions.cancelOrder),
    iccid: order.iccid,
    finalProfileStatusIndicator: 'Available',
    ...(order.matchingId === undefined ? {} : { matchingId: order.matchingId }),
    ...(order.eid === undefined ? {} : { eid: order.eid }),
  });
}
