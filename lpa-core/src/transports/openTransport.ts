// Parses `--euicc sim:STATEFILE | tcp:HOST:PORT | stdio:COMMAND | pcsc[:READER]` and opens that card.
import { InvalidInput } from '../errors.js';
import type { ApduTransport } from '../es10-client/es10Channel.js';
import { openPcscTransport } from './pcscTransport.js';
import { openSimTransport } from './simTransport.js';
import { openStdioTransport } from './stdioTransport.js';
import { openTcpTransport } from './tcpTransport.js';

export interface CardSession {
  readonly transport: ApduTransport;
  close(): Promise<void>;
}

export type EuiccLocator =
  | { kind: 'sim'; stateFile: string }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'stdio'; command: string }
  | { kind: 'pcsc'; reader?: string };

export function parseEuiccLocator(text: string): EuiccLocator {
  if (text.startsWith('sim:') && text.length > 4) return { kind: 'sim', stateFile: text.slice(4) };
  const tcp = /^tcp:(.+):(\d{1,5})$/.exec(text);
  if (tcp !== null) {
    const port = Number(tcp[2]);
    if (port < 1 || port > 65535) throw new InvalidInput('euicc', `port ${port} out of range`);
    return { kind: 'tcp', host: tcp[1] ?? '', port };
  }
  if (text.startsWith('stdio:') && text.trim().length > 6) return { kind: 'stdio', command: text.slice(6) };
  if (text === 'pcsc') return { kind: 'pcsc' };
  if (text.startsWith('pcsc:')) return { kind: 'pcsc', reader: text.slice(5) };
  throw new InvalidInput('euicc', `"${text}" is not sim:STATEFILE, tcp:HOST:PORT, stdio:COMMAND or pcsc[:READER]`);
}

export async function openCard(locator: EuiccLocator): Promise<CardSession> {
  switch (locator.kind) {
    case 'sim':
      return openSimTransport(locator.stateFile);
    case 'tcp':
      return openTcpTransport(locator.host, locator.port);
    case 'stdio':
      return openStdioTransport(locator.command);
    case 'pcsc':
      return openPcscTransport(locator.reader);
  }
}
