// Parses `--euicc tcp:HOST:PORT | stdio:COMMAND | pcsc[:READER]` and opens that card. An application may add
// schemes of its own (the `zkesim` command adds `sim:STATEFILE`, the software eUICC in process), so this
// library does not depend on any card implementation.
import { InvalidInput } from '../errors.js';
import type { CardSession } from './cardSession.js';
import { openPcscTransport } from './pcscTransport.js';
import { openStdioTransport } from './stdioTransport.js';
import { openTcpTransport } from './tcpTransport.js';

export type { CardSession };

/** A transport scheme an application adds, e.g. `sim` for `sim:STATEFILE`. */
export interface ExtraTransport {
  /** How the locator is written, for error messages: `sim:STATEFILE`. */
  readonly usage: string;
  open(target: string): CardSession | Promise<CardSession>;
}

export type ExtraTransports = Readonly<Record<string, ExtraTransport>>;

export type EuiccLocator =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'stdio'; command: string }
  | { kind: 'pcsc'; reader?: string }
  | { kind: 'extra'; scheme: string; target: string };

const BUILT_IN_USAGE = ['tcp:HOST:PORT', 'stdio:COMMAND', 'pcsc[:READER]'];

/** All accepted locator forms, for help texts and error messages. */
export function euiccLocatorUsage(extra: ExtraTransports = {}): string[] {
  return [...Object.values(extra).map((transport) => transport.usage), ...BUILT_IN_USAGE];
}

export function parseEuiccLocator(text: string, extra: ExtraTransports = {}): EuiccLocator {
  for (const scheme of Object.keys(extra)) {
    const prefix = `${scheme}:`;
    if (text.startsWith(prefix) && text.length > prefix.length) return { kind: 'extra', scheme, target: text.slice(prefix.length) };
  }
  const tcp = /^tcp:(.+):(\d{1,5})$/.exec(text);
  if (tcp !== null) {
    const port = Number(tcp[2]);
    if (port < 1 || port > 65535) throw new InvalidInput('euicc', `port ${port} out of range`);
    return { kind: 'tcp', host: tcp[1] ?? '', port };
  }
  if (text.startsWith('stdio:') && text.trim().length > 6) return { kind: 'stdio', command: text.slice(6) };
  if (text === 'pcsc') return { kind: 'pcsc' };
  if (text.startsWith('pcsc:')) return { kind: 'pcsc', reader: text.slice(5) };
  const forms = euiccLocatorUsage(extra);
  throw new InvalidInput('euicc', `"${text}" is not ${forms.slice(0, -1).join(', ')} or ${forms.at(-1) ?? ''}`);
}

export async function openCard(locator: EuiccLocator, extra: ExtraTransports = {}): Promise<CardSession> {
  switch (locator.kind) {
    case 'extra': {
      const transport = extra[locator.scheme];
      if (transport === undefined) throw new InvalidInput('euicc', `no transport for "${locator.scheme}:"`);
      return transport.open(locator.target);
    }
    case 'tcp':
      return openTcpTransport(locator.host, locator.port);
    case 'stdio':
      return openStdioTransport(locator.command);
    case 'pcsc':
      return openPcscTransport(locator.reader);
  }
}
