import type { IDBPDatabase } from 'idb';
import { STORES } from './idb.js';
import type { CheckpointDb } from './idb.js';
import type { CheckpointResult } from './verifier-adapter.js';

/**
 * One line of the on-device log. Deliberately holds no names, dates of birth, DIDs of children or
 * registration numbers: only what an officer or auditor needs to count and explain outcomes.
 */
export interface LogEntry {
  /** When the check ran (ISO 8601). */
  at: string;
  outcome: CheckpointResult['outcome'];
  /** 'credential', 'presentation' or 'certificate' (the seals of a printed certificate). */
  kind: string;
  /** True when a bare credential was shown (no guardian binding). */
  bearer: boolean;
  /** Stable codes of the failed checks, each once. */
  codes: string[];
  /** DID of the registrar that issued the credential, when known. */
  registrar?: string;
  /** Age of the status data used, in seconds. */
  statusAgeSeconds?: number;
  /** How long the verification took on this phone, in milliseconds. */
  elapsedMs?: number;
}

const MAX_ENTRIES = 1000;

/** Builds a log entry from a verification result, dropping everything personal. */
export function logEntryFor(result: CheckpointResult, at: Date): LogEntry {
  const entry: LogEntry = {
    at: at.toISOString(),
    outcome: result.outcome,
    kind: result.kind,
    bearer: result.bearer,
    codes: [...new Set(result.errors.map((e) => e.code))],
  };
  if (result.facts?.registrar.did) entry.registrar = result.facts.registrar.did;
  if (result.statusAge) entry.statusAgeSeconds = result.statusAge.seconds;
  return entry;
}

/** The local verification log, in IndexedDB. Never sent anywhere. */
export class VerificationLog {
  constructor(private readonly db: IDBPDatabase<CheckpointDb>) {}

  /** Appends an entry, dropping the oldest beyond {@link MAX_ENTRIES}, in one transaction. */
  async append(entry: LogEntry): Promise<void> {
    const tx = this.db.transaction(STORES.log, 'readwrite');
    await tx.store.add(entry);
    const count = await tx.store.count();
    if (count > MAX_ENTRIES) {
      for (const key of await tx.store.getAllKeys(null, count - MAX_ENTRIES)) await tx.store.delete(key);
    }
    await tx.done;
  }

  /** The most recent entries, newest first. */
  async recent(limit = 50): Promise<LogEntry[]> {
    const all = await this.db.getAll(STORES.log);
    return all.slice(-limit).reverse();
  }

  /** Deletes every entry. */
  async clear(): Promise<void> {
    await this.db.clear(STORES.log);
  }
}
