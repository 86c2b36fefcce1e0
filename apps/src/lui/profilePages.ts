// The Profiles page (list, enable / disable / delete with a confirmation, the notifications each operation sent)
// and the Add eSIM page (activation code typed or read from a QR image, discovery; progress followed live).
import type { ProfileSummary } from '@zkesim/lpa-core';
import { EVENT_WORDS, type ErrorView, type NotificationView } from './views.js';
import { errorBox, html, type Html } from './html.js';

export interface OperationResult {
  readonly message: string;
  readonly notifications: readonly NotificationView[];
  readonly error?: ErrorView;
}

function displayName(profile: ProfileSummary): string {
  return profile.profileNickname ?? (profile.profileName || `Profile ${profile.iccid}`);
}

function icon(profile: ProfileSummary): Html {
  if (profile.profileIcon !== undefined) {
    const type = profile.profileIcon.iconType === 'png' ? 'image/png' : 'image/jpeg';
    return html`<img class="icon" alt="" width="48" height="48" src="data:${type};base64,${Buffer.from(profile.profileIcon.icon).toString('base64')}">`;
  }
  const initial = (profile.serviceProviderName ?? displayName(profile)).trim().charAt(0).toUpperCase() || '?';
  return html`<span class="icon monogram" aria-hidden="true">${initial}</span>`;
}

function actionForm(profile: ProfileSummary, action: 'enable' | 'disable' | 'delete', label: string, question: string): Html {
  const name = displayName(profile);
  return html`<form method="post" action="/profiles/${action}" data-confirm="${question}">
<input type="hidden" name="iccid" value="${profile.iccid}">
<button type="submit" class="${action === 'delete' ? 'danger' : ''}" aria-label="${label} ${name}">${label}</button></form>`;
}

function profileItem(profile: ProfileSummary): Html {
  const name = displayName(profile);
  const enabled = profile.profileState === 'enabled';
  const toggle = enabled
    ? actionForm(profile, 'disable', 'Disable', `Disable ${name}? You will not be reachable on this line until you enable it again.`)
    : actionForm(profile, 'enable', 'Enable', `Enable ${name}? The profile in use now is switched off.`);
  return html`<li class="profile" data-iccid="${profile.iccid}">
${icon(profile)}
<div class="about"><h2>${name}</h2>
<p class="provider">${profile.serviceProviderName ?? 'Unknown provider'}</p>
<p class="state ${profile.profileState}">${enabled ? 'In use' : profile.profileState === 'disabled' ? 'Off' : 'Unknown state'}</p>
<p class="iccid">ICCID <span>${profile.iccid}</span></p></div>
<div class="actions">${toggle}${actionForm(profile, 'delete', 'Delete', `Delete ${name}? The profile is removed from this device for good; to use it again you need a new eSIM from your operator.`)}</div>
</li>`;
}

export function notificationTable(notifications: readonly NotificationView[]): Html {
  if (notifications.length === 0) return html`<p>No notifications were waiting to be sent.</p>`;
  const rows = notifications.map(
    (n) => html`<tr><td>${EVENT_WORDS[n.event] ?? n.event}</td><td>${n.iccid ?? ''}</td><td>${n.notificationAddress}</td><td class="${n.status}">${n.status === 'removed' ? 'Sent' : `Not sent: ${n.error ?? ''}`}</td></tr>`,
  );
  return html`<table class="notifications"><caption>Notifications sent to the operator</caption>
<thead><tr><th scope="col">Profile was</th><th scope="col">ICCID</th><th scope="col">Sent to</th><th scope="col">Result</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function profilesPage(profiles: readonly ProfileSummary[] | ErrorView, result?: OperationResult): Html {
  const outcome =
    result === undefined
      ? undefined
      : result.error !== undefined
        ? errorBox(result.error)
        : html`<section class="result" role="status" aria-labelledby="result-heading"><h2 id="result-heading">${result.message}</h2>${notificationTable(result.notifications)}</section>`;
  if (!Array.isArray(profiles)) return html`${outcome}${errorBox(profiles as ErrorView, 'Cannot read the profiles')}`;
  const list = profiles as readonly ProfileSummary[];
  const body = list.length === 0 ? html`<p>There is no eSIM on this device yet. <a href="/add">Add one</a>.</p>` : html`<ul class="profiles">${list.map(profileItem)}</ul>`;
  return html`${outcome}${body}
<dialog id="confirm" aria-labelledby="confirm-text"><form method="dialog"><p id="confirm-text"></p>
<div class="buttons"><button value="cancel" type="submit">Cancel</button><button value="ok" type="submit" class="primary">Continue</button></div></form></dialog>`;
}

export function addPage(): Html {
  return html`<section aria-labelledby="by-code"><h2 id="by-code">With an activation code</h2>
<form id="add-code" method="post" action="/api/downloads">
<label for="activation-code">Activation code</label>
<input id="activation-code" name="activationCode" autocomplete="off" spellcheck="false" required placeholder="LPA:1$…" aria-describedby="code-help">
<p id="code-help" class="help">Your operator gives it as text or as a QR code. It starts with LPA:1$.</p>
<label for="qr-image">Or choose a picture of the QR code</label>
<input id="qr-image" type="file" accept="image/*" aria-describedby="qr-status">
<p id="qr-status" class="help" role="status"></p>
<button type="submit" class="primary">Download and install</button>
</form></section>
<section aria-labelledby="by-discovery"><h2 id="by-discovery">Without a code</h2>
<p>Your operator may have prepared an eSIM for this device. The discovery service knows.</p>
<form id="add-discovery" method="post" action="/api/downloads"><button type="submit">Look for eSIMs waiting for this device</button></form>
</section>
<section id="progress-section" aria-labelledby="progress-heading" hidden><h2 id="progress-heading">Progress</h2>
<ol id="progress" aria-live="polite"></ol>
<form id="confirmation" hidden><label for="confirmation-code">Confirmation code from your operator</label>
<input id="confirmation-code" name="code" inputmode="numeric" autocomplete="one-time-code" required>
<div class="buttons"><button type="submit" class="primary">Continue</button><button type="button" id="confirmation-cancel">Cancel the download</button></div></form>
<div id="outcome" tabindex="-1"></div></section>`;
}
