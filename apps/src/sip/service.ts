// The SIP side of the stack in one call: the ZK verifier (HTTPS on the loopback, its own TLS credential under the
// development CI) and Kamailio configured to ask it, for the subscriber group of one SubscriberFactory.
import { join } from 'node:path';
import { verifyIdentityProof } from '@zkesim/contracts';
import type { PkiEntity } from '@zkesim/pki';
import type { Clock, Logger } from '@zkesim/protocol';
import { createLogger, systemClock } from '@zkesim/rsp-server';
import { chainRootSource } from './adapters/chainRoots.js';
import { ensureWebServerTls } from '../stack/webServerTls.js';
import { startVerifierServer } from './adapters/verifierServer.js';
import { GroupRootPolicy } from './core/rootPolicy.js';
import { SipVerifier, type SipVerifierOptions } from './core/verifier.js';
import { startKamailioOnPorts, type KamailioProcess } from './kamailio/kamailioProcess.js';

export interface SipServiceOptions {
  /** Folder for the verifier's TLS files and Kamailio's configuration and pid file. */
  dir: string;
  domain: string;
  rpcUrl: string;
  /** The SubscriberFactory whose Semaphore group the subscribers prove membership of. */
  registry: string;
  /** The development CI: issues the verifier's certificate; Kamailio trusts it for the verifier. */
  ci: PkiEntity;
  /** PEM file of the CI's certificate. */
  ciPem: string;
  /** Default: a pino logger at warn. */
  logger?: Logger;
  /** Default: the system clock. */
  clock?: Clock;
  /** 0 (default) for free ports. */
  sipPort?: number;
  /** SIP over TLS, when Kamailio's tls module is installed; 0 (default) for a free port. */
  sipsPort?: number;
  verifierPort?: number;
  verifier?: Partial<Omit<SipVerifierOptions, 'domain'>>;
  roots?: { maxAgeMs?: number; graceMs?: number };
  kamailioDebug?: number;
  /** Default: Debian's /usr/sbin/kamailio. */
  kamailioBinary?: string;
  kamailioLog?: (line: string) => void;
}

export interface SipService {
  domain: string;
  /** host:port of Kamailio (SIP over TCP). */
  registrar: string;
  /** host:port of Kamailio's SIP over TLS (its certificate chains to the CI), when the tls module is installed. */
  registrarTls: string | undefined;
  verifierUrl: string;
  verifier: SipVerifier;
  kamailio: KamailioProcess;
  close(): Promise<void>;
}

export const DEFAULT_SIP_VERIFIER: Omit<SipVerifierOptions, 'domain'> = {
  epochSeconds: 86_400,
  callsPerWindow: 10,
  callWindowMs: 60_000,
  maxReplayEntries: 1_000_000,
};

export async function startSipService(options: SipServiceOptions): Promise<SipService> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger('sip-verifier', 'warn');
  const source = await chainRootSource(options.rpcUrl, options.registry);
  const cleanups: (() => Promise<void> | void)[] = [() => source.close()];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const roots = new GroupRootPolicy(source, clock, { maxAgeMs: options.roots?.maxAgeMs ?? 10_000, graceMs: options.roots?.graceMs ?? 300_000 });
    const verifier = new SipVerifier({ ...DEFAULT_SIP_VERIFIER, ...options.verifier, domain: options.domain }, { clock, roots, verifySnark: verifyIdentityProof });
    const tls = ensureWebServerTls(join(options.dir, 'tls'), options.ci, { name: 'verifier', commonName: 'zkesim SIP ZK verifier' });
    const server = await startVerifierServer({ host: '127.0.0.1', port: options.verifierPort ?? 0, tls, verifier, logger });
    cleanups.push(() => server.close());
    const registrarTls = ensureWebServerTls(join(options.dir, 'tls'), options.ci, { name: 'registrar', commonName: 'zkesim SIP registrar', dnsNames: [verifier.domain] });
    const { kamailio, sipPort, sipsPort } = await startKamailioOnPorts(options, (ports) => ({
      dir: join(options.dir, 'kamailio'),
      domain: verifier.domain,
      sipPort: ports.sipPort,
      verifierUrl: server.url,
      verifierCa: options.ciPem,
      ...(ports.sipsPort === undefined ? {} : { tls: { port: ports.sipsPort, ...registrarTls } }),
      ...(options.kamailioDebug === undefined ? {} : { debug: options.kamailioDebug }),
      ...(options.kamailioBinary === undefined ? {} : { binary: options.kamailioBinary }),
      ...(options.kamailioLog === undefined ? {} : { log: options.kamailioLog }),
    }));
    cleanups.push(() => kamailio.stop());
    const registrarTlsAddress = sipsPort === undefined ? undefined : `127.0.0.1:${sipsPort}`;
    return { domain: verifier.domain, registrar: `127.0.0.1:${sipPort}`, registrarTls: registrarTlsAddress, verifierUrl: server.url, verifier, kamailio, close };
  } catch (error) {
    await close();
    throw error;
  }
}
