// The LUI's client code (no build step): confirmation dialogs, QR decoding, download progress over
// Server-Sent Events, the active plan, proofs of membership. Pages work as plain HTML forms where they can.
'use strict';

const $ = (selector) => document.querySelector(selector);

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

/** A failure as the server describes it: plain words, the SGP.22 codes, the technical message folded. */
function errorBox(error, heading) {
  const box = element('div', { class: 'error', role: 'alert' }, element('h2', {}, heading ?? 'That did not work'), element('p', {}, error.plain));
  if (error.subjectCode !== undefined) box.append(element('p', { class: 'codes' }, `SGP.22 subject code ${error.subjectCode}, reason code ${error.reasonCode ?? ''}`));
  if (error.detail) box.append(element('details', {}, element('summary', {}, 'Technical details'), element('p', {}, error.detail)));
  return box;
}

// Enable, disable, delete: the confirmation a phone asks for, in a modal dialog (keyboard: Esc cancels).
// One close listener decides for the form the dialog was last opened for. A close event is queued, and the
// browser may run input before it: the close event of a confirmation cancelled just before the dialog opened
// again arrives while it is open, and decides nothing.
function confirmations() {
  const dialog = $('#confirm');
  if (dialog === null) return;
  let pending = null;
  dialog.addEventListener('close', () => {
    if (dialog.open) return;
    const form = pending;
    pending = null;
    if (form !== null && dialog.returnValue === 'ok') form.submit();
  });
  for (const form of document.querySelectorAll('form[data-confirm]')) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      pending = form;
      $('#confirm-text').textContent = form.dataset.confirm;
      dialog.returnValue = '';
      dialog.showModal();
      dialog.querySelector('button[value="cancel"]').focus();
    });
  }
}

const EVENT_WORDS = { notificationInstall: 'installed', notificationEnable: 'enabled', notificationDisable: 'disabled', notificationDelete: 'deleted' };

function notificationTable(notifications) {
  if (notifications.length === 0) return element('p', {}, 'No notifications were waiting to be sent.');
  const body = element('tbody');
  for (const n of notifications) {
    body.append(element('tr', {}, element('td', {}, EVENT_WORDS[n.event] ?? n.event), element('td', {}, n.iccid ?? ''), element('td', {}, n.notificationAddress),
      element('td', { class: n.status }, n.status === 'removed' ? 'Sent' : `Not sent: ${n.error ?? ''}`)));
  }
  const head = element('tr', {}, ...['Profile was', 'ICCID', 'Sent to', 'Result'].map((name) => element('th', { scope: 'col' }, name)));
  return element('table', { class: 'notifications' }, element('caption', {}, 'Notifications sent to the operator'), element('thead', {}, head), body);
}

async function postJson(path, body) {
  const response = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
  const text = await response.text();
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { error: { plain: text.trim() || `HTTP ${response.status}`, detail: `HTTP ${response.status}` } };
  }
  return { status: response.status, body: parsed };
}

