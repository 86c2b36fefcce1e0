// The operational GET endpoints every RSP server serves next to its functions: /healthz, answered from
// the server's own health probe (typically its store's), and /metrics, the Prometheus text of its registry.
import type { ServerMetrics } from './metrics.js';
import type { RouteResult } from './route.js';

export interface AdminEndpointOptions {
  /**
   * Resolves with what /healthz reports besides `status: 'ok'` (schema version, inventory) when the server
   * can serve; rejects when it cannot (its store does not answer), which the request listener answers 500.
   */
  health: () => Promise<Record<string, unknown>>;
  /** Served on /metrics; without it there is no /metrics. */
  metrics?: Pick<ServerMetrics, 'registry'>;
}

export function adminEndpoints(options: AdminEndpointOptions): Map<string, () => Promise<RouteResult>> {
  const endpoints = new Map<string, () => Promise<RouteResult>>();
  endpoints.set('/healthz', async () => ({ status: 200, body: JSON.stringify({ status: 'ok', ...(await options.health()) }) }));
  const registry = options.metrics?.registry;
  if (registry !== undefined) {
    endpoints.set('/metrics', async () => ({ status: 200, body: await registry.metrics(), contentType: registry.contentType }));
  }
  return endpoints;
}
