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
  /** Filled in by whoever knows the queues; read on every scrape. */
  depthSource: { read: (() => Promise<void>) | null };
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  const depthSource: Metrics['depthSource'] = { read: null };
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
      async collect() { await depthSource.read?.(); },
    }),
    depthSource,
  };
}
