// Prometheus metrics of one SM-DP+ instance: the server metrics every RSP server has (rsp-server), under
// the `smdp` prefix, plus the downloads by outcome.
import { Counter } from 'prom-client';
import { createServerMetrics, type ServerMetrics } from '@zkesim/rsp-server';

export interface SmdpMetrics extends ServerMetrics {
  /** Completed downloads by outcome: installed, installFailed, cancelled, refused. */
  downloads: Counter<'outcome'>;
}

export function createMetrics(options: { defaultMetrics: boolean }): SmdpMetrics {
  const server = createServerMetrics({
    prefix: 'smdp',
    defaultMetrics: options.defaultMetrics,
    sessionsHelp: 'Open ES9+ download sessions',
    outboxHelp: 'Operator notifications waiting for delivery',
  });
  const downloads = new Counter({ name: 'smdp_downloads_total', help: 'Profile downloads by outcome', labelNames: ['outcome'], registers: [server.registry] });
  return { ...server, downloads };
}
