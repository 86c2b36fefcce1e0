// A child process (Anvil, Kamailio, nginx) must bind its port itself, so the port is chosen before it binds and
// another process may take it in between. Two rules make that safe: the child is ready only once the listening
// socket on its port is its own (a connection that succeeds may reach whoever took the port), and a start that
// lost its port to another process is tried again on a fresh one.
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { acceptsConnections, findFreePort } from './freePort.js';

/** The port was bound by another process before the child could bind it. */
export class PortTaken extends Error {
  constructor(
    readonly port: number,
    message: string,
  ) {
    super(message);
    this.name = 'PortTaken';
  }
}

/** TCP state LISTEN in /proc/net/tcp (include/net/tcp_states.h). */
const TCP_LISTEN = '0A';

/** Reads a /proc file of a process that may have exited meanwhile: undefined then. */
function readProc<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return undefined;
    throw error;
  }
}

/** `pid` and every process below it (Kamailio and nginx listen in processes they fork). */
function processTree(pid: number): Set<number> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(() => readFileSync(`/proc/${entry}/stat`, 'utf8'));
    // pid (comm) state ppid …; comm may hold spaces and parentheses, so the fields start after the last ')'.
    const parent = stat === undefined ? undefined : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree = new Set<number>();
  const pending = [pid];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    tree.add(next);
    pending.push(...(children.get(next) ?? []));
  }
  return tree;
}

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readProc(() => readdirSync(`/proc/${pid}/fd`)) ?? []) {
    const target = readProc(() => readlinkSync(`/proc/${pid}/fd/${fd}`));
    const match = target === undefined ? null : /^socket:\[(\d+)\]$/.exec(target);
    if (match?.[1] !== undefined) inodes.add(match[1]);
  }
  return inodes;
}

/**
 * Whether process `pid` or a process it forked holds a TCP socket listening on `port` (Linux: their descriptors
 * against /proc/net/tcp and tcp6). False once the process is gone.
 */
export function processListensOn(pid: number, port: number): boolean {
  const inodes = new Set([...processTree(pid)].flatMap((member) => [...socketInodes(member)]));
  if (inodes.size === 0) return false;
  const localPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return ['/proc/net/tcp', '/proc/net/tcp6'].some((table) =>
    readFileSync(table, 'utf8')
      .split('\n')
      .slice(1)
      .some((line) => {
        const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
        return local?.endsWith(localPort) === true && state === TCP_LISTEN && inode !== undefined && inodes.has(inode);
      }),
  );
}

export interface ChildPortWait {
  /** What the error messages call the child. */
  name: string;
  pid: number | undefined;
  /** The ports on 127.0.0.1 the child binds. */
  ports: readonly number[];
  /** Whether the child has exited. */
  exited(): boolean;
  /** The child's recent output, for the error messages. */
  output(): string;
  timeoutMs: number;
}

/**
 * Resolves once the child listens on each of its ports itself. Throws PortTaken when the child has exited (or
 * the time is up) while another process accepts connections on one of them, and an Error naming the child
 * otherwise.
 */
export async function waitForOwnPorts(wait: ChildPortWait): Promise<void> {
  const deadline = Date.now() + wait.timeoutMs;
  const { pid } = wait;
  // Without Linux's /proc (macOS, for the bundled node) a connection that succeeds is all there is to go by.
  const own = existsSync('/proc/net/tcp');
  const listens = async (port: number) => pid !== undefined && (own ? processListensOn(pid, port) : await acceptsConnections(port));
  const listening = async () => (await Promise.all(wait.ports.map(listens))).every(Boolean);
  while (!(await listening())) {
    if (pid === undefined || wait.exited() || Date.now() > deadline) {
      const why = wait.exited() ? 'exited' : pid === undefined ? 'did not start' : `did not listen within ${wait.timeoutMs} ms`;
      const message = `${wait.name} ${why} (127.0.0.1:${wait.ports.join(', ')}): ${wait.output().trim() || 'no output'}`;
      for (const port of wait.ports) {
        if (own && (await listens(port))) continue;
        if (await acceptsConnections(port)) throw new PortTaken(port, `another process holds port ${port}; ${message}`);
      }
      throw new Error(message);
    }
    await new Promise((wake) => setTimeout(wake, 50));
  }
}

/** How many fresh ports a start is tried on before its last PortTaken is thrown. */
export const PORT_ATTEMPTS = 5;

/**
 * Starts something that binds a port itself on a free port (`findFreePort`), and again on a fresh port when it
 * throws PortTaken, at most `attempts` times.
 */
export async function startOnFreePort<T>(start: (port: number) => Promise<T>, attempts = PORT_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start(await findFreePort());
    } catch (error) {
      if (!(error instanceof PortTaken) || attempt >= attempts) throw error;
    }
  }
}
