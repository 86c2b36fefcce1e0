// The hex-line APDU protocol of the emulator's TCP server and the PC/SC helper, over in-memory streams.
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { TransportError } from '../errors.js';
import { HexLineTransport } from './hexLineTransport.js';

function peer(answer: (line: string) => string) {
  const toCard = new PassThrough();
  const fromCard = new PassThrough();
  createInterface({ input: toCard }).on('line', (line) => {
    if (!fromCard.writableEnded) fromCard.write(`${answer(line)}\n`);
  });
  return { transport: new HexLineTransport(fromCard, toCard, 'test'), fromCard };
}

describe('HexLineTransport', () => {
  it('sends one APDU per line and returns the R-APDU, in order', async () => {
    const { transport } = peer((line) => (line === '00A4040000' ? '6A82' : '9000'));
    const [a, b] = await Promise.all([transport.transmit(Uint8Array.of(0, 0xa4, 4, 0, 0)), transport.transmit(Uint8Array.of(0x80, 0xe2, 0x91, 0, 0))]);
    expect(Buffer.from(a ?? []).toString('hex')).toBe('6a82');
    expect(Buffer.from(b ?? []).toString('hex')).toBe('9000');
  });

  it('turns "error:" lines and garbage into TransportError, and a closed peer too', async () => {
    const { transport, fromCard } = peer((line) => (line.startsWith('01') ? 'error: transmit failed' : 'hello'));
    await expect(transport.transmit(Uint8Array.of(1, 2, 3, 4))).rejects.toThrow(/test: error: transmit failed/);
    await expect(transport.transmit(Uint8Array.of(0, 2, 3, 4))).rejects.toThrow(TransportError);
    fromCard.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(transport.transmit(Uint8Array.of(0, 2, 3, 4))).rejects.toThrow(/connection closed/);
  });
});
