// `zkesim lpa ui`: the LUI, the subscriber's app, as a local web server built on the LPA library. It listens on
// 127.0.0.1 only, admits only requests carrying the per-launch token (access.ts), and serves server-rendered pages
// with a little client code (static/lui.js; the QR decoder jsQR's browser bundle, from node_modules), progress
// over Server-Sent Events. Every card operation goes through CardAccess, one at a time.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BodyTooLarge, readBody } from '@zkesim/rsp-server';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { Lpa } from '@zkesim/lpa-core';
import type { LpaSettings } from '../cli/lpaSettings.js';
import { decideAccess, newLaunchToken } from './access.js';
import { CardAccess } from './luiLpa.js';
import { DownloadJobs, type DownloadEvent } from './downloads.js';
import { layout, type Html } from './html.js';
import { addPage, profilesPage, type OperationResult } from './profilePages.js';
import { activePlanFragment, plansPage, servicesPage } from './servicePages.js';
import { proveMembership, readActivity } from './blockchainServices.js';
import { fetchActivePlan, fetchOffers } from './plansClient.js';
import { errorView, notificationView } from './views.js';

export interface LuiOptions {
  readonly settings: LpaSettings;
  /** 0 picks a free port. */
  readonly port: number;
  /** The operator's plans API (https://…), if known. */
  readonly plansUrl?: string;
  readonly env: Record<string, string | undefined>;
  readonly cwd: string;
  /** Fixed token (tests); default a new random one. */
  readonly token?: string;
}

export interface RunningLui {
  /** The address to open, with the launch token. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024;
const KEPT_RESULTS = 20;

const STATIC: Record<string, { file: URL | string; type: string }> = {
  '/static/lui.js': { file: new URL('./static/lui.js', import.meta.url), type: 'text/javascript; charset=utf-8' },
  '/static/lui.css': { file: new URL('./static/lui.css', import.meta.url), type: 'text/css; charset=utf-8' },
  // The QR decoder's own browser build (UMD, defines window.jsQR), served from the installed package: no CDN.
  '/static/jsQR.js': { file: createRequire(import.meta.url).resolve('jsqr'), type: 'text/javascript; charset=utf-8' },
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  // Not no-referrer: under it Chromium sends `Origin: null` with a form POST, which the origin check refuses.
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

class BadRequest extends Error {}

/** A form (application/x-www-form-urlencoded) or JSON body as string fields. */
async function fields(request: IncomingMessage): Promise<Record<string, string>> {
  let text: string;
  try {
    text = Buffer.from(await readBody(request, MAX_BODY_BYTES)).toString('utf8');
  } catch (error) {
    if (error instanceof BodyTooLarge) throw new BadRequest('request too large');
    throw error;
  }
  if ((request.headers['content-type'] ?? '').startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text === '' ? '{}' : text);
    } catch {
      throw new BadRequest('the body is not JSON');
    }
    if (parsed === null || typeof parsed !== 'object') throw new BadRequest('the body is not a JSON object');
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  }
  return Object.fromEntries(new URLSearchParams(text));
}

