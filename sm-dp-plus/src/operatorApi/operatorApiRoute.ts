// The read-only operator API: what an operator's own tools (the operator portal) may read about the orders it
// placed, over the ES2+ listener with the same authentication as ES2+ (mutual TLS, the configured operator
// trusts; rsp-server refuses a caller without an accepted client certificate before a route runs). Not a GSMA
// function: vendor paths under /zkesim/operator/, plain JSON bodies, errors `{ error: { field, message } }`.
// It never writes, and it answers only for orders the calling operator placed (OrderRecord.operatorId), so the
// operator component never opens our databases and one operator never reads another's orders.
// SPEC-AMBIGUITY: SGP.22 has no read function for an order's state (ES2+ only pushes HandleDownloadProgressInfo,
// §5.3.5); the anchoring of installation results is ours, so this API is too.
import { InvalidIdentifier, iccidDigits, type IccidDigits } from '@zkesim/protocol';
import { openAnchorOutbox, anchorEventId, UnknownAnchorEvent } from '@zkesim/contracts';
import type { HttpRoute, RouteResult } from '@zkesim/rsp-server';
import type { OperatorIdentity } from '../es2plus/operator.js';
import { orderStatus, type OrderStatusSources } from '../orderStatus.js';
import { anchorProofJson, batchJson } from './anchorJson.js';

export const ORDER_STATUS_PATH = '/zkesim/operator/v1/orderStatus';
export const ANCHOR_BATCHES_PATH = '/zkesim/operator/v1/anchorBatches';
/** The most batches one answer lists. */
export const MAX_BATCHES = 100;

class OperatorApiRefused extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly status: 400 | 404 = 400,
  ) {
    super(message);
  }
}

function json(status: number, value: unknown): RouteResult {
  return { status, contentType: 'application/json', body: JSON.stringify(value) };
}

function bodyObject(body: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = body.length === 0 ? {} : JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    throw new OperatorApiRefused('(body)', 'the body must be a JSON object');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new OperatorApiRefused('(body)', 'the body must be a JSON object');
  return value as Record<string, unknown>;
}

/** The order's status (profile state, order, anchor) and, once its installation result is batched, its Merkle proof. */
async function readOrder(sources: OrderStatusSources, operator: OperatorIdentity, body: Uint8Array) {
  const { iccid } = bodyObject(body);
  if (typeof iccid !== 'string') throw new OperatorApiRefused('iccid', 'iccid: must be a string of 18 to 20 digits');
  let digits: IccidDigits;
  try {
    digits = iccidDigits(iccid);
  } catch (error) {
    if (error instanceof InvalidIdentifier) throw new OperatorApiRefused('iccid', `iccid: ${error.message}`);
    throw error;
  }
  const order = await sources.repository.transaction((tx) => tx.getLatestOrderByIccid(digits));
  // Another operator's order answers exactly like no order: its existence is not ours to reveal.
  if (order === undefined || order.operatorId !== operator.operatorId) throw new OperatorApiRefused('iccid', 'no order of this operator for this ICCID', 404);
  const status = await orderStatus(sources, digits);
  let proof: ReturnType<typeof anchorProofJson> | undefined;
  if (order.anchorEventId !== undefined && sources.anchor.enabled) {
    const outbox = openAnchorOutbox(sources.anchor.outboxDirectory, () => sources.clock.now());
    try {
      const found = outbox.proof(anchorEventId(order.anchorEventId));
      proof = found === undefined ? undefined : anchorProofJson(found);
    } catch (error) {
      if (!(error instanceof UnknownAnchorEvent)) throw error;
    } finally {
      outbox.close();
    }
  }
  return { status, ...(proof === undefined ? {} : { proof }) };
}

function readBatches(sources: OrderStatusSources, body: Uint8Array) {
  const { limit } = bodyObject(body);
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_BATCHES)) {
    throw new OperatorApiRefused('limit', `limit: must be an integer from 1 to ${MAX_BATCHES}`);
  }
  if (!sources.anchor.enabled) return { batches: [] };
  const outbox = openAnchorOutbox(sources.anchor.outboxDirectory, () => sources.clock.now());
  try {
    return { batches: outbox.batches(limit ?? 20).map(batchJson), backlog: outbox.backlog() };
  } finally {
    outbox.close();
  }
}

function failure(error: unknown): RouteResult {
  if (error instanceof OperatorApiRefused) return json(error.status, { error: { field: error.field, message: error.message } });
  return json(500, { error: { field: '', message: 'the operator API failed; see the SM-DP+ log' } });
}

export function operatorApiRoutes(sources: OrderStatusSources): Map<string, HttpRoute<OperatorIdentity>> {
  const route = (fn: string, handle: (operator: OperatorIdentity, body: Uint8Array) => Promise<unknown>): HttpRoute<OperatorIdentity> => ({
    interface: 'operator',
    function: fn,
    requiresClient: true,
    handle: async (input) => json(200, await handle(input.client as OperatorIdentity, input.body)),
    failure,
  });
  return new Map([
    [ORDER_STATUS_PATH, route('orderStatus', (operator, body) => readOrder(sources, operator, body))],
    [ANCHOR_BATCHES_PATH, route('anchorBatches', (_operator, body) => Promise.resolve(readBatches(sources, body)))],
  ]);
}
