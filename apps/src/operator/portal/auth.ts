// Sign-in, sessions and request checks of the operator portal (OWASP Session Management and CSRF Prevention
// cheat sheets): the session id travels only in a __Host- cookie (Secure, HttpOnly, SameSite=Strict, Path=/);
// every POST carries the session's CSRF token (synchroniser token) in a form field, compared in constant time;
// the sign-in form, which has no session yet, carries a double-submit token instead; pages need a session and
// admin pages the admin role (403 otherwise).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { sourceKey } from '@zkesim/rsp-server';
import { html } from '../../web/html.js';
import { page } from './layout.js';
import { LOCK_MS, type Session, type StaffRole, type StaffStore } from './staffStore.js';

export const SESSION_COOKIE = '__Host-portal-session';
export const SIGN_IN_COOKIE = '__Host-portal-sign-in';
const COOKIE_OPTIONS = { httpOnly: true, secure: true, sameSite: 'strict', path: '/' } as const;

export function cookies(request: Request): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0) found.set(part.slice(0, index).trim(), decodeURIComponent(part.slice(index + 1).trim()));
  }
  return found;
}

export function sameToken(a: unknown, b: string): boolean {
  if (typeof a !== 'string') return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function sessionOf(response: Response): Session {
  return response.locals.session as Session;
}

function signInPage(request: Request, response: Response, status: number, message?: string, username = ''): void {
  // One token per browser while the form is open: a second tab or a stray request for the form (a favicon
  // redirected here) must not invalidate the form already shown.
  const existing = cookies(request).get(SIGN_IN_COOKIE);
  const token = existing !== undefined && /^[A-Za-z0-9_-]{32}$/.test(existing) ? existing : randomBytes(24).toString('base64url');
  response.cookie(SIGN_IN_COOKIE, token, { ...COOKIE_OPTIONS, maxAge: 30 * 60_000 });
  response.status(status).type('html').send(
    page({
      title: 'Sign in',
      body: html`${message === undefined ? html`` : html`<div class="notice bad" role="alert" id="sign-in-error">${message}</div>`}
<form method="post" action="/sign-in" class="stack">
<input type="hidden" name="csrf" value="${token}">
<div class="wide"><label for="username">Username</label><input id="username" name="username" autocomplete="username" required value="${username}"></div>
<div class="wide"><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></div>
<div class="wide"><button type="submit">Sign in</button></div>
</form>`,
    }),
  );
}

function minutes(until: number | undefined, now: number): number {
  return Math.max(1, Math.ceil(((until ?? now + LOCK_MS) - now) / 60_000));
}

export function signInRoutes(staff: StaffStore, now: () => number): { show: RequestHandler; submit: RequestHandler; signOut: RequestHandler } {
  return {
    show: (request, response) => signInPage(request, response, 200),
    submit: async (request, response) => {
      const body = request.body as Record<string, unknown>;
      const expected = cookies(request).get(SIGN_IN_COOKIE);
      if (expected === undefined || !sameToken(body.csrf, expected)) {
        signInPage(request, response, 403, 'The sign-in form expired or was not sent from this portal; please try again.');
        return;
      }
      const username = typeof body.username === 'string' ? body.username.trim().toLowerCase() : '';
      const password = typeof body.password === 'string' ? body.password : '';
      const result = await staff.signIn(username, password, sourceKey(request.socket.remoteAddress));
      if (!result.ok) {
        const message =
          result.reason === 'invalid'
            ? 'Wrong username or password.'
            : result.reason === 'account-locked'
              ? `This account is locked after repeated failed sign-ins; try again in ${minutes(result.lockedUntil, now())} minutes or ask an administrator.`
              : `Too many failed sign-ins from this address; try again in ${minutes(result.lockedUntil, now())} minutes.`;
        signInPage(request, response, result.reason === 'invalid' ? 401 : 429, message, username);
        return;
      }
      response.clearCookie(SIGN_IN_COOKIE, COOKIE_OPTIONS);
      response.cookie(SESSION_COOKIE, result.sessionId, COOKIE_OPTIONS);
      response.redirect(303, result.session.role === 'admin' ? '/orders' : '/onboard');
    },
    signOut: (request, response) => {
      const id = cookies(request).get(SESSION_COOKIE);
      if (id !== undefined) staff.signOut(id);
      response.clearCookie(SESSION_COOKIE, COOKIE_OPTIONS);
      response.redirect(303, '/sign-in');
    },
  };
}

/** Every route after it needs a live session: a page redirects to the sign-in, anything else gets 401. */
export function requireSession(staff: StaffStore): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const session = staff.session(cookies(request).get(SESSION_COOKIE));
    if (session === undefined) {
      if (request.method === 'GET' && request.accepts('html') !== false && !request.path.endsWith('/events')) response.redirect(303, '/sign-in');
      else response.status(401).type('text').send('sign in first\n');
      return;
    }
    response.locals.session = session;
    next();
  };
}

/** POSTs carry the session's CSRF token in the `csrf` field. */
export function requireCsrf(): RequestHandler {
  return (request, response, next) => {
    if (request.method !== 'POST') {
      next();
      return;
    }
    if (!sameToken((request.body as Record<string, unknown> | undefined)?.csrf, sessionOf(response).csrfToken)) {
      response.status(403).type('html').send(page({ title: 'Request refused', session: sessionOf(response), body: html`<p class="notice bad" role="alert">The form's security token is missing or wrong. Reload the page and send it again.</p>` }));
      return;
    }
    next();
  };
}

export function requireRole(role: StaffRole): RequestHandler {
  return (_request, response, next) => {
    if (sessionOf(response).role !== role) {
      response.status(403).type('html').send(page({ title: 'Not allowed', session: sessionOf(response), body: html`<p class="notice bad" role="alert">This page is for administrators. Your role (${sessionOf(response).role}) may onboard subscribers only.</p><p><a href="/onboard">Go to Onboard</a></p>` }));
      return;
    }
    next();
  };
}
