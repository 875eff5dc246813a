import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics: one registry per process, handed to whoever records. */
export interface Metrics {
  registry: Registry;
  casesOpened: Counter<'service' | 'urgency'>;
  casesRouted: Counter<'kind'>;
  transitions: Counter<'action' | 'to'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  jobDuration: Histogram<'queue' | 'outcome'>;
  deliveries: Counter<'platform' | 'outcome'>;
  queueDepth: Gauge<'queue' | 'state'>;
  /** 1 when the last scrape could not read the queue depths in time (the figures are the last known). */
  queueDepthStale: Gauge;
  /** Filled in by whoever knows the queues; read on every scrape, for at most DEPTH_READ_MS. */
  depthSource: { read: (() => Promise<void>) | null };
}

/** A scrape waits this long for the queue depths (Redis may be down: its commands then wait for it). */
export const DEPTH_READ_MS = 500;

export function createMetrics(): Metrics {
  const registry = new Registry();
  const depthSource: Metrics['depthSource'] = { read: null };
  const readDepth = depthReader(depthSource);
  collectDefaultMetrics({ register: registry, prefix: 'wardline_' });
  return {
    registry,
    casesOpened: new Counter({ name: 'wardline_cases_opened_total', help: 'Cases opened', labelNames: ['service', 'urgency'], registers: [registry] }),
    casesRouted: new Counter({ name: 'wardline_cases_routing_total', help: 'Routing decisions by kind (routed, unrouted)', labelNames: ['kind'], registers: [registry] }),
    transitions: new Counter({ name: 'wardline_case_transitions_total', help: 'Case actions applied', labelNames: ['action', 'to'], registers: [registry] }),
    httpDuration: new Histogram({
      name: 'wardline_http_request_duration_seconds', help: 'HTTP request latency', labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'wardline_job_duration_seconds', help: 'Background job durations by queue and outcome (completed, failed)', labelNames: ['queue', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30], registers: [registry],
    }),
    deliveries: new Counter({ name: 'wardline_outbox_deliveries_total', help: 'Outbox delivery outcomes (sent, retry, failed, limited)', labelNames: ['platform', 'outcome'], registers: [registry] }),
    queueDepth: new Gauge({
      name: 'wardline_queue_depth', help: 'Jobs and outbox messages waiting, by queue and state', labelNames: ['queue', 'state'], registers: [registry],
      async collect() { await readDepth(); },
    }),
    queueDepthStale: new Gauge({
      name: 'wardline_queue_depth_stale', help: '1 when the queue depths could not be read in time (Redis down or slow): they are the last known', registers: [registry],
      async collect() { this.set((await readDepth()) ? 0 : 1); },
    }),
    depthSource,
  };
}

/**
 * One read of the depths at a time, shared by the scrape's collectors; a scrape waits at most
 * DEPTH_READ_MS and then answers with the last known figures (true: they are fresh).
 */
function depthReader(source: Metrics['depthSource']): () => Promise<boolean> {
  let reading: Promise<boolean> | null = null;
  let waiting: Promise<boolean> | null = null;
  return () => {
    if (!source.read) return Promise.resolve(true);
    reading ??= source.read().then(() => true, () => false).finally(() => { reading = null; });
    waiting ??= new Promise<boolean>((done) => {
      const timer = setTimeout(() => done(false), DEPTH_READ_MS);
      void reading!.then((fresh) => { clearTimeout(timer); done(fresh); });
    }).finally(() => { waiting = null; });
    return waiting;
  };
}
