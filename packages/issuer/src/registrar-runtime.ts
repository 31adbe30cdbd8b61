import type { RegistrarAgent } from './registrar-agent.js';
import type { ResolvedRegistrarConfig } from './registrar-config.js';
import type { RegistrarIdentity } from './registrar-identity.js';
import type { SerialQueue } from './serial-queue.js';
import type { StatusListAllocator } from './status-list-allocator.js';
import type { RegistrarStore } from './storage/registrar-store.js';

/** What the registrar's operations share (internal). */
export interface RegistrarRuntime {
  /** The registrar's database (SQLite file or PostgreSQL): see {@link RegistrarStore}. */
  db: RegistrarStore;
  /** Serialises this process's writes (on SQLite, one connection; on PostgreSQL, keeps the allocator's bitmap consistent). */
  queue: SerialQueue;
  agent: RegistrarAgent;
  allocator: StatusListAllocator;
  config: ResolvedRegistrarConfig;
  /** Throws NOT_INITIALISED-style CONFIG_INVALID when `init` has not run. */
  identity(): RegistrarIdentity;
  /** The identity as this process last saw it, without reading the database (undefined before `init`). */
  knownIdentity(): RegistrarIdentity | undefined;
  /**
   * The identity as stored now, re-read from the database (one read shared by concurrent callers): a
   * signing key rotated by another replica or process is used from the next issuance or publication on,
   * without a restart. Call it before signing (an issuance: before its row is written, `IssuanceGroupCommit`).
   */
  currentIdentity(): Promise<RegistrarIdentity>;
}
