import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Registrar } from '../registrar.js';

/** The registrar service's Prometheus metrics (one registry per server). */
export interface ServiceMetrics {
  readonly registry: Registry;
  /** Credentials issued through the service, by type. */
  readonly issued: Counter<'type'>;
  /** Time from request to stored, signed credential. */
  readonly issuanceSeconds: Histogram;
  /** Revocations, suspensions and unsuspensions through the service. */
  readonly statusChanges: Counter<'action'>;
  /** Error answers, by HTTP status and Cradle error code. */
  readonly errors: Counter<'status' | 'code'>;
}

/**
 * Metrics for `GET /metrics` (Prometheus text format): issuance rate (`cradle_credentials_issued_total`)
 * and latency (`cradle_issuance_duration_seconds`), status changes, errors by code, the anchoring
 * outbox's depth by state and the anchor lag (age of the oldest anchor not yet confirmed), read from the
 * database at scrape time so every replica reports the shared outbox; plus Node's process metrics.
 * Nothing personal: labels are types, actions, states and codes.
 */
export function createServiceMetrics(registrar: Registrar): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'cradle_process_' });
  const issued = new Counter({ name: 'cradle_credentials_issued_total', help: 'Credentials issued through this service', labelNames: ['type'] as const, registers: [registry] });
  const issuanceSeconds = new Histogram({
    name: 'cradle_issuance_duration_seconds',
    help: 'Issuance request time: validate, allocate, sign, store',
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
    registers: [registry],
  });
  const statusChanges = new Counter({ name: 'cradle_status_changes_total', help: 'Revocations, suspensions and unsuspensions through this service', labelNames: ['action'] as const, registers: [registry] });
  const errors = new Counter({ name: 'cradle_http_errors_total', help: 'Error answers by HTTP status and error code', labelNames: ['status', 'code'] as const, registers: [registry] });
  new Gauge({
    name: 'cradle_outbox_depth',
    help: 'Anchors waiting in the outbox (whole database), by state',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const pending = await registrar.pending();
      this.reset();
      this.set({ state: 'queued' }, pending.filter((e) => e.state === 'queued').length);
      this.set({ state: 'sent' }, pending.filter((e) => e.state === 'sent').length);
    },
  });
  new Gauge({
    name: 'cradle_anchor_lag_seconds',
    help: 'Age of the oldest anchor not yet confirmed on the ledger (0 when none waits)',
    registers: [registry],
    async collect() {
      const pending = await registrar.pending();
      const oldest = pending.reduce((t, e) => Math.min(t, Date.parse(e.createdAt)), Number.POSITIVE_INFINITY);
      this.set(Number.isFinite(oldest) ? Math.max(0, (registrar.config.now() - oldest) / 1000) : 0);
    },
  });
  return { registry, issued, issuanceSeconds, statusChanges, errors };
}
