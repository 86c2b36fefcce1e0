// Prometheus metrics of one SM-DP+ instance (prom-client, own registry: no global default registry).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface SmdpMetrics {
  registry: Registry;
  /** Completed downloads by outcome: installed, installFailed, cancelled, refused. */
  downloads: Counter<'outcome'>;
  /** Latency per SGP.22 function (ES9+ and ES2+), with the function execution status. */
  functionSeconds: Histogram<'interface' | 'function' | 'status'>;
  httpRejections: Counter<'reason'>;
  sessions: Gauge;
  outboxPending: Gauge;
}

export function createMetrics(options: { defaultMetrics: boolean }): SmdpMetrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'smdp_' });
  return {
    registry,
    downloads: new Counter({
      name: 'smdp_downloads_total',
      help: 'Profile downloads by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    functionSeconds: new Histogram({
      name: 'smdp_function_duration_seconds',
      help: 'Time to execute an SGP.22 function, by interface, function and execution status',
      labelNames: ['interface', 'function', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    httpRejections: new Counter({
      name: 'smdp_http_rejections_total',
      help: 'Requests refused before any function ran (body too large, rate limit, client certificate)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    sessions: new Gauge({ name: 'smdp_sessions', help: 'Open ES9+ download sessions', registers: [registry] }),
    outboxPending: new Gauge({
      name: 'smdp_outbox_pending',
      help: 'Operator notifications waiting for delivery',
      registers: [registry],
    }),
  };
}
