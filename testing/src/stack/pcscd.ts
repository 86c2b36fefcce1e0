// Debian's pcscd with the vsmartcard vpcd reader driver, run by the test in the foreground and stopped by
// its PID (pcscd is a system singleton: a pcscd started by another test is waited for, not killed).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export const VPCD_PORT = 35963;
const PID_FILE = '/run/pcscd/pcscd.pid';

export function missingPcscParts(): string[] {
  const missing = ['/usr/sbin/pcscd', '/usr/lib/pcsc/drivers/serial/libifdvpcd.so'].filter((path) => !existsSync(path));
  const perl = spawnSync('perl', ['-MChipcard::PCSC', '-e', '1'], { stdio: 'ignore' });
  return perl.status === 0 ? missing : [...missing, 'libpcsc-perl (Chipcard::PCSC)'];
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
