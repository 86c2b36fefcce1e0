// Runs Debian's pcscd with the vsmartcard vpcd driver for a test, and drives the reader with pcsc-tools'
// scriptor. pcscd is a system singleton: a pcscd already running is stopped first (the task requires the
// test to own its pcscd), and the one started here is stopped by its PID afterwards.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const VPCD_READER = 'Virtual PCD 00 00';
export const VPCD_PORT = 35963;
/** vpcd's second slot, used by the CLI-process test. */
export const VPCD_READER_2 = 'Virtual PCD 00 01';
export const VPCD_PORT_2 = 35964;
const PID_FILE = '/run/pcscd/pcscd.pid';

export function missingPcscBinaries(): string[] {
  return ['/usr/sbin/pcscd', '/usr/bin/scriptor', '/usr/lib/pcsc/drivers/serial/libifdvpcd.so'].filter((path) => !existsSync(path));
}

export async function stopRunningPcscd(): Promise<void> {
  if (!existsSync(PID_FILE)) return;
  const pid = Number(readFileSync(PID_FILE, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 50 && isAlive(pid); i++) await delay(100);
}

export function startPcscd(): ChildProcess {
  return spawn('/usr/sbin/pcscd', ['-f'], { stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function stopPcscd(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await Promise.race([exited, delay(5000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
