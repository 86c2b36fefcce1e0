// The operator portal's access rules over real HTTPS (the stack of `npm start`, without the chain): nothing
// but the sign-in form is reachable without a session; a clerk gets 403 on every admin page and action; every
// POST needs the session's CSRF token; bad KYC input is refused with a message per field and nothing is
// stored; repeated wrong passwords lock the account with a clear message; and the cookie is Secure, HttpOnly,
// SameSite=Strict. The browser half (Chromium) is portalBrowser.test.ts.
import { X509Certificate } from 'node:crypto';
import { statSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_FAILURES, postAsOperator } from '@zkesim/apps';
import { es2plusFunctions, renderRequest } from '@zkesim/protocol';
import { ANCHOR_BATCHES_PATH, ORDER_STATUS_PATH } from '@zkesim/sm-dp-plus';
import { useTestStack } from '@zkesim/testing/stack/testStack';
import { post, refusedAtHandshake } from '@zkesim/testing/smdp/https';
import { sgp26 } from '@zkesim/testing/smdp/testPki';
import { portalRequest, signIn, type PortalTarget, type SignedIn } from './portalClient.js';

const t = useTestStack();
const target = (): PortalTarget => ({ url: t.stack.operator.portalUrl, ciPem: t.stack.ciPem });
const ADMIN = { username: 'sec-admin', password: 'correct horse battery staple' };
const CLERK = { username: 'sec-clerk', password: 'clerk password 1234' };
const ADMIN_PAGES = ['/orders', '/orders/89000000000000000001', '/orders/events', '/chain', '/health', '/erasure'];
const ADMIN_POSTS = ['/chain/verify', '/erasure'];
let admin: SignedIn;
let clerk: SignedIn;

beforeAll(async () => {
  await t.stack.operator.staff.addStaff(ADMIN.username, 'admin', ADMIN.password);
  await t.stack.operator.staff.addStaff(CLERK.username, 'clerk', CLERK.password);
  admin = (await signIn(target(), ADMIN.username, ADMIN.password)).session as SignedIn;
  clerk = (await signIn(target(), CLERK.username, CLERK.password)).session as SignedIn;
});

const validKyc = { name: 'Grace Hopper', documentType: 'passport', documentNumber: 'US1906-1209', dateOfBirth: '1906-12-09', address: '1 Navy Yard, Arlington', wallet: '', profileType: 'TS48V1-A-UNIQUE' };

