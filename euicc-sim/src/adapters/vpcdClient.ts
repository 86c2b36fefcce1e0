// vsmartcard vpcd protocol: the virtual card is a TCP client of pcscd's vpcd reader driver. Every message in
// both directions is a 2-byte big-endian length and that many bytes. From vpcd, 1 byte is a control code
// (00 power off, 01 power on, 02 reset: no reply; 04 get ATR: reply with the ATR); more bytes are a C-APDU,
// answered with the R-APDU (as observed with vsmartcard-vpcd 3.3 and pcscd 1.9.9).
import { connect, type Socket } from 'node:net';
import type { CardConnection } from '../apdu/transport.js';
import type { Logger } from '@zkesim/protocol';

const CONTROL_POWER_OFF = 0x00;
const CONTROL_POWER_ON = 0x01;
const CONTROL_RESET = 0x02;
const CONTROL_GET_ATR = 0x04;

export interface VpcdClientOptions {
  readonly host: string;
  readonly port: number;
  readonly card: CardConnection;
  readonly logger: Logger;
}

export interface VpcdConnection {
  /** Resolves when the socket is closed (by either side). */
  readonly closed: Promise<void>;
  close(): void;
}

/** Connects the card to a vpcd reader; rejects if the connection cannot be made. */
export function connectVpcd(options: VpcdClientOptions): Promise<VpcdConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: options.host, port: options.port });
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', (error) => options.logger.warn({ err: error.message }, 'vpcd connection error'));
      socket.setNoDelay(true);
      serve(socket, options);
      resolve({ closed, close: () => socket.destroy() });
    });
  });
}

function serve(socket: Socket, options: VpcdClientOptions): void {
  let buffered = Buffer.alloc(0);
  let queue = Promise.resolve();
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 2) {
      const length = buffered.readUInt16BE(0);
      if (buffered.length < 2 + length) break;
      const message = Uint8Array.from(buffered.subarray(2, 2 + length));
      buffered = buffered.subarray(2 + length);
      // Messages are answered strictly in order, one at a time, as a card would.
      queue = queue.then(() => handleMessage(socket, message, options)).catch((error: unknown) => {
        options.logger.error({ err: String(error) }, 'vpcd message failed; closing the connection');
        socket.destroy();
      });
    }
  });
}

async function handleMessage(socket: Socket, message: Uint8Array, options: VpcdClientOptions): Promise<void> {
  if (message.length === 1) {
    const control = message[0];
    if (control === CONTROL_GET_ATR) return send(socket, options.card.atr);
    if (control === CONTROL_POWER_OFF || control === CONTROL_POWER_ON || control === CONTROL_RESET) {
      options.card.reset();
      return;
    }
    options.logger.warn({ control }, 'unknown vpcd control byte ignored');
    return;
  }
  send(socket, await options.card.transmit(message));
}

function send(socket: Socket, payload: Uint8Array): void {
  const frame = Buffer.alloc(2 + payload.length);
  frame.writeUInt16BE(payload.length, 0);
  frame.set(payload, 2);
  socket.write(frame);
}
