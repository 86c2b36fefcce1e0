// Drives Debian's sipp (sip-tester) with our scenarios (../sipp/*.xml) over TCP: the values of each request go in
// an injection file (-inf), the messages sent and received in a trace file (-trace_msg) that is parsed for the
// answers. sipp is the SIP user agent; nothing here speaks SIP itself.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PortTaken } from '@zkesim/contracts';

export const SIPP_BINARY = '/usr/bin/sipp';

export type SippScenario = 'register' | 'call' | 'answer';

export interface SippRun {
  scenario: SippScenario;
  /** The injection file's one row (fields 0..n); no field may hold ';' or a line break. */
  fields: readonly string[];
  localPort: number;
  /** host:port of the registrar-proxy; absent for the answering side. */
  remote?: string;
  /**
   * The Call-ID of the request sent (its proof binds it): given to sipp as -cid_str, since sipp matches answers to
   * its call by the Call-ID it generated.
   */
  callId?: string;
  timeoutSeconds?: number;
  binary?: string;
}

export interface SipMessage {
  direction: 'sent' | 'received';
  /** When sipp sent or received it (ms since the Unix epoch, from the trace's separator line; NaN if absent). */
  at: number;
  /** Start line: `SIP/2.0 200 OK` or `INVITE sip:… SIP/2.0`. */
  startLine: string;
  text: string;
}

export interface SippResult {
  exitCode: number | null;
  messages: SipMessage[];
  /** The final answers received (status ≥ 200), in order. */
  finals: { status: number; reason: string }[];
  stderr: string;
}

/** The Contact URI of a user agent on 127.0.0.1:`port` over TCP, as the scenarios send it. */
export function tcpContact(user: string, port: number): string {
  return `sip:${user}@127.0.0.1:${port};transport=tcp`;
}

/** The injection field for a `tcpContact` URI: the scenarios add ";transport=tcp" themselves. */
export function contactField(contact: string): string {
  if (!contact.endsWith(';transport=tcp')) throw new RangeError(`contact ${contact}: not a tcpContact URI`);
  return contact.slice(0, -';transport=tcp'.length);
}

export function sippInstalled(binary = SIPP_BINARY): boolean {
  return existsSync(binary);
}

function scenarioPath(scenario: SippScenario): string {
  return fileURLToPath(new URL(`../sipp/${scenario}.xml`, import.meta.url));
}

/** sipp's trace time stamp `2026-01-10 12:00:00.123456` (local time) in ms since the Unix epoch. */
function traceTime(stamp: string): number {
  const match = /(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})/.exec(stamp);
  if (match === null) return NaN;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  return new Date(year, month - 1, day, hour, minute, second).getTime() + Number(`0${match[7] ?? ''}`) * 1000;
}

/** The trace's messages: blocks after a dashed separator line with a time stamp, `TCP message sent (n bytes):` or `… received [n] bytes :`. */
export function parseSippTrace(trace: string): SipMessage[] {
  const messages: SipMessage[] = [];
  const parts = trace.split(/^-{10,} *(.*)$/m);
  // split with a capture group: [before, stamp1, block1, stamp2, block2, …]
  for (let index = 1; index + 1 < parts.length; index += 2) {
    const block = parts[index + 1] ?? '';
    const head = /^\s*\S+ message (sent|received) (?:\[\d+\] bytes :|\(\d+ bytes\):)\s*\n\n?/m.exec(block);
    if (head === null) continue;
    const text = block.slice(head.index + head[0].length).replace(/^\s*\n/, '').replace(/\r/g, '');
    const startLine = text.split('\n', 1)[0]?.trim() ?? '';
    messages.push({ direction: head[1] === 'sent' ? 'sent' : 'received', at: traceTime(parts[index] ?? ''), startLine, text });
  }
  return messages;
}

/** One header's value in a traced message (first occurrence, case-insensitive name). */
export function headerOf(message: SipMessage, name: string): string | undefined {
  const [head] = message.text.split('\n\n', 1);
  const line = head?.split('\n').find((candidate) => candidate.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

/** A traced message's body. */
export function bodyOf(message: SipMessage): string {
  const index = message.text.indexOf('\n\n');
  return index < 0 ? '' : message.text.slice(index + 2);
}

export interface RunningSipp {
  readonly done: Promise<SippResult>;
  kill(): void;
}

/**
 * sipp's words when it cannot bind its SIP socket on -p because another socket holds the port (errno 98 is
 * Linux's EADDRINUSE). sipp binds before it sends anything, so nothing went out.
 */
const PORT_IN_USE = /Unable to bind main socket, errno = 98\b/;

/**
 * Starts sipp; `done` resolves when it exits (its own timeout bounds it), and rejects with PortTaken when
 * another process held `localPort`, so a caller that chose the port can choose again (contracts' startOnFreePort).
 */
export function startSipp(run: SippRun): RunningSipp {
  for (const value of run.fields) if (/[;\r\n]/.test(value)) throw new RangeError(`sipp field "${value.slice(0, 40)}": contains ; or a line break`);
  const dir = mkdtempSync(join(tmpdir(), 'zkesim-sipp-'));
  const inf = join(dir, 'fields.csv');
  const trace = join(dir, 'messages.log');
  writeFileSync(inf, `SEQUENTIAL\n${run.fields.join(';')};\n`, { mode: 0o600 });
  const timeout = `${run.timeoutSeconds ?? 20}s`;
  const args = ['-sf', scenarioPath(run.scenario), '-inf', inf, '-t', 't1', '-i', '127.0.0.1', '-p', String(run.localPort), '-m', '1', '-timeout', timeout, '-timeout_error', '-nostdin', '-trace_msg', '-message_file', trace];
  if (run.callId !== undefined) {
    if (!/^[\x21-\x7e]+$/.test(run.callId) || run.callId.includes('%')) throw new RangeError(`Call-ID "${run.callId}": not a word without %`);
    args.push('-cid_str', run.callId);
  }
  if (run.remote !== undefined) args.push(run.remote);
  const child = spawn(run.binary ?? SIPP_BINARY, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-8_000)));
  const done = new Promise<SippResult>((resolve, reject) => {
    child.once('error', reject);
    // 'close', not 'exit': stderr is read to its end only then.
    child.once('close', (code) => {
      const messages = existsSync(trace) ? parseSippTrace(readFileSync(trace, 'utf8')) : [];
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0 && PORT_IN_USE.test(stderr)) {
        reject(new PortTaken(run.localPort, `sipp: another process holds 127.0.0.1:${run.localPort}, the port of its SIP contact`));
        return;
      }
      const finals = messages
        .filter((message) => message.direction === 'received' && message.startLine.startsWith('SIP/2.0 '))
        .map((message) => /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(message.startLine))
        .filter((match): match is RegExpExecArray => match !== null && Number(match[1]) >= 200)
        .map((match) => ({ status: Number(match[1]), reason: match[2] ?? '' }));
      resolve({ exitCode: code, messages, finals, stderr });
    });
  });
  return { done, kill: () => void child.kill('SIGTERM') };
}

export function runSipp(run: SippRun): Promise<SippResult> {
  return startSipp(run).done;
}
