// Orders (admin): the operator's orders with their state, searchable and paginated, updated live as the
// SM-DP+'s HandleDownloadProgressInfo callbacks arrive (Server-Sent Events, WHATWG HTML §9.2), and one order's
// timeline of events. Subscribers' KYC is shown to admins only (this page is admin-only).
import type { Request, RequestHandler } from 'express';
import type { KycStore } from '../kycStore.js';
import { sessionOf } from './auth.js';
import { html } from '../../web/html.js';
import { page } from './layout.js';
import { notificationPoints, type OrderLog, type OrderRow } from './orderLog.js';

export const PAGE_SIZE = 20;
const time = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

/** What the live updates carry: no KYC, only the order. */
function liveOrder(order: OrderRow) {
  return { iccid: order.iccid, state: order.state, profileType: order.profileType ?? '', matchingId: order.matchingId ?? '', updated: time(order.updatedAt) };
}

/**
 * `signedIn` tells whether the request's session is still live: a stream outlives its page, so it ends when its
 * session does (sign-out, expiry) rather than going on telling a signed-out browser about orders.
 */
export function ordersRoutes(orders: OrderLog, kyc: KycStore, signedIn: (request: Request) => boolean): { list: RequestHandler; detail: RequestHandler; events: RequestHandler } {
  return {
    list: (request, response) => {
      const search = typeof request.query.q === 'string' ? request.query.q.slice(0, 100) : '';
      const pageNumber = Math.max(1, Math.min(10_000, Number.parseInt(typeof request.query.page === 'string' ? request.query.page : '1', 10) || 1));
      const { orders: rows, total } = orders.list(search, (pageNumber - 1) * PAGE_SIZE, PAGE_SIZE);
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
      const link = (n: number) => `/orders?${new URLSearchParams({ ...(search === '' ? {} : { q: search }), page: String(n) }).toString()}`;
      response.type('html').send(
        page({
          title: 'Orders',
          session: sessionOf(response),
          current: '/orders',
          body: html`<form method="get" action="/orders" class="search" role="search">
<div><label for="q">Search orders <span class="hint">ICCID, matching ID, EID, state or profile type</span></label><input id="q" name="q" type="search" value="${search}"></div>
<button type="submit">Search</button></form>
<p id="orders-summary">${total} order${total === 1 ? '' : 's'}${search === '' ? '' : ` matching “${search}”`}; states update live as the SM-DP+ reports download progress.</p>
<div class="table-wrap"><table data-live-orders data-first-page="${pageNumber === 1 && search === '' ? 'true' : 'false'}" aria-describedby="orders-summary">
<thead><tr><th scope="col">ICCID</th><th scope="col">State</th><th scope="col" class="optional">Profile type</th><th scope="col" class="optional">Matching ID</th><th scope="col">Last change (UTC)</th></tr></thead>
<tbody>${rows.length === 0 ? html`<tr data-empty><td colspan="5">No orders${search === '' ? ' yet' : ' match this search'}.</td></tr>` : rows.map(
            (order) => html`<tr data-iccid="${order.iccid}"><td class="mono"><a href="/orders/${order.iccid}">${order.iccid}</a></td><td><span class="state state-${order.state}">${order.state}</span></td><td class="optional">${order.profileType ?? ''}</td><td class="mono optional">${order.matchingId ?? ''}</td><td>${time(order.updatedAt)}</td></tr>`,
          )}</tbody></table></div>
<nav class="pager" aria-label="Pages">${pageNumber > 1 ? html`<a href="${link(pageNumber - 1)}" rel="prev">Previous page</a>` : html``}<span>Page ${pageNumber} of ${pages}</span>${pageNumber < pages ? html`<a href="${link(pageNumber + 1)}" rel="next">Next page</a>` : html``}</nav>`,
        }),
      );
    },
    detail: (request, response) => {
      const iccid = String(request.params.iccid);
      const order = orders.get(iccid);
      if (order === undefined) {
        response.status(404).type('html').send(page({ title: 'Order not found', session: sessionOf(response), current: '/orders', body: html`<p>No order with ICCID <span class="mono">${iccid}</span>. <a href="/orders">Back to the orders</a></p>` }));
        return;
      }
      const subscriber = order.kycReference === undefined ? undefined : kyc.get(order.kycReference);
      const events = orders.events(iccid);
      response.type('html').send(
        page({
          title: `Order ${iccid}`,
          session: sessionOf(response),
          current: '/orders',
          body: html`<dl class="facts">
<dt>State</dt><dd><span class="state state-${order.state}">${order.state}</span></dd>
<dt>Profile type</dt><dd>${order.profileType ?? '—'}</dd>
<dt>Matching ID</dt><dd class="mono">${order.matchingId ?? '—'}</dd>
<dt>Activation code</dt><dd class="mono">${order.activationCode ?? '—'}</dd>
<dt>Subscriber</dt><dd>${subscriber === undefined ? (order.kycReference === undefined ? 'not placed through the portal' : 'KYC record erased') : html`${subscriber.name} (<a href="/erasure?reference=${subscriber.reference}">${subscriber.reference}</a>)`}</dd>
<dt>Placed</dt><dd>${time(order.createdAt)} UTC</dd>
</dl>
<h2>Timeline</h2>
<ol class="timeline"><li><strong>order placed and released</strong>${order.kycReference === undefined ? ' (seen first in a progress report)' : ' (ES2+ DownloadOrder and ConfirmOrder through the onboarding)'} <span class="hint">at ${new Date(order.createdAt).toISOString()}</span></li>${events.map(
            (event) => html`<li><strong>${notificationPoints[event.notificationPoint]?.label ?? `notification point ${event.notificationPoint}`}</strong>: ${event.status}${event.subjectCode === undefined ? '' : ` (subject ${event.subjectCode}, reason ${event.reasonCode ?? '?'}${event.message === undefined ? '' : `: ${event.message}`})`} <span class="hint">at ${event.occurredAt}</span></li>`,
          )}</ol>${events.length === 0 ? html`<p>No download progress reported yet.</p>` : html``}
<p><a href="/chain?iccid=${iccid}">Anchor status of this order</a> · <a href="/orders">Back to the orders</a></p>`,
        }),
      );
    },
    events: (request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      response.write('retry: 2000\n\n');
      const live = () => {
        if (signedIn(request)) return true;
        response.end();
        return false;
      };
      const send = (order: OrderRow) => {
        if (live()) response.write(`event: order\ndata: ${JSON.stringify(liveOrder(order))}\n\n`);
      };
      orders.changes.on('change', send);
      // A comment every 15 s keeps proxies from closing an idle stream (and ends it once the session has).
      const keepAlive = setInterval(() => {
        if (live()) response.write(': keep-alive\n\n');
      }, 15_000);
      request.on('close', () => {
        clearInterval(keepAlive);
        orders.changes.off('change', send);
      });
    },
  };
}
