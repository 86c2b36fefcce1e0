// Test side of the operator portal: HTTPS requests that trust only the stack's CI (as a browser given that
// root would), a signed-in session (the sign-in form's token, then the session cookie and the page's CSRF
// token), and the Chromium launch: Debian's chromium through playwright-core, told to accept exactly the
// portal's public key (SPKI pin), since its certificate chains to the development CI, not a public root.
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { chromium, type Browser } from 'playwright-core';

export interface Answer {
  status: number;
  location?: string;
  text: string;
  cookies: Map<string, string>;
  /** The Set-Cookie lines as sent, attributes included. */
  setCookie: string[];
  headers: Record<string, string | string[] | undefined>;
}

export interface PortalTarget {
  url: string;
  /** PEM path of the CI the portal's certificate chains to. */
  ciPem: string;
}

export function portalRequest(target: PortalTarget, method: 'GET' | 'POST', path: string, options: { cookie?: string; form?: Record<string, string> } = {}): Promise<Answer> {
  const body = options.form === undefined ? undefined : new URLSearchParams(options.form).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      `${target.url}${path}`,
      {
        method,
        ca: new X509Certificate(readFileSync(target.ciPem)).toString(),
        headers: {
          Accept: 'text/html',
          ...(options.cookie === undefined ? {} : { Cookie: options.cookie }),
          ...(body === undefined ? {} : { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const cookies = new Map<string, string>();
          for (const line of response.headers['set-cookie'] ?? []) {
            const [pair = ''] = line.split(';');
            const index = pair.indexOf('=');
            cookies.set(pair.slice(0, index), pair.slice(index + 1));
          }
          resolve({
            status: response.statusCode ?? 0,
            ...(response.headers.location === undefined ? {} : { location: response.headers.location }),
            text: Buffer.concat(chunks).toString('utf8'),
            cookies,
            setCookie: response.headers['set-cookie'] ?? [],
            headers: response.headers,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function hiddenToken(page: string): string {
  const token = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
  if (token === undefined) throw new Error('no CSRF token in the page');
  return token;
}

export interface SignedIn {
  cookie: string;
  csrf: string;
}

/** Signs in through the form; the answer of the sign-in POST, and the session when it succeeded. */
export async function signIn(target: PortalTarget, username: string, password: string): Promise<{ answer: Answer; session?: SignedIn }> {
  const form = await portalRequest(target, 'GET', '/sign-in');
  const signInCookie = `__Host-portal-sign-in=${form.cookies.get('__Host-portal-sign-in') ?? ''}`;
  const answer = await portalRequest(target, 'POST', '/sign-in', { cookie: signInCookie, form: { csrf: hiddenToken(form.text), username, password } });
  const id = answer.cookies.get('__Host-portal-session');
  if (answer.status !== 303 || id === undefined) return { answer };
  const cookie = `__Host-portal-session=${id}`;
  const page = await portalRequest(target, 'GET', '/onboard', { cookie });
  return { answer, session: { cookie, csrf: hiddenToken(page.text) } };
}

/** The base64 SHA-256 of a certificate's SubjectPublicKeyInfo, as Chromium's SPKI allow-list takes it. */
export function spkiHash(certificatePath: string): string {
  const spki = new X509Certificate(readFileSync(certificatePath)).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

export function launchChromium(portalCertificate: string): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
      `--ignore-certificate-errors-spki-list=${spkiHash(portalCertificate)}`,
    ],
  });
}
