// The HTTPS listeners of the SM-DP+: one per ES9+ endpoint (NIST, brainpool, …), and ES2+
// either on its own port (default) or on the first ES9+ port, where client certificates are requested
// and enforced on the ES2+ routes only.
import { createServer, type Server } from 'node:https';
import type { SmdpConfig } from '../../config.js';
import { closeServer, createRequestListener, listen, serverTlsOptions, type HttpRoute, type ListenerOptions } from '@zkesim/rsp-server';
import type { OperatorIdentity } from '../../es2plus/operator.js';

export interface Listeners {
  servers: Server[];
  es9Urls: string[];
  es2Url: string;
}

export async function startListeners(
  config: SmdpConfig,
  routes: { es9: ReadonlyMap<string, HttpRoute<OperatorIdentity>>; es2: ReadonlyMap<string, HttpRoute<OperatorIdentity>> },
  base: Omit<ListenerOptions<OperatorIdentity>, 'routes'>,
  operatorCaPems: string[],
): Promise<Listeners> {
  // Client certificates are checked per request (operatorAuth.ts): OpenSSL verifies chained ones against the
  // operator CAs, pinned ones are matched by fingerprint, so the handshake itself must not refuse them.
  const clientCertificates = { requestCert: true, rejectUnauthorized: false, ...(operatorCaPems.length > 0 ? { ca: operatorCaPems } : {}) };
  const servers: Server[] = [];
  const es9Urls: string[] = [];
  try {
    for (const [index, endpoint] of config.es9.entries()) {
      const shared = config.es2.mode === 'shared' && index === 0;
      const server = createServer(
        { ...serverTlsOptions(endpoint.tlsCertificate, endpoint.tlsKey, endpoint.tlsChain), ...(shared ? clientCertificates : {}) },
        createRequestListener({ ...base, routes: new Map([...routes.es9, ...(shared ? routes.es2 : [])]) }),
      );
      servers.push(server);
      es9Urls.push(await listen(server, config.host, endpoint.port));
    }
    let es2Url = es9Urls[0] as string;
    if (config.es2.mode === 'port') {
      const first = config.es9[0];
      const tls = serverTlsOptions(config.es2.tlsCertificate ?? first?.tlsCertificate ?? '', config.es2.tlsKey ?? first?.tlsKey ?? '');
      const server = createServer({ ...tls, ...clientCertificates }, createRequestListener({ ...base, routes: routes.es2 }));
      servers.push(server);
      es2Url = await listen(server, config.host, config.es2.port);
    }
    return { servers, es9Urls, es2Url };
  } catch (error) {
    await Promise.all(servers.map(closeServer));
    throw error;
  }
}

export { closeServer };
