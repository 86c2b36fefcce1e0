// The port topology of the SM-DP+: one HTTPS listener per ES9+ endpoint (NIST, brainpool, …), and ES2+
// either on its own port (default) or on the first ES9+ port, where client certificates are requested
// and enforced on the ES2+ routes only; /healthz and /metrics on the admin listener alone (127.0.0.1 by
// default, plain HTTP), never on a port the public or an unauthenticated caller reaches. Every listener has
// the configured connection limits. Starting one server is rsp-server's `startHttpsServer`/`startAdminServer`.
import type { Server } from 'node:http';
import type { Clock } from '@zkesim/protocol';
import type { SmdpConfig } from '../../config.js';
import { closeServer, serverTlsOptions, startAdminServer, startHttpsServer, type HttpRoute, type ListenerOptions, type RouteResult } from '@zkesim/rsp-server';
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
): Promise<Listeners> {
  // The ports serving ES2+ ask for client certificates and verify them against the configured operators
  // (their CAs or pinned fingerprints, operatorAuth.ts).
  const clientCertificates = { trusts: operators.trusts.map(operatorClients), clock: operators.clock };
  const servers: Server[] = [];
  const es9Urls: string[] = [];
  try {
    for (const [index, endpoint] of config.es9.entries()) {
      const shared = config.es2.mode === 'shared' && index === 0;
      const { server, url } = await startHttpsServer({
        host: config.host,
        port: endpoint.port,
        tls: serverTlsOptions(endpoint.tlsCertificate, endpoint.tlsKey, endpoint.tlsChain),
        ...(shared ? { clientCertificates } : {}),
        connections: config.connections,
        listener: { ...base, routes: new Map([...routes.es9, ...(shared ? routes.es2 : [])]) },
      });
      servers.push(server);
      es9Urls.push(url);
    }
    let es2Url = es9Urls[0] as string;
    if (config.es2.mode === 'port') {
      const first = config.es9[0];
      const { server, url } = await startHttpsServer({
        host: config.host,
        port: config.es2.port,
        tls: serverTlsOptions(config.es2.tlsCertificate ?? first?.tlsCertificate ?? '', config.es2.tlsKey ?? first?.tlsKey ?? ''),
        clientCertificates,
        connections: config.connections,
        listener: { ...base, routes: routes.es2 },
      });
      servers.push(server);
      es2Url = url;
    }
    let adminUrl: string | undefined;
    if (config.admin.enabled) {
      const { server, url } = await startAdminServer({
        host: config.admin.host,
        port: config.admin.port,
        connections: config.connections,
        listener: { ...base, routes: new Map(), getEndpoints: adminEndpoints },
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
