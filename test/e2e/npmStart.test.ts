// `npm start` with no configuration: it comes up, prints an activation code and the exact
// `npx zkesim lpa …` command, that command downloads the demo order, `npm run demo` runs its sequence
// against the running stack, and SIGINT (Ctrl-C) stops everything. Only the data directory and the ports
// are redirected (to a temp folder and free ports), so the test can run beside other tests.
// With ZKESIM_E2E_FRESH_CLONE=1 it first clones the repository and runs `npm ci` there (minutes; off in CI).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatActivationCode } from '@zkesim/lpa-core';
import { placeOrder, readStackFile } from '@zkesim/apps';
import { run, startBackground, type Background } from '@zkesim/testing/stack/processes';
import { storedProfileSecrets } from '@zkesim/testing/stack/storeSecrets';
import { portalRequest, signIn } from './portalClient.js';

const repository = fileURLToPath(new URL('../../', import.meta.url));
const freshClone = process.env.ZKESIM_E2E_FRESH_CLONE === '1';
let scratch = '';
let env: NodeJS.ProcessEnv = {};
let cwd = repository;
let stack: Background | undefined;
/** The profile the printed command downloaded, and its anchored installation result. */
let downloadedIccid = '';
let anchoredEventId = '';

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'zkesim-npm-start-'));
  env = { ...process.env, ZKESIM_DATA_DIR: join(scratch, 'data'), ZKESIM_ES9_PORT: '0', ZKESIM_ES2_PORT: '0', ZKESIM_EUICC_PORT: '0', ZKESIM_SMDS_PORT: '0', ZKESIM_SMDS_PEER_PORT: '0', ZKESIM_ADMIN_PORT: '0', ZKESIM_PLANS_PORT: '0', ZKESIM_PORTAL_PORT: '0', ZKESIM_OPERATOR_ES2_PORT: '0' };
  if (freshClone) {
    cwd = join(scratch, 'clone');
    execFileSync('git', ['clone', '--quiet', repository, cwd]);
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd, stdio: 'ignore' });
  }
  stack = startBackground('npm start', { cwd, env });
  await stack.waitFor('Press Ctrl-C to stop.', freshClone ? 600_000 : 120_000);
}, 900_000);

