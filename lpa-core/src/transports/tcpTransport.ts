// `--euicc tcp:HOST:PORT`: the emulator's hex-line APDU server (euicc-sim `listenHexLines`).
import { connect, type Socket } from 'node:net';
import { HexLineTransport } from './hexLineTransport.js';
import { TransportError } from '../errors.js';
import type { CardSession } from './cardSession.js';

export function openTcpTransport(host: string, port: number): Promise<CardSession> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host, port });
    socket.once('error', (error) => reject(new TransportError(`tcp:${host}:${port}: ${error.message}`)));
    socket.once('connect', () => {
      socket.setNoDelay(true);
      const transport = new HexLineTransport(socket, socket, `tcp:${host}:${port}`);
      resolve({
        transport,
        close: async () => {
          await new Promise<void>((done) => socket.end(() => done()));
          socket.destroy();
        },
      });
    });
  });
}
