// Debian's pcscd with the vsmartcard vpcd reader driver, run by a test in the foreground and stopped by its
// PID, and pcsc-tools' scriptor to drive a reader. pcscd is a system singleton: a pcscd that another test
// started is waited for, never killed, so each test owns the one it starts.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const VPCD_READER = 'Virtual PCD 00 00';
export const VPCD_PORT = 35963;
/** vpcd's second slot. */
export const VPCD_READER_2 = 'Virtual PCD 00 01';
export const VPCD_PORT_2 = 35964;
const PID_FILE = '/run/pcscd/pcscd.pid';

/** What a test uses on top of pcscd and the vpcd driver. */
export type PcscTool = 'scriptor' | 'libpcsc-perl';

/** The parts of the PC/SC stack (pcscd, the vpcd driver and `tools`) this machine lacks. */
export function missingPcscParts(tools: readonly PcscTool[] = []): string[] {
  const missing = ['/usr/sbin/pcscd', '/usr/lib/pcsc/drivers/serial/libifdvpcd.so'].filter((path) => !existsSync(path));
  if (tools.includes('scriptor') && !existsSync('/usr/bin/scriptor')) missing.push('/usr/bin/scriptor');
  if (tools.includes('libpcsc-perl') && spawnSync('perl', ['-MChipcard::PCSC', '-e', '1'], { stdio: 'ignore' }).status !== 0) missing.push('libpcsc-perl (Chipcard::PCSC)');
  return missing;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until no pcscd runs (another test's instance finishes first), then starts ours. */
export async function startOwnPcscd(waitMs = 120_000): Promise<ChildProcess> {
  const deadline = Date.now() + waitMs;
  while (existsSync(PID_FILE)) {
    const pid = Number(readFileSync(PID_FILE, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) break;
    if (Date.now() > deadline) throw new Error(`pcscd (PID ${pid}) is still running after ${waitMs} ms`);
    await delay(250);
  }
  return spawn('/usr/sbin/pcscd', ['-f'], { stdio: ['ignore', 'ignore', 'ignore'] });
}

export async function stopPcscd(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await Promise.race([exited, delay(5000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Runs a scriptor script (one APDU per line) against the vpcd reader and returns its output. */
export async function runScriptor(apdus: readonly string[], reader: string = VPCD_READER): Promise<string> {
  const child = run('/usr/bin/scriptor', ['-r', reader], { timeout: 20_000 });
  child.child.stdin?.end(apdus.map((apdu) => apdu.replace(/\s+/g, '')).join('\n') + '\n');
  const { stdout } = await child;
  return stdout;
}

/** The responses in scriptor's output, as compact upper-case hex (one string per command). */
export function scriptorResponses(output: string): string[] {
  const responses: string[] = [];
  let current: string[] | undefined;
  for (const line of output.split('\n')) {
    if (line.startsWith('< ')) {
      current = [];
      responses.push('');
      line.slice(2).split(':')[0]?.trim().split(/\s+/).forEach((byte) => current?.push(byte));
    } else if (current !== undefined && /^[0-9A-F]{2}( [0-9A-F]{2})*/.test(line)) {
      line.split(':')[0]?.trim().split(/\s+/).forEach((byte) => current?.push(byte));
    } else {
      current = undefined;
    }
    if (current !== undefined) responses[responses.length - 1] = current.join('');
  }
  return responses;
}