// Add eSIM: start the job, then follow its events.
function downloads() {
  const progress = $('#progress');
  if (progress === null) return;
  const section = $('#progress-section');
  const outcome = $('#outcome');
  const confirmation = $('#confirmation');
  let jobId;
  const forms = document.querySelectorAll('#add-code, #add-discovery');

  const finish = () => {
    confirmation.hidden = true;
    for (const button of document.querySelectorAll('#add-code button, #add-discovery button')) button.disabled = false;
    outcome.focus();
  };

  const follow = (id) => {
    jobId = id;
    const source = new EventSource(`/api/downloads/${id}/events`);
    source.addEventListener('step', (event) => {
      const step = JSON.parse(event.data);
      progress.append(element('li', { 'data-step': step.step }, step.detail ? `${step.words} (${step.detail})` : step.words));
    });
    source.addEventListener('confirmationCode', () => {
      progress.append(element('li', { 'data-step': 'confirmationCode' }, 'Your operator asks for the confirmation code'));
      confirmation.hidden = false;
      $('#confirmation-code').value = '';
      $('#confirmation-code').focus();
    });
    source.addEventListener('done', (event) => {
      source.close();
      const done = JSON.parse(event.data);
      outcome.replaceChildren(element('div', { class: 'result', role: 'status' }, element('h2', {}, done.message)));
      const list = element('ul', { class: 'installed' });
      for (const profile of done.installed) list.append(element('li', {}, `${profile.profileName || 'Profile'} from ${profile.serviceProviderName || 'your operator'} (ICCID ${profile.iccid})`));
      if (done.installed.length > 0) outcome.append(list, element('p', {}, element('a', { href: '/' }, 'Go to your profiles to enable it')));
      for (const failure of done.failures) outcome.append(errorBox(failure, 'One eSIM could not be installed'));
      outcome.append(notificationTable(done.notifications));
      finish();
    });
    source.addEventListener('failed', (event) => {
      source.close();
      outcome.replaceChildren(errorBox(JSON.parse(event.data).error, 'The eSIM was not installed'));
      finish();
    });
  };

  for (const form of forms) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = form.id === 'add-code' ? { activationCode: $('#activation-code').value } : { discover: 'true' };
      for (const button of document.querySelectorAll('#add-code button, #add-discovery button')) button.disabled = true;
      section.hidden = false;
      progress.replaceChildren();
      outcome.replaceChildren();
      const answer = await postJson('/api/downloads', body);
      if (answer.status !== 202) {
        outcome.replaceChildren(errorBox(answer.body.error ?? { plain: 'The download could not start.' }));
        finish();
        return;
      }
      follow(answer.body.id);
    });
  }

  const sendCode = async (code) => {
    confirmation.hidden = true;
    await postJson(`/api/downloads/${jobId}/confirmation-code`, { code });
  };
  confirmation.addEventListener('submit', (event) => {
    event.preventDefault();
    void sendCode($('#confirmation-code').value);
  });
  $('#confirmation-cancel').addEventListener('click', () => void sendCode(''));
}

// A picture of the eSIM QR code, decoded in the page with jsQR; the activation code goes into the text field.
function qrImages() {
  const input = $('#qr-image');
  if (input === null) return;
  const status = $('#qr-status');
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file === undefined) return;
    const image = new Image();
    const url = URL.createObjectURL(file);
    image.onload = () => {
      URL.revokeObjectURL(url);
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = window.jsQR(pixels.data, pixels.width, pixels.height);
      if (code === null) {
        status.textContent = 'No QR code found in this picture. Try a sharper one, or type the code.';
        return;
      }
      if (!code.data.startsWith('LPA:')) {
        status.textContent = 'This QR code is not an eSIM activation code.';
        return;
      }
      $('#activation-code').value = code.data;
      status.textContent = 'Activation code read from the picture. Check it, then download.';
    };
    image.onerror = () => {
      URL.revokeObjectURL(url);
      status.textContent = 'This file is not a picture the browser can read.';
    };
    image.src = url;
  });
}

async function activePlan() {
  const target = $('#active-plan');
  if (target === null) return;
  const response = await fetch('/api/plans/active', { credentials: 'same-origin' });
  // A fragment the LUI server rendered with every value escaped.
  target.innerHTML = await response.text();
}

function proofs() {
  const form = $('#prove');
  if (form === null) return;
  const status = $('#proof-status');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button');
    button.disabled = true;
    $('#proof-output').hidden = true;
    status.replaceChildren(element('p', {}, 'Making the proof on this device (this takes a few seconds)…'));
    const answer = await postJson('/api/prove', { scope: $('#scope').value, message: $('#message').value });
    button.disabled = false;
    if (answer.status !== 200) {
      status.replaceChildren(errorBox(answer.body.error, 'No proof was made'));
      return;
    }
    status.replaceChildren(element('p', {}, 'Proof made. Copy it and give it to the service that asked.'));
    $('#proof-json').value = JSON.stringify(answer.body.proof, null, 2);
    $('#proof-output').hidden = false;
    $('#proof-json').focus();
  });
  $('#copy-proof').addEventListener('click', async () => {
    const text = $('#proof-json').value;
    try {
      await navigator.clipboard.writeText(text);
      status.replaceChildren(element('p', {}, 'Proof copied.'));
    } catch {
      $('#proof-json').select();
      status.replaceChildren(element('p', {}, 'Press Ctrl+C (or ⌘C) to copy the selected proof.'));
    }
  });
}

document.addEventListener('DOMContentLoaded', () => {
  confirmations();
  downloads();
  qrImages();
  void activePlan();
  proofs();
});
