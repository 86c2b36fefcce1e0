// `zkesim euicc serve`: runs one transport until it ends or the process gets SIGINT/SIGTERM.
import type { CardConnection } from '../apdu/transport.js';
import type { Logger } from '@zkesim/protocol';
import { listenHexLines, serveHexLines } from './lineServer.js';
import { serveLpacStdio } from './lpacStdio.js';
import { connectVpcd, type VpcdConnection } from './vpcdClient.js';

export interface ServeOptions {
  vpcd?: string;
  tcp?: string;
  stdio?: boolean;
  lpacStdio?: boolean;
}

/** How long to wait before reconnecting to a vpcd reader that closed or is not up yet. */
const VPCD_RETRY_MS = 1000;

export async function serveCard(card: CardConnection, options: ServeOptions, logger: Logger): Promise<void> {
  const chosen = [options.vpcd, options.tcp, options.stdio, options.lpacStdio].filter((value) => value !== undefined && value !== false);
  if (chosen.length !== 1) throw new Error('choose exactly one of --vpcd, --tcp, --stdio, --lpac-stdio');
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  if (options.stdio === true) return Promise.race([serveHexLines(process.stdin, process.stdout, card), stopped]);
  if (options.lpacStdio === true) return Promise.race([serveLpacStdio(process.stdin, process.stdout, card), stopped]);
  if (options.tcp !== undefined) {
    const { host, port } = hostPort(options.tcp);
    const server = await listenHexLines(host, port, card, (error) => logger.warn({ err: String(error) }, 'APDU line connection failed'));
    const address = server.address();
    logger.info({ address }, 'listening for hex APDU lines');
    await stopped;
    server.close();
    return;
  }
  const { host, port } = hostPort(options.vpcd ?? '');
  await serveVpcd(host, port, card, logger, stopped);
}

async function serveVpcd(host: string, port: number, card: CardConnection, logger: Logger, stopped: Promise<void>): Promise<void> {
  let running = true;
  let connection: VpcdConnection | undefined;
  void stopped.then(() => {
    running = false;
    connection?.close();
  });
  while (running) {
    try {
      connection = await connectVpcd({ host, port, card, logger });
      logger.info({ host, port }, 'card inserted into the vpcd reader');
      await connection.closed;
      logger.info({ host, port }, 'vpcd reader closed the connection');
    } catch (error) {
      logger.debug({ err: String(error) }, 'vpcd reader not reachable yet');
    }
    if (running) await new Promise((resolve) => setTimeout(resolve, VPCD_RETRY_MS));
  }
}

function hostPort(text: string): { host: string; port: number } {
  const match = /^(.+):(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (match?.[1] === undefined || !Number.isInteger(port) || port > 65535) throw new Error(`expected HOST:PORT, got "${text}"`);
  return { host: match[1], port };
}
