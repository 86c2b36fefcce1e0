// `--euicc pcsc[:READER]`: a PC/SC reader through pcscd. No Node PC/SC binding installs here without a
// compiler toolchain and network (pcsclite / @pokusew/pcsclite build with node-gyp against libpcsclite-dev),
// so a small helper process does the PC/SC calls: pcsc-helper.pl on Debian's libpcsc-perl (the binding
// pcsc-tools' scriptor uses, already installed with it), speaking hex lines on stdin/stdout.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { HexLineTransport } from './hexLineTransport.js';
import { TransportError } from '../errors.js';
import type { CardSession } from './cardSession.js';

const helper = fileURLToPath(new URL('./pcsc-helper.pl', import.meta.url));

export async function openPcscTransport(reader: string | undefined): Promise<CardSession & { reader: string }> {
  const child = spawn('perl', [helper, ...(reader === undefined ? [] : [reader])], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (error) => reject(new TransportError(`pcsc: cannot start the PC/SC helper (perl): ${error.message}`)));
  });
  await spawned;
  const transport = new HexLineTransport(child.stdout, child.stdin, 'pcsc');
  const greeting = await transport.nextLine().catch((error: unknown) => {
    const detail = Buffer.concat(stderr).toString('utf8').trim();
    throw new TransportError(`pcsc: the helper stopped${detail === '' ? '' : `: ${detail}`} (${error instanceof Error ? error.message : String(error)})`);
  });
  if (!greeting.startsWith('ready ')) {
    child.kill();
    throw new TransportError(`pcsc: ${greeting.replace(/^error:\s*/, '')}`);
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    transport,
    reader: greeting.slice('ready '.length),
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
