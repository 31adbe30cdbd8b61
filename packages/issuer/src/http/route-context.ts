import type { Registrar } from '../registrar.js';
import type { Authorization } from './authorization.js';
import type { ServiceMetrics } from './service-metrics.js';

/** What every route group of the registrar service is registered with. */
export interface IssuerRouteContext {
  readonly registrar: Registrar;
  readonly auth: Authorization;
  /** Undefined when the server was created with `metrics: false`. */
  readonly metrics: ServiceMetrics | undefined;
  /** `Cache-Control: max-age` of the public, signed lists (seconds). */
  readonly statusMaxAgeSeconds: number;
}
