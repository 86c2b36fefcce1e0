// Prometheus metrics of one SM-DP+ instance: the server metrics every RSP server has (rsp-server), under
// the `smdp` prefix, plus the downloads by outcome and, with anchoring on, the chain anchor backlog (read
// from the chain layer's outbox at each scrape, so it shows the records waiting while the chain node is down).
import { Counter, Gauge } from 'prom-client';
import { createServerMetrics, type ServerMetrics } from '@zkesim/rsp-server';

export interface SmdpMetrics extends ServerMetrics {
  /** Completed downloads by outcome: installed, installFailed, cancelled, refused. */
  downloads: Counter<'outcome'>;
}

/** The chain anchor outbox's backlog (AnchorOutbox.backlog of the contracts package). */
export interface AnchorBacklog {
  pendingEvents: number;
  unanchoredBatches: number;
}

export function createMetrics(options: { defaultMetrics: boolean; anchorBacklog?: () => AnchorBacklog }): SmdpMetrics {
  const server = createServerMetrics({
    prefix: 'smdp',
    defaultMetrics: options.defaultMetrics,
    sessionsHelp: 'Open ES9+ download sessions',
    outboxHelp: 'Operator notifications waiting for delivery',
  });
  const downloads = new Counter({ name: 'smdp_downloads_total', help: 'Profile downloads by outcome', labelNames: ['outcome'], registers: [server.registry] });
  const backlog = options.anchorBacklog;
  if (backlog !== undefined) {
    new Gauge({
      name: 'smdp_anchor_pending_events',
      help: 'Installation results in the chain anchor outbox not yet in a batch',
      registers: [server.registry],
      collect() {
        this.set(backlog().pendingEvents);
      },
    });
    new Gauge({
      name: 'smdp_anchor_unanchored_batches',
      help: 'Batches of the chain anchor outbox not yet anchored on the chain (built, or submitted and not confirmed)',
      registers: [server.registry],
      collect() {
        this.set(backlog().unanchoredBatches);
      },
    });
  }
  return { ...server, downloads };
}