export async function startLui(options: LuiOptions): Promise<RunningLui> {
  const token = options.token ?? newLaunchToken();
  const card = new CardAccess(options.settings);
  const jobs = new DownloadJobs(card);
  const results = new Map<string, OperationResult>();
  const ca = options.settings.https.trustedCertificates;
  const statics = Object.fromEntries(Object.entries(STATIC).map(([path, entry]) => [path, { body: readFileSync(entry.file), type: entry.type }]));
  let port = 0;

  const send = (response: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) => {
    response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, ...extra });
    response.end(body);
  };
  const page = (response: ServerResponse, title: string, path: string, body: Html) => send(response, 200, 'text/html; charset=utf-8', layout(title, path, body));
  const json = (response: ServerResponse, status: number, body: unknown) => send(response, status, 'application/json', JSON.stringify(body));

  async function profileOperation(action: string, iccid: string): Promise<OperationResult> {
    const operate = (lpa: Lpa) => (action === 'enable' ? lpa.enableProfile(iccid) : action === 'disable' ? lpa.disableProfile(iccid) : lpa.deleteProfile(iccid));
    try {
      // The operation, then every pending notification to the SM-DP+ that each names (SGP.22 §3.5, ES9+ HandleNotification).
      const notifications = await card.run(async (lpa) => {
        await operate(lpa);
        return lpa.processNotifications();
      });
      const words = action === 'enable' ? 'enabled' : action === 'disable' ? 'disabled' : 'deleted';
      return { message: `Profile ${iccid} ${words}.`, notifications: notifications.map(notificationView) };
    } catch (error) {
      return { message: '', notifications: [], error: errorView(error) };
    }
  }

  function followDownload(request: IncomingMessage, response: ServerResponse, id: string): void {
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
    const write = (event: DownloadEvent) => {
      response.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      if (event.type === 'done' || event.type === 'failed') response.end();
    };
    const stop = jobs.follow(id, write);
    if (stop === undefined) {
      response.end(`event: failed\ndata: ${JSON.stringify({ type: 'failed', error: { plain: 'This download is not known (the LUI was restarted?).', detail: id } })}\n\n`);
      return;
    }
    request.on('close', stop);
  }

  async function route(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const method = request.method ?? 'GET';
    const path = url.pathname;
    const asset = statics[path];
    if (method === 'GET' && asset !== undefined) return send(response, 200, asset.type, asset.body);
    if (method === 'GET' && path === '/') {
      const result = results.get(url.searchParams.get('result') ?? '');
      const profiles = await card.run((lpa) => lpa.listProfiles()).catch(errorView);
      return page(response, 'Profiles', '/', profilesPage(profiles, result));
    }
    const operation = /^\/profiles\/(enable|disable|delete)$/.exec(path);
    if (method === 'POST' && operation !== null) {
      const iccid = (await fields(request)).iccid ?? '';
      const id = randomUUID();
      results.set(id, await profileOperation(operation[1] ?? '', iccid));
      for (const old of [...results.keys()].slice(0, Math.max(0, results.size - KEPT_RESULTS))) results.delete(old);
      return send(response, 303, 'text/plain', '', { Location: `/?result=${id}` });
    }
    if (method === 'GET' && path === '/add') return page(response, 'Add eSIM', '/add', addPage());
    if (method === 'POST' && path === '/api/downloads') {
      const body = await fields(request);
      const id = body.activationCode !== undefined ? jobs.start({ kind: 'activationCode', activationCode: body.activationCode }) : jobs.start({ kind: 'discovery' });
      return json(response, 202, { id });
    }
    const download = /^\/api\/downloads\/([0-9a-f-]{36})\/(events|confirmation-code)$/.exec(path);
    if (download !== null && method === 'GET' && download[2] === 'events') return followDownload(request, response, download[1] ?? '');
    if (download !== null && method === 'POST' && download[2] === 'confirmation-code') {
      const given = jobs.confirmationCode(download[1] ?? '', (await fields(request)).code);
      return json(response, given ? 200 : 409, given ? {} : { error: 'the download is not waiting for a confirmation code' });
    }
    if (method === 'GET' && path === '/plans') {
      const enabled = await card.run((lpa) => lpa.listProfiles()).then((profiles) => profiles.find((profile) => profile.profileState === 'enabled'), () => undefined);
      const offers = enabled === undefined || options.plansUrl === undefined ? undefined : await fetchOffers(options.plansUrl, ca).catch(errorView);
      return page(response, 'Plans', '/plans', plansPage(enabled, offers));
    }
    if (method === 'GET' && path === '/api/plans/active') {
      const plansUrl = options.plansUrl;
      const active =
        plansUrl === undefined
          ? errorView(new Error('no plans API configured'))
          : await card.run((lpa) => lpa.readSubscriberIdentityWithSecret()).then((identity) => fetchActivePlan(plansUrl, ca, identity, options.env, options.cwd)).catch(errorView);
      return send(response, 200, 'text/html; charset=utf-8', activePlanFragment(active).text);
    }
    if (method === 'GET' && path === '/services') {
      const identity = await card.run((lpa) => lpa.readSubscriberIdentity()).catch(errorView);
      const activity = 'commitment' in identity ? await readActivity(card, options.env, options.cwd).catch(errorView) : undefined;
      return page(response, 'Blockchain services', '/services', servicesPage(identity, activity));
    }
    if (method === 'POST' && path === '/api/prove') {
      const body = await fields(request);
      const proof = await proveMembership(card, { scope: body.scope ?? '', message: body.message ?? '1' }, options.env, options.cwd).then(
        (made) => ({ proof: made }),
        (error: unknown) => ({ error: errorView(error) }),
      );
      return json(response, 'proof' in proof ? 200 : 400, proof);
    }
    send(response, 404, 'text/plain; charset=utf-8', 'not found');
  }

  const server: Server = createServer((request, response) => {
    const decision = decideAccess(
      { method: request.method ?? 'GET', url: request.url ?? '/', host: request.headers.host, origin: request.headers.origin, cookie: request.headers.cookie },
      token, port,
    );
    if (decision.kind === 'refused') return send(response, decision.status, 'text/plain; charset=utf-8', `${decision.reason}\n`);
    if (decision.kind === 'setCookie') return send(response, 303, 'text/plain', '', { Location: decision.location, 'Set-Cookie': decision.cookie });
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    route(request, response, url).catch((error: unknown) => {
      if (response.headersSent) return response.end();
      if (error instanceof BadRequest) return send(response, 400, 'text/plain; charset=utf-8', `${error.message}\n`);
      send(response, 500, 'text/plain; charset=utf-8', `${errorView(error).plain}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
