// The stack's software eUICC: its state file (<dataDir>/euicc/euicc.db) created on first start with the
// development PKI's eUICC credential, then served on 127.0.0.1 with the emulator's hex-line APDU server
// (euicc-sim listenHexLines). The stack holds the state file's lock while it runs, so an LPA reaches this
// card through `--euicc tcp:127.0.0.1:PORT`, never through a second copy of its state.
import { mkdirSync } from 'node:fs';
import type { Server, Socket } from 'node:net';
import { join } from 'node:path';
import { listenHexLines, newEuiccState, openSqliteStore } from '@zkesim/euicc-sim';
import { eidToBytes } from '@zkesim/protocol';
import { subjectKeyIdentifierOf } from '@zkesim/pki';
import { openSimCard } from '../transports/simTransport.js';
import type { StackPki } from './developmentPki.js';

export interface RunningEuicc {
  readonly stateFile: string;
  readonly port: number;
  readonly eid: string;
  close(): Promise<void>;
}

export function ensureEuiccState(dataDir: string, pki: StackPki, defaultDpAddress: string): string {
  const dir = join(dataDir, 'euicc');
  // The card's state holds its private keys.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stateFile = join(dir, 'euicc.db');
  const store = openSqliteStore(stateFile);
  try {
    if (store.listEids().length > 0) return stateFile;
    const h = pki.nist;
    const ciPKId = subjectKeyIdentifierOf(h.ci.certificate);
    if (ciPKId === undefined) throw new Error(`${h.ci.certificatePath} has no SubjectKeyIdentifier`);
    store.save(
      newEuiccState({
        eid: eidToBytes(pki.pki.eid),
        credentials: [
          {
            curve: 'P-256',
            ciPKId,
            euiccCertificate: h.euicc.certificate.der,
            eumCertificate: h.eum.certificate.der,
            privateKey: new Uint8Array(h.euicc.privateKey.export({ format: 'der', type: 'pkcs8' })),
          },
        ],
        trustedCiCertificates: [h.ci.certificate.der],
        defaultDpAddress,
      }),
    );
    return stateFile;
  } finally {
    store.close();
  }
}

export async function serveEuicc(stateFile: string, port: number, onError: (error: unknown) => void): Promise<RunningEuicc> {
  const { card, close } = openSimCard(stateFile);
  let server: Server;
  try {
    server = await listenHexLines('127.0.0.1', port, card, onError);
  } catch (error) {
    close();
    throw error;
  }
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const address = server.address();
  return {
    stateFile,
    port: typeof address === 'object' && address !== null ? address.port : port,
    eid: Buffer.from(card.state.eid).toString('hex').toUpperCase(),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Clients (an LPA mid-command) are cut off: the card is going away.
        for (const socket of sockets) socket.destroy();
      });
      close();
    },
  };
}
