// The LUI's HTML: one layout (skip link, navigation, main landmark, live region); escaping is web/html.ts's. Pages are
// rendered on the server; lui.js adds the confirmation dialogs, the QR decoding and the live progress.
import { html, type Html } from '../web/html.js';
import type { ErrorView } from './views.js';

export { Html, escapeHtml, html } from '../web/html.js';

export const PAGES = [
  { path: '/', name: 'Profiles' },
  { path: '/add', name: 'Add eSIM' },
  { path: '/plans', name: 'Plans' },
  { path: '/services', name: 'Blockchain services' },
] as const;

export function layout(title: string, currentPath: string, body: Html): string {
  const nav = PAGES.map((page) =>
    page.path === currentPath ? html`<li><a href="${page.path}" aria-current="page">${page.name}</a></li>` : html`<li><a href="${page.path}">${page.name}</a></li>`,
  );
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · zkesim</title>
<link rel="stylesheet" href="/static/lui.css">
${currentPath === '/add' ? html`<script src="/static/jsQR.js" defer></script>` : undefined}
<script src="/static/lui.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><p class="brand">zkesim <span>eSIM</span></p><nav aria-label="Sections"><ul>${nav}</ul></nav></header>
<main id="main" tabindex="-1"><h1>${title}</h1>
${body}
</main>
</body>
</html>`.text}`;
}

/** A failure in plain words, with the SGP.22 codes and the technical message folded below. */
export function errorBox(error: ErrorView, heading = 'That did not work'): Html {
  const codes = error.subjectCode === undefined ? undefined : html`<p class="codes">SGP.22 subject code ${error.subjectCode}, reason code ${error.reasonCode ?? ''}</p>`;
  return html`<div class="error" role="alert"><h2>${heading}</h2><p>${error.plain}</p>${codes}<details><summary>Technical details</summary><p>${error.detail}</p></details></div>`;
}
