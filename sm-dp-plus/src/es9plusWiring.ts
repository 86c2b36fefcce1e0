// Builds the ES9+ side (routes + session table) from the configuration. Kept apart from main.ts so the
// ES9+ handlers can be wired and tested without the HTTP servers.
import type { SmdpConfig } from './config.js';
import type { CoreDeps, OrderPolicy } from './core/deps.js';
import type { SmdpMetrics } from './adapters/http/metrics.js';
import type { HttpRoute } from './adapters/http/requestListener.js';

export interface Es9plusWiring {
  routes: Map<string, HttpRoute>;
  close(): void;
}

export function buildEs9plus(_config: SmdpConfig, _deps: CoreDeps, _policy: OrderPolicy, _metrics: SmdpMetrics): Es9plusWiring {
  return { routes: new Map(), close: () => undefined };
}
