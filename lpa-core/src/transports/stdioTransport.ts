// `--euicc 'stdio:COMMAND'`: a card behind a child process that speaks hex APDU lines on its stdin/stdout,
// such as the emulator's `zkesim euicc serve --stdio --state FILE` (or any scripting bridge to a reader).
// The command runs through the shell, like LPAC_APDU helpers; the card is closed with the child's stdin.
import { spawn } from 'node:child_process';
import { TransportError } from '../errors.js';
import { HexLineTransport } from './hexLineTransport.js';
import type { CardSession } from './cardSession.js';

export async function openStdioTransport(command: string): Promise<CardSession> {
  const child = spawn(command, { shell: true, stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (error) => reject(new TransportError(`stdio: cannot start "${command}": ${error.message}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const transport = new HexLineTransport(child.stdout, child.stdin, 'stdio');
  return {
    transport: {
      transmit: (apdu) =>
        transport.transmit(apdu).catch((error: unknown) => {
          const detail = Buffer.concat(stderr).toString('utf8').trim().split('\n').at(-1) ?? '';
          throw new TransportError(`${error instanceof Error ? error.message : String(error)}${detail === '' ? '' : ` (${detail})`}`);
        }),
    },
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
