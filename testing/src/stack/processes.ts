// Child processes for the command-line tests: run a command to completion, or start a long-running one and
// wait for a line in its output. Process groups are used so that a SIGINT reaches npm and its children, as
// Ctrl-C in a terminal does.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(command: string, options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out: ${command}\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface Background {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves when the output contains `text`; rejects on exit or timeout. */
  waitFor(text: string, timeoutMs: number): Promise<void>;
  /** SIGINT to the whole process group; resolves with how the process ended. */
  interrupt(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startBackground(command: string, options: { cwd: string; env: NodeJS.ProcessEnv }): Background {
  const child = spawn('sh', ['-c', `exec ${command}`], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let text = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    output: () => text,
    waitFor: (wanted, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (text.includes(wanted)) {
            cleanup();
            resolve();
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`"${wanted}" did not appear within ${timeoutMs} ms; output so far:\n${text}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then(({ code, signal }) => {
          if (!text.includes(wanted)) {
            cleanup();
            reject(new Error(`exited with ${code ?? signal} before "${wanted}"; output:\n${text}`));
          }
        });
        check();
      }),
    interrupt: async (timeoutMs) => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return exited;
      process.kill(-child.pid, 'SIGINT');
      const timer = setTimeout(() => {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      }, timeoutMs);
      const ended = await exited;
      clearTimeout(timer);
      return ended;
    },
  };
}
