import type { DataSource } from 'typeorm';
import type { RegistrarAgent } from './registrar-agent.js';
import type { ResolvedRegistrarConfig } from './registrar-config.js';
import type { RegistrarIdentity } from './registrar-identity.js';
import type { SerialQueue } from './serial-queue.js';
import type { StatusListAllocator } from './status-list-allocator.js';

/** What the registrar's operations share (internal). */
export interface RegistrarRuntime {
  db: DataSource;
  /** Serialises every write transaction on the single SQLite connection. */
  queue: SerialQueue;
  agent: RegistrarAgent;
  allocator: StatusListAllocator;
  config: ResolvedRegistrarConfig;
  /** Throws NOT_INITIALISED-style CONFIG_INVALID when `init` has not run. */
  identity(): RegistrarIdentity;
}
