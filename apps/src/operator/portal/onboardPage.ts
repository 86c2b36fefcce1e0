// Onboard a subscriber (clerk and admin): the KYC form, then the operator component's onboarding (the KYC record
// stays in the operator's store; our onboarding API gets its reference and the wallet), and the answer: the
// activation code as text and as the eSIM activation QR code (SGP.22 v2.2.2 §4.1: the QR code carries the
// activation code string), and the confirmation code when the clerk asked for one ("Require a confirmation code":
// the operator component generates it, SGP.22 v2.2.2 §3.1.1). That code is on this answer page only: neither the
// portal nor the operator component stores it (the SM-DP+ keeps its digest), so the page says it is shown once.
import type { RequestHandler } from 'express';
import QRCode from 'qrcode';
import { OnboardingApiError, type OperatorComponent } from '../operatorComponent.js';
import { sessionOf } from './auth.js';
import { html, trusted, type Html } from '../../web/html.js';
import { documentTypes, formValues, validateKyc, type KycFormValues } from './kycForm.js';
import { errorSummary, page } from './layout.js';
import type { OrderLog } from './orderLog.js';

export interface OnboardDeps {
  operator: OperatorComponent;
  orders: OrderLog;
  profileTypes: readonly string[];
  now: () => number;
}

const EMPTY: KycFormValues = { name: '', documentType: '', documentNumber: '', dateOfBirth: '', address: '', wallet: '', profileType: '' };

function field(id: string, label: string, control: Html, errors: ReadonlyMap<string, string>, hint?: string, wide = false): Html {
  const error = errors.get(id);
  return html`<div${wide ? html` class="wide"` : html``}><label for="${id}">${label}${hint === undefined ? html`` : html`<span class="hint" id="${id}-hint">${hint}</span>`}</label>
${error === undefined ? html`` : html`<span class="field-error" id="${id}-error">${error}</span>`}${control}</div>`;
}

function describedBy(id: string, errors: ReadonlyMap<string, string>, hint: boolean): Html {
  const ids = [...(hint ? [`${id}-hint`] : []), ...(errors.has(id) ? [`${id}-error`] : [])];
  return html`${ids.length > 0 ? html` aria-describedby="${ids.join(' ')}"` : html``}${errors.has(id) ? html` aria-invalid="true"` : html``}`;
}

/** The "Require a confirmation code" checkbox as submitted (`value="yes"`). */
function requiresCode(body: Record<string, unknown>): boolean {
  return body.requireConfirmationCode === 'yes';
}

function form(csrf: string, values: KycFormValues, errors: ReadonlyMap<string, string>, profileTypes: readonly string[], requireCode: boolean, apiError?: string): Html {
  const input = (id: keyof KycFormValues, attributes: Html, hint = false) => html`<input id="${id}" name="${id}" value="${values[id]}"${attributes}${describedBy(id, errors, hint)}>`;
  return html`${errorSummary(errors)}${apiError === undefined ? html`` : html`<div class="notice bad" role="alert">${apiError}</div>`}
<form method="post" action="/onboard" class="stack" novalidate>
<input type="hidden" name="csrf" value="${csrf}">
${field('name', 'Full name', input('name', html` autocomplete="off" required`), errors, undefined, true)}
${field('documentType', 'Identity document', html`<select id="documentType" name="documentType" required${describedBy('documentType', errors, false)}><option value="">Choose…</option>${documentTypes.map((type) => html`<option value="${type.value}"${type.value === values.documentType ? html` selected` : html``}>${type.label}</option>`)}</select>`, errors)}
${field('documentNumber', 'Document number', input('documentNumber', html` autocomplete="off" required`, true), errors, 'Letters, digits and dashes, as printed')}
${field('dateOfBirth', 'Date of birth', input('dateOfBirth', html` type="date" required`, true), errors, 'Day, month and year, as on the document')}
${field('profileType', 'Profile type', html`<select id="profileType" name="profileType" required${describedBy('profileType', errors, false)}><option value="">Choose…</option>${profileTypes.map((type) => html`<option${type === values.profileType ? html` selected` : html``}>${type}</option>`)}</select>`, errors)}
${field('address', 'Postal address', html`<textarea id="address" name="address" rows="2" required${describedBy('address', errors, false)}>${values.address}</textarea>`, errors, undefined, true)}
${field('wallet', 'Wallet address (optional)', input('wallet', html` autocomplete="off" spellcheck="false"`, true), errors, 'Ethereum address with its EIP-55 checksum, for the subscriber contract', true)}
<div class="wide"><p class="check"><input type="checkbox" id="requireConfirmationCode" name="requireConfirmationCode" value="yes" aria-describedby="requireConfirmationCode-hint"${requireCode ? html` checked` : html``}><label for="requireConfirmationCode">Require a confirmation code</label></p>
<span class="hint" id="requireConfirmationCode-hint">The device asks the subscriber for it before the download; it is shown once, after onboarding</span></div>
<div class="wide"><button type="submit">Onboard subscriber</button></div>
</form>`;
}

