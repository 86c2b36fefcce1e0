// The operator portal's web application (express): server-rendered pages, one stylesheet, one script, and an
// event stream. Every page needs a signed-in staff member; admin pages the admin role; every POST the
// session's CSRF token. Responses forbid caching and framing and allow only the portal's own script and style
// (Content-Security-Policy), so injected markup could neither run nor load anything. Express 5 hands a
// rejected promise of an async handler to the error handler below.
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Logger } from '@zkesim/rsp-server';
import type { OperatorComponent } from '../operatorComponent.js';
import { PORTAL_CSS, PORTAL_JS } from './assets.js';
import { SESSION_COOKIE, cookies, requireCsrf, requireRole, requireSession, signInRoutes } from './auth.js';
import { chainRoutes } from './chainPage.js';
import { erasureRoutes } from './erasurePage.js';
import { healthRoute, type ReceiverHealth } from './healthPage.js';
import { html } from '../../web/html.js';
import { page } from './layout.js';
import { onboardRoutes } from './onboardPage.js';
import type { OrderLog } from './orderLog.js';
import { ordersRoutes } from './ordersPage.js';
import type { SmdpReader } from './smdpReader.js';
import type { StaffStore } from './staffStore.js';

export interface PortalAppDeps {
  operator: OperatorComponent;
  staff: StaffStore;
  orders: OrderLog;
  reader: SmdpReader;
  receiver: ReceiverHealth;
  profileTypes: readonly string[];
  logger: Logger;
  now: () => number;
}

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export function createPortalApp(deps: PortalAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use((_request, response, next) => {
    response.set(SECURITY_HEADERS);
    next();
  });
  app.use(express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 }));
  app.get('/assets/portal.css', (_request, response) => {
    response.type('css').send(PORTAL_CSS);
  });
  app.get('/assets/portal.js', (_request, response) => {
    response.type('js').send(PORTAL_JS);
  });
  app.get('/favicon.ico', (_request, response) => {
    response.status(204).end();
  });
  const signIn = signInRoutes(deps.staff, deps.now);
  app.get('/sign-in', signIn.show);
  app.post('/sign-in', signIn.submit);
  // Everything below needs a session, and POSTs its CSRF token.
  app.use(requireSession(deps.staff), requireCsrf());
  app.post('/sign-out', signIn.signOut);
  app.get('/', (_request, response) => {
    response.redirect(303, '/onboard');
  });
  const onboard = onboardRoutes({ operator: deps.operator, orders: deps.orders, profileTypes: deps.profileTypes, now: deps.now });
  app.get('/onboard', onboard.show);
  app.post('/onboard', onboard.submit);
  // Admin only from here on.
  app.use(requireRole('admin'));
  const orders = ordersRoutes(deps.orders, deps.operator.kyc, (request) => deps.staff.session(cookies(request).get(SESSION_COOKIE)) !== undefined);
  app.get('/orders', orders.list);
  app.get('/orders/events', orders.events);
  app.get('/orders/:iccid', orders.detail);
  const chain = chainRoutes(deps.reader, deps.orders);
  app.get('/chain', chain.show);
  app.post('/chain/verify', chain.verify);
  app.get('/health', healthRoute(deps.reader, deps.receiver));
  const erasure = erasureRoutes(deps.operator, deps.orders);
  app.get('/erasure', erasure.show);
  app.post('/erasure', erasure.submit);
  app.use((_request, response) => {
    response.status(404).type('html').send(page({ title: 'Not found', session: response.locals.session, body: html`<p>There is no such page. <a href="/onboard">Go to Onboard</a></p>` }));
  });
  const failed: ErrorRequestHandler = (error: unknown, _request, response, _next) => {
    deps.logger.error({ err: error }, 'portal request failed');
    response.status(500).type('html').send(page({ title: 'Something went wrong', body: html`<p class="notice bad" role="alert">The request failed; the operator component's log has the details.</p>` }));
  };
  app.use(failed);
  return app;
}