afterAll(async () => {
  await stack?.interrupt(20_000);
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

function printedCommand(output: string): string {
  const lines = output.split('\n');
  const index = lines.findIndex((line) => line.startsWith('Download it with:'));
  const command = lines[index + 1]?.trim();
  if (command === undefined || !command.startsWith('npx zkesim lpa ')) throw new Error(`no command printed:\n${output}`);
  return command;
}

describe('npm start', () => {
  it('prints an activation code and a command that downloads it', async () => {
    const output = stack?.output() ?? '';
    expect(output).toMatch(/LPA:1\$localhost:\d+\$[0-9A-Z-]+/);
    expect(output).toMatch(/chain\s+http:\/\/127\.0\.0\.1:\d+ \(bundled node\)\s+DownloadAnchor 0x[0-9a-fA-F]{40}/);
    expect(output).toMatch(/plans API\s+https:\/\/localhost:\d+/);
    // The demo subscriber the operator component onboarded, and the commands that show and use its identity.
    expect(output).toMatch(/Demo subscriber \(onboarded by the operator component, KYC reference kyc-[0-9a-f-]{36}\):/);
    expect(output).toMatch(/contract\s+0x[0-9a-fA-F]{40}\s+commitment \d+/);
    expect(output).toMatch(/order\s+LPA:1\$localhost:\d+\$[0-9A-Z-]+\s+\(its profile carries the subscriber identity\)/);
    expect(output).toMatch(/npx zkesim lpa --euicc tcp:127\.0\.0\.1:\d+ --ci \S+ identity show/);
    expect(output).toMatch(/npx zkesim lpa --euicc tcp:127\.0\.0\.1:\d+ --ci \S+ identity prove --scope 1 --message 1 --out proof\.json && npx zkesim chain verify-proof proof\.json/);
    const command = printedCommand(output);
    const result = await run(command, { cwd, env, timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(0);
    const line = JSON.parse(result.stdout.trim()) as { type: string; payload: { code: number; data: { iccid: string; notifications: { status: string }[] } } };
    expect(line.type).toBe('lpa');
    expect(line.payload.code).toBe(0);
    expect(line.payload.data.notifications.map((n) => n.status)).toEqual(['removed']);
    expect(result.stderr).toContain('[lpa] loadBoundProfilePackage');
    downloadedIccid = line.payload.data.iccid;
  });

  it('names the operator portal in its banner; the demo admin signs in with the password from the file it names', async () => {
    const output = stack?.output() ?? '';
    const portal = /Operator portal (https:\/\/localhost:\d+)\s+\(sign in as admin; password in (\S+)\)/.exec(output);
    expect(portal, output).not.toBeNull();
    expect(output).toMatch(/Operator ES2\+ https:\/\/127\.0\.0\.1:\d+\s+\(HandleDownloadProgressInfo from the SM-DP\+, mutual TLS\)/);
    const [, url = '', passwordFile = ''] = portal ?? [];
    expect(lstatSync(passwordFile).mode & 0o777).toBe(0o600);
    // The password itself is never printed.
    const password = readFileSync(passwordFile, 'utf8').trim();
    expect(output).not.toContain(password);
    const target = { url, ciPem: readStackFile(env.ZKESIM_DATA_DIR ?? '').ciPem };
    const { session } = await signIn(target, 'admin', password);
    expect(session).toBeDefined();
    // The demo subscriber's order is on the Orders page.
    const orders = await portalRequest(target, 'GET', '/orders', { cookie: session?.cookie ?? '' });
    expect(orders.text).toMatch(/<span class="state state-\w+">/);
  });

  it('answers a bad activation code with a JSON error and a non-zero exit', async () => {
    const command = printedCommand(stack?.output() ?? '').replace(/--activation-code '[^']*'/, "--activation-code 'LPA:2$localhost$X'");
    const result = await run(command, { cwd, env, timeoutMs: 120_000 });
    expect(result.code).toBe(1);
    const line = JSON.parse(result.stdout.trim()) as { payload: { code: number; message: string } };
    expect(line.payload.code).toBe(-1);
    expect(line.payload.message).toMatch(/AC_Format/);
  });

  it('asks for the confirmation code in a terminal, and fails clearly without one', async () => {
    const stackFile = readStackFile(env.ZKESIM_DATA_DIR ?? '');
    const order = await placeOrder(stackFile.es2, { profileType: 'TS48V1-A-UNIQUE', eid: stackFile.eid, confirmationCode: '4711' });
    const activationCode = formatActivationCode({ smdpAddress: stackFile.smdpAddress, matchingId: order.matchingId, confirmationCodeRequired: true });
    const command = printedCommand(stack?.output() ?? '').replace(/--activation-code '[^']*'/, () => `--activation-code '${activationCode}'`);
    const withoutTerminal = await run(command, { cwd, env, timeoutMs: 120_000 });
    expect(withoutTerminal.code).toBe(1);
    expect(withoutTerminal.stderr).toMatch(/requires a confirmation code: pass --confirmation-code/);
    // util-linux `script` gives the command a terminal; the code is typed into it.
    const inTerminal = await run(`printf '4711\\n' | script -qec "${command.replace(/["$\\]/g, (c) => `\\${c}`)}" /dev/null`, { cwd, env, timeoutMs: 120_000 });
    expect(inTerminal.stdout).toContain('Confirmation code:');
    expect(inTerminal.stdout).toContain(`"code":0`);
    expect(inTerminal.stdout).toContain(order.iccid);
  });

  it('runs `npm run demo` against the running stack', async () => {
    const result = await run('npm run demo', { cwd, env, timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('notificationInstall');
    expect(result.stdout).toContain('5. done: 0 notification(s) left on the eUICC, 0 event(s) for this order left on the SM-DS');
    expect(result.stdout).toMatch(/SM-DS localhost:\d+: event \S+ at localhost:\d+/);
  });

  it('manages profiles and notifications through the CLI', async () => {
    const lpa = printedCommand(stack?.output() ?? '').replace(/ profile download .*$/, '');
    const call = async (args: string) => {
      const result = await run(`${lpa} ${args}`, { cwd, env, timeoutMs: 120_000 });
      return { ...result, payload: (JSON.parse(result.stdout.trim()) as { payload: { code: number; message: string; data: unknown } }).payload };
    };
    const info = await call('chip info');
    expect(info.payload.data).toMatchObject({ eid: readStackFile(env.ZKESIM_DATA_DIR ?? '').eid, svn: '2.2.2' });
    const profiles = (await call('profile list')).payload.data as { iccid: string; profileState: string }[];
    const enabled = profiles.find((profile) => profile.profileState === 'enabled');
    expect(enabled).toBeDefined();
    expect((await call(`profile nickname ${enabled?.iccid ?? ''} work`)).payload.data).toEqual({ iccid: enabled?.iccid, profileNickname: 'work' });
    expect((await call(`profile disable ${enabled?.iccid ?? ''} --notify`)).payload.code).toBe(0);
    expect((await call('notification list')).payload.data).toEqual([]);
    const missing = await call('profile resume');
    expect(missing.code).toBe(1);
    expect(missing.payload.message).toMatch(/no stored bound profile package/);
    const bad = await call('profile enable 12345');
    expect(bad.code).toBe(1);
    expect(bad.payload.message).toMatch(/neither an ICCID/);
    // Seven CLI processes one after another: each starts Node and loads the LPA, so give it room on a busy machine.
  }, 90_000);

  it('anchors every installation result on the bundled chain and shows it on the order', async () => {
    const dataDir = env.ZKESIM_DATA_DIR ?? '';
    const chainStatus = `npx zkesim chain --data-dir ${join(dataDir, 'chain')} status`;
    let status = '';
    for (let attempt = 0; attempt < 30; attempt++) {
      status = (await run(chainStatus, { cwd, env, timeoutMs: 60_000 })).stdout;
      const anchored = /0 pending events, 0 unanchored batches, (\d+) anchored events/.exec(status);
      if (anchored !== null && Number(anchored[1]) >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    // The printed command's download, the one with a confirmation code, and the one of `npm run demo`.
    expect(status).toMatch(/0 pending events, 0 unanchored batches, [3-9] anchored events/);
    const smdpEnv = { ...env, SMDP_DATABASE_PATH: join(dataDir, 'smdp', 'smdp.db'), SMDP_ANCHOR_OUTBOX_DIRECTORY: join(dataDir, 'chain') };
    const order = await run(`npx zkesim smdp order ${downloadedIccid}`, { cwd, env: smdpEnv, timeoutMs: 60_000 });
    expect(order.code, order.stderr).toBe(0);
    const shown = JSON.parse(order.stdout) as { profileState: string; anchor?: { eventId: string; state: string } };
    expect(shown).toMatchObject({ profileState: 'installed', anchor: { state: 'anchored' } });
    anchoredEventId = shown.anchor?.eventId ?? '';
  });

  it("finds the stack's data under ZKESIM_DATA_DIR with no --data-dir and no SM-DP+ config file", async () => {
    // Only ZKESIM_DATA_DIR says where the data is: no SMDP_* or CHAIN_* variables, no --data-dir, no --config.
    const plainEnv = Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('SMDP_') && !key.startsWith('CHAIN_')));
    const status = await run('npx zkesim chain status', { cwd, env: plainEnv, timeoutMs: 60_000 });
    expect(status.code, status.stderr).toBe(0);
    expect(/DownloadAnchor\s+(0x[0-9a-fA-F]{40})/.exec(status.stdout)?.[1]).toBe(/DownloadAnchor (0x[0-9a-fA-F]{40})/.exec(stack?.output() ?? '')?.[1]);
    expect(status.stdout).toMatch(/0 pending events, 0 unanchored batches, [3-9] anchored events/);
    const order = await run(`npx zkesim smdp order ${downloadedIccid}`, { cwd, env: plainEnv, timeoutMs: 60_000 });
    expect(order.code, order.stderr).toBe(0);
    expect(JSON.parse(order.stdout)).toMatchObject({ iccid: downloadedIccid, profileState: 'installed', anchor: { eventId: anchoredEventId, state: 'anchored' } });
  });

  it('stops cleanly on Ctrl-C', async () => {
    const ended = await stack?.interrupt(20_000);
    // The stack closed its servers and stores itself (it prints "stopped." after that) before npm ended.
    expect(stack?.output()).toContain('SIGINT: stopping zkesim');
    expect(stack?.output()).toContain('stopped.');
    expect(ended?.signal === 'SIGKILL').toBe(false);
    // The bundled chain node went down with the stack.
    const rpcUrl = /chain\s+(http:\/\/\S+)/.exec(stack?.output() ?? '')?.[1] ?? '';
    await expect(fetch(rpcUrl, { method: 'POST', body: '{}' })).rejects.toThrow();
  });

  it('keeps every file it created to its owner, and no Ki, OPc or confirmation-code digest in clear in its database', async () => {
    const dataDir = env.ZKESIM_DATA_DIR ?? '';
    // Every folder 0700 and every file 0600 under the data directory (PKI, SM-DP+, eUICC, chain node).
    const exposed: string[] = [];
    const walk = (path: string): void => {
      const stat = lstatSync(path);
      const mode = stat.mode & 0o777;
      if (stat.isDirectory()) {
        if (mode !== 0o700) exposed.push(`${path} 0${mode.toString(8)}`);
        for (const entry of readdirSync(path)) walk(join(path, entry));
      } else if (stat.isFile() && mode !== 0o600) exposed.push(`${path} 0${mode.toString(8)}`);
    };
    walk(dataDir);
    expect(exposed).toEqual([]);
    // The database files as the stopped stack left them, read byte for byte.
    const files = readdirSync(join(dataDir, 'smdp')).filter((name) => name.startsWith('smdp.db'));
    const bytes = Buffer.concat(files.map((name) => readFileSync(join(dataDir, 'smdp', name))));
    expect(files).toContain('smdp.db');
    // A profile still in the inventory: its Ki and OPc (opened with the stack's key) are nowhere in clear.
    const available = await storedProfileSecrets(dataDir, { availableOfType: 'TS48V1-A-UNIQUE' });
    expect(available?.ki).toHaveLength(16);
    expect(bytes.includes(Buffer.from(available?.ki ?? []))).toBe(false);
    expect(bytes.includes(Buffer.from(available?.opc ?? []))).toBe(false);
    // The digest of the confirmation code of the order above (4711) is not there either.
    expect(bytes.includes(createHash('sha256').update('4711').digest())).toBe(false);
    // The downloaded profile is installed: the SM-DP+ no longer keeps its Ki and OPc at all.
    expect((await storedProfileSecrets(dataDir, { iccid: downloadedIccid }))?.ki).toEqual(new Uint8Array(0));
  });

  it('leaves the eUICC state behind for `--euicc sim:STATEFILE`, with the downloaded profiles', async () => {
    const stateFile = join(env.ZKESIM_DATA_DIR ?? '', 'euicc', 'euicc.db');
    const result = await run(`npx zkesim lpa --euicc sim:${stateFile} profile list`, { cwd, env, timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(0);
    const line = JSON.parse(result.stdout.trim()) as { payload: { data: { iccid: string; profileState: string }[] } };
    // The demo order, the one with a confirmation code, and the one from `npm run demo` (disabled again by the CLI test).
    expect(line.payload.data).toHaveLength(3);
    expect(line.payload.data.filter((profile) => profile.profileState === 'enabled')).toHaveLength(0);
  });

  it('keeps the contract addresses, the anchored roots and the demo subscriber when `npm start` is started again', async () => {
    const firstAnchor = /DownloadAnchor (0x[0-9a-fA-F]{40})/.exec(stack?.output() ?? '')?.[1];
    expect(firstAnchor).toBeDefined();
    // The same subscriber, contract, commitment and matching ID; the SM-DP+'s port (0: a free one) may differ.
    const subscriberLine = (output: string) => /Demo subscriber[^\n]*\n[^\n]*contract[^\n]*\n[^\n]*order[^\n]*/.exec(output)?.[0].replace(/localhost:\d+/, 'localhost:PORT');
    expect(subscriberLine(stack?.output() ?? '')).toBeDefined();
    const again = startBackground('npm start', { cwd, env });
    try {
      await again.waitFor('Press Ctrl-C to stop.', 120_000);
      expect(/DownloadAnchor (0x[0-9a-fA-F]{40})/.exec(again.output())?.[1]).toBe(firstAnchor);
      // The onboarding is idempotent on the operator's KYC reference: the same subscriber, contract and order.
      expect(subscriberLine(again.output())).toBe(subscriberLine(stack?.output() ?? ''));
      const verify = await run(`npx zkesim chain --data-dir ${join(env.ZKESIM_DATA_DIR ?? '', 'chain')} verify-event ${anchoredEventId}`, { cwd, env, timeoutMs: 60_000 });
      expect(verify.code, `${verify.stdout}${verify.stderr}`).toBe(0);
    } finally {
      await again.interrupt(20_000);
    }
  });
});
