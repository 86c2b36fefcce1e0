// The Plans page (the operator's offers and the active plan) and the Blockchain services page (identity, anchored
// activity with checked inclusion proofs, proof of membership).
import type { SubscriberIdentity, ProfileSummary } from '@zkesim/lpa-core';
import type { Plan } from '../operator/plans/plansStore.js';
import type { ActivityView } from './blockchainServices.js';
import { errorBox, html, type Html } from './html.js';
import type { ErrorView } from './views.js';

const amount = (plan: Plan) => `${(plan.priceMinor / 100).toFixed(2)} ${plan.currency}`;
const data = (mb: number | null) => (mb === null ? 'Unlimited data' : mb >= 1000 ? `${mb / 1000} GB data` : `${mb} MB data`);
const voice = (minutes: number | null) => (minutes === null ? 'Unlimited calls' : `${minutes} minutes of calls`);

function planCard(plan: Plan): Html {
  return html`<li class="plan" data-plan="${plan.id}"><h3>${plan.name}</h3>
<p class="price">${amount(plan)} <span>for ${plan.validityDays} days</span></p>
<ul><li>${data(plan.dataMb)}</li><li>${voice(plan.voiceMinutes)}</li><li>Valid ${plan.validityDays} days</li></ul></li>`;
}

export function plansPage(enabled: ProfileSummary | undefined, offers: readonly Plan[] | ErrorView | undefined): Html {
  if (enabled === undefined) return html`<p>No profile is in use. <a href="/">Enable one</a> to see its operator's plans.</p>`;
  const who = html`<p>Plans of <strong>${enabled.serviceProviderName ?? 'your operator'}</strong> for ${enabled.profileNickname ?? (enabled.profileName || enabled.iccid)} (ICCID ${enabled.iccid}).</p>`;
  const active = html`<section aria-labelledby="active-heading"><h2 id="active-heading">Your plan</h2>
<div id="active-plan" data-iccid="${enabled.iccid}" aria-live="polite"><p>Asking your operator (this device proves the line is yours)…</p></div></section>`;
  if (offers === undefined) return html`${who}<p>No plans service is configured for this operator.</p>`;
  if (!Array.isArray(offers)) return html`${who}${errorBox(offers as ErrorView, 'Cannot reach your operator\'s plans')}`;
  return html`${who}${active}<section aria-labelledby="offers-heading"><h2 id="offers-heading">Plans on offer</h2><ul class="plans">${(offers as readonly Plan[]).map(planCard)}</ul></section>`;
}

/** The active plan, as the page fills it in. */
export function activePlanFragment(active: { plan: Plan; since: number; until: number } | ErrorView): Html {
  if (!('plan' in active)) return errorBox(active, 'Your plan cannot be shown');
  const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return html`<div class="plan active-plan"><h3>${active.plan.name}</h3><p class="price">${amount(active.plan)} <span>for ${active.plan.validityDays} days</span></p>
<ul><li>${data(active.plan.dataMb)}</li><li>${voice(active.plan.voiceMinutes)}</li><li>Current period ${date(active.since)} to ${date(active.until)}</li></ul></div>`;
}

function activityItem(event: ActivityView): Html {
  const checked =
    event.proofMatchesRoot === undefined
      ? html`<p class="pending">Waiting to be anchored (${event.state})</p>`
      : event.proofMatchesRoot && event.acceptedOnChain === true
        ? html`<p class="ok">Inclusion proof checked: ${event.proofLength ?? 0} hashes lead from the record to root <code>${event.root ?? ''}</code>, which the chain holds (batch ${event.batchNumber ?? 0}).</p>`
        : html`<p class="failed">The inclusion proof does NOT check: ${event.proofMatchesRoot ? 'it matches the root' : 'it does not match the root'}, ${event.acceptedOnChain === true ? 'the root is on chain' : 'the chain does not accept it'}.</p>`;
  return html`<li class="event"><h3>${event.what}</h3><p><time datetime="${event.occurredAt}">${event.occurredAt.replace('T', ' ').slice(0, 19)} UTC</time></p>
${checked}<p class="event-id">Event id <code>${event.eventId}</code></p></li>`;
}

export function servicesPage(identity: SubscriberIdentity | ErrorView, activity: readonly ActivityView[] | ErrorView | undefined): Html {
  if (!('commitment' in identity)) return errorBox(identity, 'No subscriber identity');
  const facts = html`<section aria-labelledby="identity-heading"><h2 id="identity-heading">Your identity</h2>
<p>The profile in use (ICCID ${identity.iccid}) carries your anonymous subscriber identity. Its secret stays on the eSIM chip.</p>
<dl class="facts"><dt>Identity commitment</dt><dd><code id="commitment">${identity.commitment}</code></dd>
<dt>Subscriber contract</dt><dd><code id="contract">${identity.subscriberContract}</code></dd>
<dt>Chain</dt><dd id="chain-id">${identity.chainId}</dd>
<dt>Registry</dt><dd><code>${identity.registry}</code></dd></dl></section>`;
  const log =
    activity === undefined
      ? html``
      : !Array.isArray(activity)
        ? errorBox(activity as ErrorView, 'Cannot read your activity')
        : (activity as readonly ActivityView[]).length === 0
          ? html`<p>Nothing has been anchored for this identity yet.</p>`
          : html`<p>Recorded on the chain under tags only you can recompute. This device checked each record's inclusion proof against the root on chain.</p>
<ul class="activity">${(activity as readonly ActivityView[]).map(activityItem)}</ul>`;
  return html`${facts}<section aria-labelledby="activity-heading"><h2 id="activity-heading">Your anchored activity</h2>${log}</section>
<section aria-labelledby="prove-heading"><h2 id="prove-heading">Prove membership</h2>
<p>Make a zero-knowledge proof that you are one of this operator's subscribers, without saying which one. A service asks for it with a scope; you get one nullifier per scope.</p>
<form id="prove" method="post" action="/api/prove">
<label for="scope">Scope</label><input id="scope" name="scope" required maxlength="66" aria-describedby="scope-help">
<p id="scope-help" class="help">A number, 0x hex, or text of up to 32 bytes, as the service gave it.</p>
<label for="message">Message</label><input id="message" name="message" value="1" required maxlength="66">
<button type="submit" class="primary">Make the proof</button></form>
<div id="proof-status" role="status"></div>
<div id="proof-output" hidden><label for="proof-json">Proof (for <code>zkesim chain verify-proof</code>)</label>
<textarea id="proof-json" readonly rows="10"></textarea><button type="button" id="copy-proof">Copy the proof</button></div></section>`;
}
