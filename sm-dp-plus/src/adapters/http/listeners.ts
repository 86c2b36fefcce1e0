// The port topology of the SM-DP+: one HTTPS listener per ES9+ endpoint (NIST, brainpool, …), server-
// authenticated for LPAs, and ES2+ on its own port, mutually authenticated at the TLS handshake (SGP.22
// §2.6.6: an operator without a configured certificate never completes it); /healthz and /metrics on the
// admin listener alone (127.0.0.1 by default, plain HTTP), never on a port the public or an unauthenticated
// caller reaches. Every listener has
// the configured connection limits. Starting one server is rsp-server's `startHttpsServer`/`startAdminServer`.
import type { Server } from 'node:http';
import type { Clock } from '@zkesim/protocol';
import type { SmdpConfig } from '../../config.js';
import { closeServer, serverTlsOptions, startAdminServer, startHttpsServer, type BoundSockets, type HttpRoute, type ListenerOptions, type RouteResult } from '@zkesim/rsp-server';
import type { OperatorIdentity } from '../../es2plus/operator.js';
import { operatorClients, type OperatorTrust } from './operatorAuth.js';

export interface Listeners {
  servers: Server[];
  es9Urls: string[];
  es2Url: string;
  /** `http://host:port` of the admin listener; undefined when `admin.enabled` is false. */
  adminUrl: string | undefined;
}

export async function startListeners(
  config: SmdpConfig,
  routes: { es9: ReadonlyMap<string, HttpRoute<OperatorIdentity>>; es2: ReadonlyMap<string, HttpRoute<OperatorIdentity>> },
  base: Omit<ListenerOptions<OperatorIdentity>, 'routes' | 'identifyClient' | 'getEndpoints'>,
  operators: { trusts: readonly OperatorTrust[]; clock: Clock },
  adminEndpoints: ReadonlyMap<string, () => Promise<RouteResult>>,
  boundSockets?: BoundSockets,
): Promise<Listeners> {
  const servers: Server[] = [];
  const es9Urls: string[] = [];
  try {
    for (const endpoint of config.es9) {
      const { server, url } = await startHttpsServer({
        host: config.host,
        port: endpoint.port,
        tls: serverTlsOptions(endpoint.tlsCertificate, endpoint.tlsKey, endpoint.tlsChain),
        connections: config.connections,
        listener: { ...base, routes: routes.es9 },
        boundSockets,
      });
      servers.push(server);
      es9Urls.push(url);
    }
    const first = config.es9[0];
    // The operators' client certificates are verified against their CAs or their pins' issuers during the
    // handshake, then matched to an operator (operatorAuth.ts).
    const es2 = await startHttpsServer({
      host: config.host,
      port: config.es2.port,
      tls: serverTlsOptions(config.es2.tlsCertificate ?? first?.tlsCertificate ?? '', config.es2.tlsKey ?? first?.tlsKey ?? ''),
      clientCertificates: { trusts: operators.trusts.map(operatorClients), clock: operators.clock },
      connections: config.connections,
      listener: { ...base, routes: routes.es2 },
      boundSockets,
    });
    servers.push(es2.server);
    const es2Url = es2.url;
    let adminUrl: string | undefined;
    if (config.admin.enabled) {
      const { server, url } = await startAdminServer({
        host: config.admin.host,
        port: config.admin.port,
        connections: config.connections,
        listener: { ...base, routes: new Map(), getEndpoints: adminEndpoints },
        boundSockets,
      });
      servers.push(server);
      adminUrl = url;
    }
    return { servers, es9Urls, es2Url, adminUrl };
  } catch (error) {
    await Promise.all(servers.map(closeServer));
    throw error;
  }
}

export { closeServer };
