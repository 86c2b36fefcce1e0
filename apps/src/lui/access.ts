// Who may drive the LUI: only the browser of the user who launched it. The LUI listens on the loopback only and
// every request must carry the per-launch token (32 random bytes, base64url): in the URL printed at launch for the
// first load, then in an HttpOnly SameSite=Strict cookie the first load sets. Other local users cannot guess it;
// they could otherwise drive the card. Two browser attacks are refused as well: DNS rebinding (a page of another
// origin whose host name resolves to 127.0.0.1 sends the Host it was loaded from, which is not ours) and
// cross-site requests (a POST whose Origin is not the LUI's own; SameSite=Strict already keeps the cookie off them).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_COOKIE = 'zkesim_lui';
export const TOKEN_PARAMETER = 'token';

export function newLaunchToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison; hashing first makes the compared lengths equal whatever was sent. */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given)) && given.length === expected.length;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

export interface AccessRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  readonly host: string | undefined;
  readonly origin: string | undefined;
  readonly cookie: string | undefined;
}

export type AccessDecision =
  | { readonly kind: 'allowed' }
  /** The first load with the token in the URL: set the cookie and send the browser to the same URL without it. */
  | { readonly kind: 'setCookie'; readonly location: string; readonly cookie: string }
  | { readonly kind: 'refused'; readonly status: 403 | 421; readonly reason: string };

/** The LUI's own origins: the loopback address it listens on, and `localhost` for the same port. */
export function ownHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function decideAccess(request: AccessRequest, token: string, port: number): AccessDecision {
  const hosts = ownHosts(port);
  if (request.host === undefined || !hosts.includes(request.host.toLowerCase())) {
    return { kind: 'refused', status: 421, reason: 'this address is not the LUI\'s (Host header)' };
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    if (request.origin === undefined || !hosts.map((host) => `http://${host}`).includes(request.origin.toLowerCase())) {
      return { kind: 'refused', status: 403, reason: 'cross-origin request refused' };
    }
  }
  const url = new URL(request.url, `http://${request.host}`);
  const fromUrl = url.searchParams.get(TOKEN_PARAMETER) ?? undefined;
  if (fromUrl !== undefined && request.method === 'GET') {
    if (!tokenMatches(token, fromUrl)) return { kind: 'refused', status: 403, reason: 'wrong launch token' };
    url.searchParams.delete(TOKEN_PARAMETER);
    return {
      kind: 'setCookie',
      location: `${url.pathname}${url.search}`,
      cookie: `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
    };
  }
  if (!tokenMatches(token, cookieValue(request.cookie, TOKEN_COOKIE))) {
    return { kind: 'refused', status: 403, reason: 'open the LUI with the address printed when it started (it carries the launch token)' };
  }
  return { kind: 'allowed' };
}