describe('operator portal access', { timeout: 60_000 }, () => {
  it('serves nothing without a session: pages redirect to the sign-in, the event stream and POSTs get 401', async () => {
    for (const path of ['/', '/onboard', ...ADMIN_PAGES.filter((p) => p !== '/orders/events')]) {
      const answer = await portalRequest(target(), 'GET', path);
      expect([path, answer.status, answer.location]).toEqual([path, 303, '/sign-in']);
    }
    expect((await portalRequest(target(), 'GET', '/orders/events')).status).toBe(401);
    for (const path of ['/onboard', '/sign-out', ...ADMIN_POSTS]) expect([path, (await portalRequest(target(), 'POST', path, { form: { csrf: 'x' } })).status]).toEqual([path, 401]);
    // A forged or expired session cookie is no session either.
    expect((await portalRequest(target(), 'GET', '/orders', { cookie: '__Host-portal-session=forged' })).location).toBe('/sign-in');
  });

  it('sets the session cookie Secure, HttpOnly, SameSite=Strict, and the pages a strict Content-Security-Policy', async () => {
    const { answer } = await signIn(target(), ADMIN.username, ADMIN.password);
    expect(answer.status).toBe(303);
    const page = await portalRequest(target(), 'GET', '/onboard', { cookie: admin.cookie });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<label for="documentNumber">');
    const session = answer.setCookie.find((line) => line.startsWith('__Host-portal-session='));
    for (const attribute of ['Path=/', 'HttpOnly', 'Secure', 'SameSite=Strict']) expect(session).toContain(attribute);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('gives a clerk the Onboard page and 403 on every admin page and action', async () => {
    expect((await portalRequest(target(), 'GET', '/onboard', { cookie: clerk.cookie })).status).toBe(200);
    for (const path of ADMIN_PAGES) {
      const answer = await portalRequest(target(), 'GET', path, { cookie: clerk.cookie });
      expect([path, answer.status]).toEqual([path, 403]);
      expect(answer.text).toContain('This page is for administrators');
    }
    for (const path of ADMIN_POSTS) expect([path, (await portalRequest(target(), 'POST', path, { cookie: clerk.cookie, form: { csrf: clerk.csrf, reference: 'kyc-x', confirm: 'yes' } })).status]).toEqual([path, 403]);
    // The clerk's navigation offers only Onboard.
    const page = (await portalRequest(target(), 'GET', '/onboard', { cookie: clerk.cookie })).text;
    expect(page).not.toContain('href="/orders"');
    // The admin reaches them.
    for (const path of ['/orders', '/erasure']) expect((await portalRequest(target(), 'GET', path, { cookie: admin.cookie })).status).toBe(200);
  });

  it('refuses a POST without the CSRF token, with a wrong one, or with another session’s, and stores nothing', async () => {
    const before = t.stack.operator.operator.kyc.findByDocument('passport:US1906-1209');
    expect(before).toBeUndefined();
    for (const csrf of [undefined, 'wrong-token', clerk.csrf]) {
      const form = { ...validKyc, ...(csrf === undefined ? {} : { csrf }) };
      const answer = await portalRequest(target(), 'POST', '/onboard', { cookie: admin.cookie, form });
      expect(answer.status).toBe(403);
      expect(answer.text).toContain('security token is missing or wrong');
    }
    expect((await portalRequest(target(), 'POST', '/sign-out', { cookie: admin.cookie, form: {} })).status).toBe(403);
    expect(t.stack.operator.operator.kyc.findByDocument('passport:US1906-1209')).toBeUndefined();
  });

  it('refuses bad KYC input with a message per field, stores nothing and calls no API', async () => {
    const bad = { ...validKyc, csrf: admin.csrf, name: 'X', documentType: 'library-card', documentNumber: 'ab', dateOfBirth: '2999-01-01', address: '', wallet: '0x52908400098527886E0F7030069857d2e4169ee7', profileType: 'NOPE' };
    const answer = await portalRequest(target(), 'POST', '/onboard', { cookie: admin.cookie, form: bad });
    expect(answer.status).toBe(400);
    for (const message of [
      'Enter the full name as on the document', 'Choose the type of identity document', 'Document number must be 4 to 20 letters, digits or dashes',
      'Date of birth must be in the past', 'Enter the postal address', 'Wallet address: bad EIP-55 checksum', 'Choose a profile type',
    ]) expect(answer.text).toContain(message);
    expect(answer.text).toContain('aria-invalid="true"');
    // What was typed comes back (escaped), so the clerk fixes only the wrong fields.
    expect(answer.text).toContain('value="0x52908400098527886E0F7030069857d2e4169ee7"');
    const impossible = await portalRequest(target(), 'POST', '/onboard', { cookie: admin.cookie, form: { ...validKyc, csrf: admin.csrf, dateOfBirth: '1990-02-30' } });
    expect(impossible.text).toContain('Date of birth must be a real date');
    const script = await portalRequest(target(), 'POST', '/onboard', { cookie: admin.cookie, form: { ...validKyc, csrf: admin.csrf, name: '<script>alert(1)</script>', documentNumber: '' } });
    expect(script.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(script.text).not.toContain('<script>alert(1)');
    for (const document of ['library-card:AB', 'passport:US1906-1209']) expect(t.stack.operator.operator.kyc.findByDocument(document)).toBeUndefined();
    expect(t.stack.operator.orders.list('', 0, 100).orders.filter((order) => order.kycReference !== undefined)).toEqual([]);
  });

  it(`locks an account after ${MAX_FAILURES} wrong passwords, with a message, even for the right password then`, async () => {
    await t.stack.operator.staff.addStaff('sec-locked', 'clerk', 'the right password 1');
    for (let attempt = 0; attempt < MAX_FAILURES; attempt++) {
      const { answer } = await signIn(target(), 'sec-locked', `wrong password ${attempt}`);
      expect(answer.status).toBe(401);
      expect(answer.text).toContain('Wrong username or password.');
    }
    const locked = await signIn(target(), 'sec-locked', 'the right password 1');
    expect(locked.answer.status).toBe(429);
    expect(locked.answer.text).toMatch(/This account is locked after repeated failed sign-ins; try again in 1[45] minutes/);
    expect(locked.session).toBeUndefined();
    // Another account is not locked by it.
    expect((await signIn(target(), CLERK.username, CLERK.password)).session).toBeDefined();
  });

  it("streams order changes to a signed-in admin and ends the stream once the session ends", async () => {
    const own = (await signIn(target(), ADMIN.username, ADMIN.password)).session as SignedIn;
    const stream = portalRequest(target(), 'GET', '/orders/events', { cookie: own.cookie });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const placed = (iccid: string) => t.stack.operator.orders.placed({ iccid, matchingId: `M-${iccid}`, kycReference: `kyc-stream-${iccid}`, profileType: 'TS48V1-A-UNIQUE', activationCode: 'LPA:1$x$y' });
    placed('8900000000000000777');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await portalRequest(target(), 'POST', '/sign-out', { cookie: own.cookie, form: { csrf: own.csrf } })).status).toBe(303);
    placed('8900000000000000778');
    const answer = await stream;
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/event-stream');
    expect(answer.text).toContain('"iccid":"8900000000000000777"');
    expect(answer.text).not.toContain('8900000000000000778');
    // No KYC in the stream: only the order's own fields.
    expect(answer.text).not.toContain('kyc-stream');
    t.stack.operator.orders.eraseSubscriber('kyc-stream-8900000000000000777');
    t.stack.operator.orders.eraseSubscriber('kyc-stream-8900000000000000778');
  });

  it('keeps the portal database to its owner (0600)', () => {
    expect(statSync(join(t.dataDir, 'operator', 'portal.db')).mode & 0o777).toBe(0o600);
  });
});

describe("the operator's ES2+ receiver and the SM-DP+'s read-only operator API", { timeout: 60_000 }, () => {
  const receiverBase = () => t.stack.operator.receiver.callbackUrl.replace(/\/gsma\/.*$/, '');
  const as = (entity: 'dptls' | 'operator-client') => ({ cert: t.stack.pki.nist[entity].certificatePath, key: t.stack.pki.nist[entity].keyPath });
  const progress = (callId: string, iccid: string, failed = false) =>
    JSON.stringify(
      renderRequest(es2plusFunctions.handleDownloadProgressInfo, {
        header: { functionRequesterIdentifier: 'zkesim-smdp', functionCallIdentifier: callId },
        iccid, profileType: 'TS48V1-A-UNIQUE', timestamp: new Date().toISOString(), notificationPointId: 3,
        notificationPointStatus: failed ? { status: 'Failed', statusCodeData: { subjectCode: '8.2.1', reasonCode: '3.8' } } : { status: 'Executed-Success' },
      }),
    );

  it("accepts HandleDownloadProgressInfo (SGP.22 §5.3.5) only with the SM-DP+'s certificate, and stores each call once", async () => {
    const iccid = '89049032000000000099';
    const smdp = { url: receiverBase(), servername: 'localhost', ca: t.stack.es2.ca, ...as('dptls') };
    const path = es2plusFunctions.handleDownloadProgressInfo.path;
    for (let delivery = 0; delivery < 2; delivery++) {
      const answer = await postAsOperator(smdp, path, progress('tx-1.3', iccid));
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toEqual({ header: { functionExecutionStatus: { status: 'Executed-Success' } } });
    }
    expect(t.stack.operator.orders.events(iccid)).toHaveLength(1);
    expect(t.stack.operator.orders.get(iccid)?.state).toBe('downloaded');
    // The operator's own client certificate is not the SM-DP+'s: refused before the function runs.
    const other = await postAsOperator({ ...smdp, ...as('operator-client') }, path, progress('tx-2.3', iccid));
    expect(other.status).toBe(403);
    expect(t.stack.operator.orders.events(iccid)).toHaveLength(1);
    // After a failure the state is the SM-DP+'s, read through its operator API: the stack's demo order is still
    // released there, whatever a (here made-up) success said before.
    const demo = t.stack.order.iccid;
    await postAsOperator(smdp, path, progress('tx-3.3', demo));
    expect(t.stack.operator.orders.get(demo)?.state).toBe('downloaded');
    await postAsOperator(smdp, path, progress('tx-4.3', demo, true));
    await expect.poll(() => t.stack.operator.orders.get(demo)?.state).toBe('released');
    // A malformed body gets the SGP.22 error header, not a crash.
    const malformed = await postAsOperator(smdp, path, JSON.stringify({ header: { functionRequesterIdentifier: 'x', functionCallIdentifier: 'y' } }));
    expect(JSON.parse(malformed.text)).toMatchObject({ header: { functionExecutionStatus: { status: 'Failed' } } });
  });

  it('refuses the TLS handshake (SGP.22 §2.6.6, mutual TLS) of a caller without a certificate or with one of another CI, on the receiver and on the SM-DP+ ES2+ port', async () => {
    // The SGP.26 test SM-DP+'s DPtls: a real RSP TLS client certificate, under a CI this stack does not trust.
    const foreign = join(t.dataDir, 'sgp26-dptls.cert.pem');
    writeFileSync(foreign, new X509Certificate(readFileSync(sgp26('DPtls/CERT_S_SM_DP_VARO_TLS_NIST.der'))).toString());
    const callers = [{}, { cert: foreign, key: sgp26('DPtls/SK_S_SM_DP_TLS_NIST.pem') }];
    const ports = [
      { url: t.stack.operator.receiver.callbackUrl, body: progress('tx-none.3', '89049032000000000098') },
      { url: `${t.stack.es2.url}${ORDER_STATUS_PATH}`, body: JSON.stringify({ iccid: t.stack.order.iccid }) },
    ];
    for (const { url, body } of ports) {
      for (const caller of callers) {
        expect(await refusedAtHandshake(post(url, body, { ca: t.stack.es2.ca, servername: 'localhost', ...caller }))).toMatch(/^(ERR_SSL_|EPROTO|ECONNRESET)/);
      }
    }
    expect(t.stack.operator.orders.events('89049032000000000098')).toHaveLength(0);
  });

  it("answers the operator about its own orders only, and refuses malformed requests naming the field", async () => {
    const api = { url: t.stack.es2.url, servername: t.stack.es2.servername, ca: t.stack.es2.ca, cert: t.stack.es2.cert, key: t.stack.es2.key };
    const read = async (path: string, body: object) => {
      const answer = await postAsOperator(api, path, JSON.stringify(body));
      return { status: answer.status, body: JSON.parse(answer.text) as Record<string, unknown> };
    };
    expect(await read(ORDER_STATUS_PATH, { iccid: t.stack.order.iccid })).toMatchObject({ status: 200, body: { status: { iccid: t.stack.order.iccid, profileState: 'released' } } });
    expect(await read(ORDER_STATUS_PATH, { iccid: '12' })).toMatchObject({ status: 400, body: { error: { field: 'iccid' } } });
    // An ICCID without an order of this operator: 404, as another operator's order would answer.
    expect(await read(ORDER_STATUS_PATH, { iccid: '89000000000000000001' })).toMatchObject({ status: 404, body: { error: { field: 'iccid' } } });
    expect(await read(ANCHOR_BATCHES_PATH, {})).toEqual({ status: 200, body: { batches: [] } });
    expect(await read(ANCHOR_BATCHES_PATH, { limit: 0 })).toMatchObject({ status: 400, body: { error: { field: 'limit' } } });
    // Not an operator (the SM-DP+'s own TLS certificate): refused.
    expect((await postAsOperator({ ...api, ...as('dptls') }, ORDER_STATUS_PATH, JSON.stringify({ iccid: t.stack.order.iccid }))).status).toBe(403);
  });
});
