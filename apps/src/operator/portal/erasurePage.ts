// Erasure (admin): a subscriber's right to erasure (GDPR Art. 17). The admin finds the KYC record by reference
// or by document, sees what will go, and confirms; the operator component asks our onboarding API to forget the
// subscriber (link, group membership, activity tags, identity tokens) and then deletes its KYC record, and the
// portal deletes the subscriber's orders and their events.
import type { RequestHandler } from 'express';
import { OnboardingApiError, type OperatorComponent } from '../operatorComponent.js';
import type { KycRecord } from '../kycStore.js';
import { sessionOf } from './auth.js';
import { html, type Html } from '../../web/html.js';
import { documentTypes } from './kycForm.js';
import { page } from './layout.js';
import type { OrderLog } from './orderLog.js';

const REMOVES = html`<ul>
<li>the KYC record in the operator's store (name, document, date of birth, address, wallet), overwritten on disk;</li>
<li>at our SM-DP+: the link from the KYC reference to the subscriber, the identity tokens still held in open orders, and the activity tags that would let the subscriber claim later events;</li>
<li>on chain: the subscriber's membership of the subscriber group (revoked), so the identity no longer proves;</li>
<li>in this portal: the subscriber's orders and their progress events.</li></ul>
<p>Anchored batches stay on chain: they hold only hashes that name no one.</p>`;

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

function lookup(kyc: OperatorComponent['kyc'], query: string): KycRecord | undefined {
  if (query.startsWith('kyc-')) return kyc.get(query);
  const match = /^([a-z-]+):\s*(.+)$/.exec(query);
  if (match !== null && documentTypes.some((type) => type.value === match[1])) return kyc.findByDocument(`${match[1]}:${(match[2] as string).toUpperCase().replace(/\s+/g, '')}`);
  return undefined;
}

function searchForm(query: string): Html {
  return html`<form method="get" action="/erasure" class="search" role="search"><div><label for="reference">Subscriber <span class="hint">KYC reference (kyc-…) or document as type:number, for example passport:X1234567</span></label>
<input id="reference" name="reference" value="${query}" required></div><button type="submit">Find</button></form>`;
}

export function erasureRoutes(operator: OperatorComponent, orders: OrderLog): { show: RequestHandler; submit: RequestHandler } {
  return {
    show: (request, response) => {
      const session = sessionOf(response);
      const query = typeof request.query.reference === 'string' ? request.query.reference.trim().slice(0, 300) : '';
      const record = query === '' ? undefined : lookup(operator.kyc, query);
      const found =
        query === ''
          ? html``
          : record === undefined
            ? html`<p class="notice bad" role="alert">No KYC record matches “${query}”.</p>`
            : html`<h2>Subscriber</h2><dl class="facts"><dt>KYC reference</dt><dd class="mono">${record.reference}</dd><dt>Name</dt><dd>${record.name}</dd><dt>Document</dt><dd>${record.document}</dd>
<dt>Date of birth</dt><dd>${record.dateOfBirth ?? '—'}</dd><dt>Address</dt><dd>${record.address ?? '—'}</dd><dt>Wallet</dt><dd class="mono">${record.wallet ?? '—'}</dd>
<dt>Orders</dt><dd class="mono">${orders.ordersOf(record.reference).map((order) => order.iccid).join(', ') || '—'}</dd></dl>
<h2>What erasure removes</h2>${REMOVES}
<form method="post" action="/erasure"><input type="hidden" name="csrf" value="${session.csrfToken}"><input type="hidden" name="reference" value="${record.reference}">
<p class="check"><input type="checkbox" id="confirm" name="confirm" value="yes" required><label for="confirm">I confirm the subscriber asked for erasure; this cannot be undone</label></p>
<button type="submit" class="danger">Erase this subscriber</button></form>`;
      response.type('html').send(page({ title: 'Right to erasure', session, current: '/erasure', body: html`${query === '' ? html`<h2>What erasure removes</h2>${REMOVES}` : html``}${searchForm(query)}${found}` }));
    },
    submit: async (request, response) => {
      const session = sessionOf(response);
      const body = request.body as Record<string, unknown>;
      const reference = typeof body.reference === 'string' ? body.reference : '';
      if (body.confirm !== 'yes' || !reference.startsWith('kyc-')) {
        response.status(400).type('html').send(page({ title: 'Right to erasure', session, current: '/erasure', body: html`<p class="notice bad" role="alert">Tick the confirmation box to erase a subscriber.</p>${searchForm(reference)}` }));
        return;
      }
      try {
        const answer = await operator.eraseCustomer(reference);
        const portal = orders.eraseSubscriber(reference);
        response.type('html').send(
          page({
            title: 'Subscriber erased',
            session,
            current: '/erasure',
            body: html`<div class="notice good" role="status" id="erasure-result"><h2>Erased ${reference}</h2><dl class="facts">
<dt>KYC record</dt><dd>${answer.kycRecordErased ? 'deleted' : 'was already gone'}</dd>
<dt>Link at our SM-DP+</dt><dd>${answer.erased ? 'erased' : 'none left'}</dd>
<dt>Subscriber group</dt><dd>${answer.revoked ? 'membership revoked' : 'not a member'}</dd>
<dt>Activity tags</dt><dd>${answer.activityTagsErased} erased</dd>
<dt>Identity tokens</dt><dd>${answer.identityTokensDropped} dropped</dd>
<dt>Portal orders</dt><dd>${plural(portal.orders, 'order')} and ${plural(portal.events, 'progress event')} deleted</dd></dl></div><p><a href="/erasure">Erase another subscriber</a></p>`,
          }),
        );
      } catch (error) {
        if (!(error instanceof OnboardingApiError)) throw error;
        response.status(502).type('html').send(page({ title: 'Right to erasure', session, current: '/erasure', body: html`<p class="notice bad" role="alert">Our onboarding API refused the erasure; nothing was deleted here. ${error.message}</p>` }));
      }
    },
  };
}
