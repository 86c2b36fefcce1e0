// The page frame of the operator portal: skip link, navigation by role, main landmark, a live region for
// announcements (WCAG 2.1: 2.4.1 bypass blocks, 4.1.3 status messages), one stylesheet and one script.
import { html, type Html } from '../../web/html.js';
import type { Session } from './staffStore.js';

export interface NavItem {
  href: string;
  label: string;
  adminOnly: boolean;
}

export const NAV: readonly NavItem[] = [
  { href: '/onboard', label: 'Onboard', adminOnly: false },
  { href: '/orders', label: 'Orders', adminOnly: true },
  { href: '/chain', label: 'On-chain', adminOnly: true },
  { href: '/health', label: 'Health', adminOnly: true },
  { href: '/erasure', label: 'Erasure', adminOnly: true },
];

export function page(options: { title: string; session?: Session; current?: string; body: Html }): string {
  const session = options.session;
  const nav = session === undefined
    ? html``
    : html`<nav aria-label="Portal"><ul>${NAV.filter((item) => !item.adminOnly || session.role === 'admin').map(
        (item) => html`<li><a href="${item.href}"${item.href === options.current ? html` aria-current="page"` : html``}>${item.label}</a></li>`,
      )}</ul>
      <form method="post" action="/sign-out" class="sign-out"><input type="hidden" name="csrf" value="${session.csrfToken}">
      <span class="who">${session.username} (${session.role})</span> <button type="submit">Sign out</button></form></nav>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · zkesim operator portal</title>
<link rel="stylesheet" href="/assets/portal.css">
<script src="/assets/portal.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><p class="brand">zkesim · operator portal</p>${nav}</header>
<main id="main" tabindex="-1">
<h1>${options.title}</h1>
${options.body}
</main>
<div id="announce" class="visually-hidden" role="status" aria-live="polite"></div>
</body>
</html>
`.text;
}

/** A list of field errors at the top of a form, each linking to its field (WCAG 3.3.1 error identification). */
export function errorSummary(errors: ReadonlyMap<string, string>): Html {
  if (errors.size === 0) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1" id="errors"><h2>Please correct ${errors.size === 1 ? 'this field' : `these ${errors.size} fields`}</h2>
<ul>${[...errors].map(([field, message]) => html`<li><a href="#${field}">${message}</a></li>`)}</ul></div>`;
}