export function onboardRoutes(deps: OnboardDeps): { show: RequestHandler; submit: RequestHandler } {
  return {
    show: (_request, response) => {
      response.type('html').send(page({ title: 'Onboard a subscriber', session: sessionOf(response), current: '/onboard', body: form(sessionOf(response).csrfToken, EMPTY, new Map(), deps.profileTypes, false) }));
    },
    submit: async (request, response) => {
      const session = sessionOf(response);
      const values = formValues(request.body as Record<string, unknown>);
      const requireCode = requiresCode(request.body as Record<string, unknown>);
      const checked = validateKyc(values, deps.profileTypes, new Date(deps.now()));
      if (!checked.ok) {
        response.status(400).type('html').send(page({ title: 'Onboard a subscriber', session, current: '/onboard', body: form(session.csrfToken, values, checked.errors, deps.profileTypes, requireCode) }));
        return;
      }
      const { profileType, ...customer } = checked.value;
      let answer: Awaited<ReturnType<OperatorComponent['onboardCustomer']>>;
      try {
        answer = await deps.operator.onboardCustomer(customer, { profileType, requireConfirmationCode: requireCode });
      } catch (error) {
        if (!(error instanceof OnboardingApiError)) throw error;
        const errors = new Map(error.field === 'wallet' ? [['wallet', `Wallet address: ${error.message.replace(/^.*wallet: /, '')}`]] : []);
        response.status(error.status >= 500 ? 502 : 400).type('html').send(
          page({ title: 'Onboard a subscriber', session, current: '/onboard', body: form(session.csrfToken, values, errors, deps.profileTypes, requireCode, errors.size > 0 ? undefined : `The onboarding was refused: ${error.message}`) }),
        );
        return;
      }
      const order = answer.order;
      deps.orders.placed({ iccid: order.iccid, matchingId: order.matchingId, kycReference: answer.kycReference, profileType, activationCode: order.activationCode });
      const qr = await QRCode.toString(order.activationCode, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      response.type('html').send(
        page({
          title: 'Subscriber onboarded',
          session,
          current: '/onboard',
          body: html`<p class="notice good" role="status">The subscriber is onboarded and the eSIM order is released. Let the subscriber scan the QR code with the device, or type the activation code.</p>
<div class="result">
<figure class="qr" role="img" aria-label="eSIM activation QR code for ${order.activationCode}">${trusted(qr)}</figure>
<dl class="facts">
<dt>Activation code</dt><dd class="mono" id="activation-code">${order.activationCode}</dd>
<dt>Confirmation code</dt>${confirmationCode(answer)}
<dt>ICCID</dt><dd class="mono" id="iccid">${order.iccid}</dd>
<dt>Profile type</dt><dd>${profileType}</dd>
<dt>Subscriber contract</dt><dd class="mono">${answer.subscriberContract}</dd>
${answer.wallet === undefined ? html`` : html`<dt>Wallet</dt><dd class="mono">${answer.wallet}</dd>`}
<dt>KYC reference</dt><dd class="mono" id="kyc-reference">${answer.kycReference}</dd>
</dl>
</div>
<p><a class="button" href="/onboard">Onboard another subscriber</a></p>`,
        }),
      );
    },
  };
}

/**
 * The confirmation code's entry: the code (once: nothing keeps it), or "required" for a repeated onboarding whose
 * code was given the first time (the activation code still says it is required), or "not required".
 */
function confirmationCode(answer: { confirmationCode?: string; order: { confirmationCodeRequired?: boolean } }): Html {
  if (answer.confirmationCode !== undefined) {
    return html`<dd><span class="mono code" id="confirmation-code">${answer.confirmationCode}</span>
<span class="hint" id="confirmation-code-once">Shown once: give it to the subscriber now. It is not stored and cannot be shown again.</span></dd>`;
  }
  if (answer.order.confirmationCodeRequired === true) {
    return html`<dd id="confirmation-code-required">required; it was shown when this subscriber was first onboarded and is not kept</dd>`;
  }
  return html`<dd id="confirmation-code">not required for this order</dd>`;
}
