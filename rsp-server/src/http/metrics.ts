// Prometheus metrics of one RSP server process (prom-client, an own registry per instance: no global
// default registry). Every metric name starts with the server's prefix (`smdp`, `smds`); a server adds
// its own metrics to `registry`.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServerMetrics {
  registry: Registry;
  /** Latency per SGP.22 function, with the function execution status. */
  functionSeconds: Histogram<'interface' | 'function' | 'status'>;
  httpRejections: Counter<'reason'>;
  /** Open mutual-authentication sessions. */
  sessions: Gauge;
  /** Of those, the ones not yet authenticated (before AuthenticateClient). */
  unauthenticatedSessions: Gauge;
  /** Unauthenticated sessions evicted to make room, by reason: source-limit, table-full. */
  sessionEvictions: Counter<'reason'>;
  /** Outbox entries waiting for delivery. */
  outboxPending: Gauge;
  /** Outbox entries given up on (dead until requeued by hand). */
  outboxDead: Gauge;
}

export interface MetricsOptions {
  /** Name prefix without the trailing underscore: `smdp`. */
  prefix: string;
  /** Also collect the process metrics (CPU, memory, event loop). */
  defaultMetrics: boolean;
  /** Help texts of the role-specific gauges. */
  sessionsHelp: string;
  outboxHelp: string;
}

export function createServerMetrics(options: MetricsOptions): ServerMetrics {
  const registry = new Registry();
  const prefix = options.prefix;
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: `${prefix}_` });
  return {
    registry,
    functionSeconds: new Histogram({
      name: `${prefix}_function_duration_seconds`,
      help: 'Time to execute an SGP.22 function, by interface, function and execution status',
      labelNames: ['interface', 'function', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    httpRejections: new Counter({
      name: `${prefix}_http_rejections_total`,
      help: 'Requests and connections refused before any function ran (body too large, rate limit, client certificate, connection caps)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    sessions: new Gauge({ name: `${prefix}_sessions`, help: options.sessionsHelp, registers: [registry] }),
    unauthenticatedSessions: new Gauge({
      name: `${prefix}_sessions_unauthenticated`,
      help: 'Open sessions not yet authenticated (before AuthenticateClient)',
      registers: [registry],
    }),
    sessionEvictions: new Counter({
      name: `${prefix}_sessions_evicted_total`,
      help: 'Unauthenticated sessions evicted to make room for new ones: their source held its limit (source-limit), or the table was full (table-full)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    outboxPending: new Gauge({ name: `${prefix}_outbox_pending`, help: options.outboxHelp, registers: [registry] }),
    outboxDead: new Gauge({
      name: `${prefix}_outbox_dead`,
      help: 'Outbox entries given up on (the peer refused them or the attempts ran out): not sent again until requeued by hand',
      registers: [registry],
    }),
  };
}
