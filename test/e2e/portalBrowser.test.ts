// The operator portal in a real browser (Debian's chromium through playwright-core, headless) against the stack
// of `npm start` with its chain: an admin signs in, onboards a subscriber at the counter, reads the activation
// code from the page, downloads it with `zkesim lpa` into the stack's software eUICC, watches the order turn
// "installed" on the Orders page without a reload (the SM-DP+'s HandleDownloadProgressInfo reaches the
// operator's ES2+ receiver, the page hears it over Server-Sent Events), verifies the installation result's
// anchor on the On-chain page, checks the Health page, and erases the subscriber. Keyboard use: the sign-in is
// done with the keyboard only. Then a second subscriber onboarded with "Require a confirmation code" (reached with
// the keyboard): the page shows the generated code once, the activation code carries the flag, `zkesim lpa` with a
// wrong code is refused and with the code read from the page downloads it. With ZKESIM_SCREENSHOTS=1 it writes each page to docs/screenshots/.
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { run } from '@zkesim/testing/stack/processes';
import { useTestStack } from '@zkesim/testing/stack/testStack';
import { ensureOperatorServerTls } from '@zkesim/apps';
import { launchChromium } from './portalClient.js';

const t = useTestStack({ chain: true });
const zkesim = `node ${fileURLToPath(new URL('../../bin/zkesim.js', import.meta.url))}`;
const screenshots = process.env.ZKESIM_SCREENSHOTS === '1' ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url)) : undefined;
const ADMIN = { username: 'counter-admin', password: 'a long admin password' };
const CUSTOMER = { name: 'Ada Lovelace', documentNumber: 'GB-1815-1210', dateOfBirth: '1985-12-10', address: '12 St James’s Square, London' };
let browser: Browser;
let context: BrowserContext;
let page: Page;
let activationCode = '';
let iccid = '';
let kycReference = '';

async function shoot(name: string, target: Page = page): Promise<void> {
  if (screenshots === undefined) return;
  mkdirSync(screenshots, { recursive: true });
  await target.screenshot({ path: `${screenshots}${name}.png`, fullPage: true });
}

beforeAll(async () => {
  await t.stack.operator.staff.addStaff(ADMIN.username, 'admin', ADMIN.password);
  browser = await launchChromium(ensureOperatorServerTls(join(t.dataDir, 'operator'), t.stack.pki.nist.ci).certificate);
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
});

