// A line-based APDU server for scripting: one hex C-APDU per line in, one hex R-APDU per line out. Works on
// any pair of streams (stdio, a TCP socket). Lines "reset" (card reset) and blank lines / "#" comments are
// accepted; anything else that is not hex gets an "error: ..." line.
import { createInterface } from 'node:readline';
import { createServer, type Server } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { CardConnection } from '../apdu/transport.js';

export async function serveHexLines(input: Readable, output: Writable, card: CardConnection): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    output.write(`${await answerLine(line, card)}\n`);
  }
}

async function answerLine(line: string, card: CardConnection): Promise<string> {
  if (line.toLowerCase() === 'reset') {
    card.reset();
    return Buffer.from(card.atr).toString('hex').toUpperCase();
  }
  const compact = line.replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(compact)) return 'error: expected an APDU as an even number of hex digits';
  const response = await card.transmit(Uint8Array.from(Buffer.from(compact, 'hex')));
  return Buffer.from(response).toString('hex').toUpperCase();
}

/**
 * Listens on host:port; each connection gets the line protocol. Connections share the one card, as
 * several applications share a reader. Resolves once listening.
 */
export function listenHexLines(host: string, port: number, card: CardConnection, onError: (error: unknown) => void): Promise<Server> {
  const server = createServer((socket) => {
    serveHexLines(socket, socket, card).catch(onError);
    socket.on('error', onError);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
