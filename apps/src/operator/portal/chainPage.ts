// On-chain (admin): the anchored batches of installation results (Merkle roots in DownloadAnchor, with their
// transaction and block), the anchor status of the operator's recent orders, and "verify inclusion": the
// order's Merkle proof from the SM-DP+'s operator API, checked here against the root (OpenZeppelin
// StandardMerkleTree) and on chain (DownloadAnchor.verifyRecord), with contracts' verifyAnchorProof.
import type { RequestHandler } from 'express';
import { sessionOf } from './auth.js';
import { html, type Html } from '../../web/html.js';
import { page } from './layout.js';
import type { OrderLog } from './orderLog.js';
import type { OrderReading, SmdpReader } from './smdpReader.js';

const RECENT_ORDERS = 10;
const time = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

async function orderRows(reader: SmdpReader, orders: OrderLog, focus: string | undefined, csrf: string): Promise<Html> {
  const iccids = [...new Set([...(focus === undefined ? [] : [focus]), ...orders.list('', 0, RECENT_ORDERS).orders.map((order) => order.iccid)])];
  const readings = await Promise.all(iccids.map(async (iccid) => [iccid, await reader.order(iccid).catch((error: unknown) => error as Error)] as const));
  return html`${readings.map(([iccid, reading]) => {
    if (reading instanceof Error) return html`<tr><td class="mono">${iccid}</td><td colspan="3">${reading.message}</td><td></td></tr>`;
    const anchor = (reading as OrderReading).status.anchor;
    return html`<tr data-iccid="${iccid}"><td class="mono">${iccid}</td><td>${(reading as OrderReading).status.profileState ?? '—'}</td>
<td><span class="state state-${anchor?.state ?? 'none'}">${anchor?.state ?? 'no result yet'}</span></td><td class="mono optional">${anchor?.blockNumber ?? ''}</td>
<td><form method="post" action="/chain/verify"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="iccid" value="${iccid}"><button type="submit" class="secondary"${anchor?.root === undefined ? html` disabled` : html``} aria-label="Verify inclusion of ${iccid}">Verify inclusion</button></form></td></tr>`;
  })}`;
}

export function chainRoutes(reader: SmdpReader, orders: OrderLog): { show: RequestHandler; verify: RequestHandler } {
  const render: (verdict?: Html) => RequestHandler = (verdict) => async (request, response) => {
    const session = sessionOf(response);
    const focus = typeof request.query.iccid === 'string' && /^\d{18,20}$/.test(request.query.iccid) ? request.query.iccid : undefined;
    const [batches, rows] = await Promise.all([reader.batches().catch((error: unknown) => error as Error), orderRows(reader, orders, focus, session.csrfToken)]);
    const batchTable =
      batches instanceof Error
        ? html`<p class="notice bad" role="alert">The SM-DP+ could not list the batches: ${batches.message}</p>`
        : batches.batches.length === 0
          ? html`<p>No batch anchored yet.</p>`
          : html`<div class="table-wrap"><table><thead><tr><th scope="col">Batch</th><th scope="col">State</th><th scope="col">Events</th><th scope="col">Merkle root</th><th scope="col">Transaction</th><th scope="col">Block</th><th scope="col" class="optional">Anchored (UTC)</th></tr></thead>
<tbody>${batches.batches.map((batch) => html`<tr><td>${batch.batchNumber ?? `#${batch.batchId}`}</td><td><span class="state state-${batch.state}">${batch.state}</span></td><td>${batch.leafCount}</td><td class="mono">${batch.root}</td><td class="mono">${batch.transactionHash ?? '—'}</td><td>${batch.blockNumber ?? '—'}</td><td class="optional">${batch.anchoredAt === undefined ? '' : time(batch.anchoredAt)}</td></tr>`)}</tbody></table></div>`;
    const body = html`${verdict ?? html``}<h2>Orders</h2>
<p>The anchor status of each order's installation result: pending at the SM-DP+, batched, submitted, then anchored.</p>
<div class="table-wrap"><table><thead><tr><th scope="col">ICCID</th><th scope="col">Profile state</th><th scope="col">Anchor</th><th scope="col" class="optional">Block</th><th scope="col">Proof</th></tr></thead><tbody>${rows}</tbody></table></div>
<h2>Anchored batches</h2>${batchTable}`;
    response.type('html').send(page({ title: 'On-chain', session, current: '/chain', body }));
  };
  return {
    show: render(),
    verify: async (request, response, next) => {
      const iccid = String((request.body as Record<string, unknown>).iccid ?? '');
      let verdict: Html;
      try {
        const result = await reader.verifyInclusion(iccid);
        const good = result.verdict.proofMatchesRoot && result.verdict.acceptedOnChain;
        verdict = html`<div class="notice ${good ? 'good' : 'bad'}" role="status" id="verdict"><h2>${good ? 'Inclusion verified' : 'Inclusion NOT verified'}: order ${iccid}</h2>
<dl class="facts"><dt>Proof matches root</dt><dd>${result.verdict.proofMatchesRoot ? 'yes' : 'no'}</dd>
<dt>Accepted on chain</dt><dd>${result.verdict.acceptedOnChain ? 'yes' : 'no'}</dd>
<dt>On-chain batch</dt><dd>${result.verdict.batchNumber}</dd>
<dt>Event id (leaf)</dt><dd class="mono">${result.proof.eventId}</dd>
<dt>Merkle root</dt><dd class="mono">${result.proof.root}</dd>
<dt>Proof</dt><dd class="mono">${result.proof.proof.length} sibling hash${result.proof.proof.length === 1 ? '' : 'es'}</dd>
<dt>Transaction</dt><dd class="mono">${result.transactionHash ?? '—'}</dd><dt>Block</dt><dd>${result.blockNumber ?? '—'}</dd></dl></div>`;
      } catch (error) {
        verdict = html`<div class="notice bad" role="alert" id="verdict">Cannot verify ${iccid}: ${(error as Error).message}</div>`;
      }
      await render(verdict)(request, response, next);
    },
  };
}