describe('operator portal in Chromium', { timeout: 180_000 }, () => {
  it('signs in with the keyboard only, landing on the Orders page', async () => {
    await page.goto(`${t.stack.operator.portalUrl}/onboard`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await shoot('sign-in');
    // The skip link comes first, then the form: Tab into each field, type, Enter submits.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.id')).toBe('username');
    await page.keyboard.type(ADMIN.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/orders');
    expect(await page.locator('nav[aria-label="Portal"] a[aria-current="page"]').textContent()).toBe('Orders');
  });

  it('onboards a subscriber and shows the activation code as text and as a QR code', async () => {
    await page.getByRole('link', { name: 'Onboard' }).click();
    await page.getByLabel('Full name').fill(CUSTOMER.name);
    await page.getByLabel('Identity document').selectOption('passport');
    await page.getByLabel('Document number').fill(CUSTOMER.documentNumber);
    await page.getByLabel('Date of birth').fill(CUSTOMER.dateOfBirth);
    await page.getByLabel('Profile type').selectOption('TS48V1-A-UNIQUE');
    await page.getByLabel('Postal address').fill(CUSTOMER.address);
    await shoot('onboard');
    // A wrong wallet checksum and a date in the future: refused, each field says why, focus on the summary.
    await page.getByLabel('Wallet address (optional)').fill('0x52908400098527886E0F7030069857d2e4169ee7');
    await page.getByLabel('Date of birth').fill('2999-01-01');
    await page.getByRole('button', { name: 'Onboard subscriber' }).click();
    await page.waitForSelector('#errors');
    expect(await page.evaluate('document.activeElement?.id')).toBe('errors');
    expect(await page.locator('#wallet-error').textContent()).toContain('bad EIP-55 checksum');
    expect(await page.locator('#dateOfBirth-error').textContent()).toBe('Date of birth must be in the past');
    expect(await page.getByLabel('Wallet address (optional)').getAttribute('aria-invalid')).toBe('true');
    expect(t.stack.operator.operator.kyc.findByDocument(`passport:${CUSTOMER.documentNumber}`)).toBeUndefined();
    await shoot('onboard-refused');
    await page.getByLabel('Wallet address (optional)').fill('');
    await page.getByLabel('Date of birth').fill(CUSTOMER.dateOfBirth);
    await page.getByRole('button', { name: 'Onboard subscriber' }).click();
    await page.waitForSelector('#activation-code');
    activationCode = (await page.locator('#activation-code').textContent()) ?? '';
    iccid = (await page.locator('#iccid').textContent()) ?? '';
    kycReference = (await page.locator('#kyc-reference').textContent()) ?? '';
    expect(activationCode).toMatch(new RegExp(`^LPA:1\\$${t.stack.smdpAddress.replace(/[.$]/g, '\\$&')}\\$[0-9A-Z-]+$`));
    expect(await page.locator('figure.qr svg').count()).toBe(1);
    expect(await page.locator('figure.qr').getAttribute('aria-label')).toContain(activationCode);
    await shoot('onboarded');
    // The KYC stays with the operator; only its reference went to our onboarding API.
    expect(t.stack.operator.operator.kyc.get(kycReference)).toMatchObject({ name: CUSTOMER.name, document: `passport:${CUSTOMER.documentNumber}`, dateOfBirth: CUSTOMER.dateOfBirth });
  });

  it('downloads it with `zkesim lpa` while the Orders page, never reloaded, turns the order "installed"', async () => {
    await page.getByRole('link', { name: 'Orders' }).click();
    const state = page.locator(`tr[data-iccid="${iccid}"] .state`);
    expect(await state.textContent()).toBe('released');
    // A marker that a reload or navigation would wipe.
    await page.evaluate('window.notReloaded = true');
    const command = `${zkesim} lpa --euicc tcp:127.0.0.1:${t.stack.euicc.port} --ci ${t.stack.ciPem} profile download --activation-code '${activationCode}'`;
    const downloaded = await run(command, { cwd: t.dataDir, env: { ...process.env, ZKESIM_DATA_DIR: t.dataDir }, timeoutMs: 120_000 });
    expect(downloaded.code, downloaded.stderr).toBe(0);
    // Polled from the test (the portal's Content-Security-Policy forbids the page-side polling's eval).
    await expect.poll(() => state.textContent(), { timeout: 60_000, interval: 250 }).toBe('installed');
    expect(await page.evaluate('window.notReloaded')).toBe(true);
    expect(await page.locator('#announce').textContent()).toContain(`Order ${iccid} is now installed`);
    await shoot('orders');
    // The order's timeline: the SM-DP+'s notification points as they arrived.
    await page.getByRole('link', { name: iccid }).click();
    await expect.poll(() => page.locator('ol.timeline li').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('order placed and released'), expect.stringContaining('Bound Profile Package download: Executed-Success'), expect.stringContaining('profile installation: Executed-Success')]),
    );
    await shoot('order-timeline');
  });

  it('onboards with "Require a confirmation code": the code shown once, only that code downloads', async () => {
    await page.getByRole('link', { name: 'Onboard' }).click();
    await page.getByLabel('Full name').fill('Grace Hopper');
    await page.getByLabel('Identity document').selectOption('national-id');
    await page.getByLabel('Document number').fill('US-1906-1209');
    await page.getByLabel('Date of birth').fill('1986-12-09');
    await page.getByLabel('Profile type').selectOption('TS48V1-A-UNIQUE');
    await page.getByLabel('Postal address').fill('1 Navy Yard, Arlington');
    // The option follows the wallet field in the tab order and is ticked with the space bar.
    await page.getByLabel('Wallet address (optional)').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.id')).toBe('requireConfirmationCode');
    await page.keyboard.press('Space');
    expect(await page.getByLabel('Require a confirmation code').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Onboard subscriber' }).click();
    await page.waitForSelector('#confirmation-code');
    const code = (await page.locator('#confirmation-code').textContent()) ?? '';
    const withCode = (await page.locator('#activation-code').textContent()) ?? '';
    const withCodeIccid = (await page.locator('#iccid').textContent()) ?? '';
    expect(code).toMatch(/^\d{8}$/);
    expect(await page.locator('#confirmation-code-once').textContent()).toMatch(/Shown once.*not stored/);
    // SGP.22 v2.2.2 §4.1: empty OID, Confirmation Code Required Flag "1"; the QR code carries the same string.
    expect(withCode).toMatch(/\$\$1$/);
    expect(await page.locator('figure.qr').getAttribute('aria-label')).toContain(withCode);
    await shoot('onboarded-confirmation-code');
    // The code is kept neither in the portal's nor the operator component's files.
    const operatorFiles = Buffer.concat(
      (readdirSync(join(t.dataDir, 'operator'), { recursive: true }) as string[]).map((name) => join(t.dataDir, 'operator', name)).filter((path) => statSync(path).isFile()).map((path) => readFileSync(path)),
    );
    expect(operatorFiles.includes(Buffer.from(code))).toBe(false);
    const download = (confirmationCode: string) =>
      run(`${zkesim} lpa --euicc tcp:127.0.0.1:${t.stack.euicc.port} --ci ${t.stack.ciPem} profile download --activation-code '${withCode}' --confirmation-code ${confirmationCode}`, {
        cwd: t.dataDir, env: { ...process.env, ZKESIM_DATA_DIR: t.dataDir }, timeoutMs: 120_000,
      });
    const wrong = await download(code === '00000000' ? '11111111' : '00000000');
    expect(wrong.code).not.toBe(0);
    // ES9+ GetBoundProfilePackage's refusal of a wrong code (SGP.22 v2.2.2 §5.6.2): 8.2.7 / 3.8.
    expect(wrong.stdout).toContain('"subjectCode":"8.2.7","reasonCode":"3.8"');
    const right = await download(code);
    expect(right.code, right.stderr).toBe(0);
    await expect.poll(() => t.stack.operator.orders.get(withCodeIccid)?.state, { timeout: 60_000, interval: 250 }).toBe('installed');
  });

  it("verifies the installation result's anchor: the Merkle proof against the root on chain", async () => {
    // The anchor worker batches and anchors within seconds; the page shows where it stands.
    let anchored = false;
    for (let attempt = 0; attempt < 60 && !anchored; attempt++) {
      await page.goto(`${t.stack.operator.portalUrl}/chain?iccid=${iccid}`);
      anchored = (await page.locator(`tr[data-iccid="${iccid}"] .state`).textContent()) === 'anchored';
      if (!anchored) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(anchored).toBe(true);
    await page.getByRole('button', { name: `Verify inclusion of ${iccid}` }).click();
    const verdict = page.locator('#verdict');
    await verdict.waitFor();
    expect(await verdict.locator('h2').textContent()).toBe(`Inclusion verified: order ${iccid}`);
    expect(await verdict.textContent()).toMatch(/Proof matches rootyes\s*Accepted on chainyes/);
    expect(await page.locator('table').nth(1).locator('tbody tr').count()).toBeGreaterThan(0);
    await shoot('chain');
  });

  it('shows the health of the SM-DP+, its outbox, the SM-DS, the chain node and the receiver', async () => {
    await page.getByRole('link', { name: 'Health' }).click();
    const rows = await page.locator('tbody tr').allTextContents();
    for (const name of ['SM-DP+', 'SM-DP+ outbox (ES2+ callbacks, ES12)', 'SM-DS', 'Chain node', 'Anchor outbox', 'Operator ES2+ receiver']) {
      expect(rows.find((row) => row.startsWith(name)), name).toMatch(/OK/);
    }
    expect(rows.find((row) => row.startsWith('Chain node'))).toMatch(/latest block \d+/);
    await shoot('health');
  });

  it('is usable at tablet width: no horizontal scrolling of the page', async () => {
    const tablet = await context.newPage();
    await tablet.setViewportSize({ width: 768, height: 1024 });
    for (const path of ['/onboard', '/orders', '/chain', '/health', '/erasure']) {
      await tablet.goto(`${t.stack.operator.portalUrl}${path}`);
      const overflow = await tablet.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect([path, overflow]).toEqual([path, 0]);
    }
    await tablet.goto(`${t.stack.operator.portalUrl}/orders`);
    await shoot('orders-tablet', tablet);
    await tablet.close();
  });

  it('erases the subscriber, showing what goes', async () => {
    await page.getByRole('link', { name: 'Erasure' }).click();
    await page.getByLabel('Subscriber').fill(`passport:${CUSTOMER.documentNumber}`);
    await page.getByRole('button', { name: 'Find' }).click();
    expect(await page.locator('dl.facts').textContent()).toContain(CUSTOMER.name);
    await shoot('erasure');
    await page.getByLabel('I confirm the subscriber asked for erasure').check();
    await page.getByRole('button', { name: 'Erase this subscriber' }).click();
    const result = page.locator('#erasure-result');
    await result.waitFor();
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('KYC recorddeleted');
    expect(text).toContain('Subscriber groupmembership revoked');
    expect(text).toMatch(/Portal orders1 order and \d+ progress events deleted/);
    await shoot('erased');
    expect(t.stack.operator.operator.kyc.get(kycReference)).toBeUndefined();
    expect(t.stack.operator.orders.get(iccid)).toBeUndefined();
  });
});
