import type { SerialQueue } from './serial-queue.js';
import type { SqlExecutor } from './storage/registrar-store.js';

/** The columns of `cradle_credential` that an issuance writes, in the order of {@link CredentialRow}. */
export const CREDENTIAL_COLUMNS = [
  'id',
  'subject',
  'type',
  'format',
  'jwt',
  'revocation_list',
  'revocation_index',
  'suspension_list',
  'suspension_index',
  'alert_list',
  'alert_index',
  'batch_id',
  'batch_row',
  'row_key',
  'issued_by',
  'issued_by_key',
  'registration_number',
  'registration_key',
  'registration_duplicate',
  'created_at',
] as const;

/** One issued credential: its values for {@link CREDENTIAL_COLUMNS}, in that order (status allocations follow from a trigger). */
export type CredentialRow = readonly unknown[];

const INSERT = `INSERT INTO "cradle_credential" (${CREDENTIAL_COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES `;
const ROW = `(${CREDENTIAL_COLUMNS.map(() => '?').join(', ')})`;

/** Most rows one INSERT carries (20 parameters each, 2,560 at most: far below SQLite's 32,766 and PostgreSQL's 65,535). */
export const MAX_GROUP_ROWS = 128;

interface Waiting {
  row: CredentialRow;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for issuance: credentials signed by concurrent callers are stored by **one INSERT
 * statement** (one transaction, one commit) instead of one each. A caller's promise settles only after
 * the statement that carries its row has returned, i.e. after the commit: success is never reported
 * before the row is durable.
 *
 * No timer and no waiting for company: the first row goes out alone at once; rows that arrive while a
 * commit is in flight go together in the next one, so groups grow exactly as fast as callers outpace the
 * database. Every write goes through the registrar's write queue, like any other write.
 *
 * The statement is atomic, so a failure stores none of the group; then every row of the group is
 * written again on its own, and each caller gets its own row's answer (one caller's index clash or
 * duplicate registration never fails another's issuance).
 */
export class IssuanceGroupCommit {
  readonly #db: SqlExecutor;
  readonly #queue: SerialQueue;
  #pending: Waiting[] = [];
  #draining = false;

  constructor(db: SqlExecutor, queue: SerialQueue) {
    this.#db = db;
    this.#queue = queue;
  }

  /** Store `row`; resolves once it is committed, rejects with the database's error for this row. */
  store(row: CredentialRow): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ row, resolve, reject });
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#pending.length > 0) {
        const group = this.#pending.splice(0, MAX_GROUP_ROWS);
        await this.#queue.run(() => this.#write(group));
      }
    } finally {
      this.#draining = false;
    }
  }

  async #write(group: Waiting[]): Promise<void> {
    if (group.length > 1) {
      try {
        await this.#insert(group.map((w) => w.row));
        for (const w of group) w.resolve();
        return;
      } catch {
        // Nothing of the group was stored: each row alone below, so each caller learns its own outcome.
      }
    }
    for (const w of group) {
      try {
        await this.#insert([w.row]);
        w.resolve();
      } catch (e) {
        w.reject(e);
      }
    }
  }

  async #insert(rows: readonly CredentialRow[]): Promise<void> {
    await this.#db.query(INSERT + rows.map(() => ROW).join(', '), rows.flat());
  }
}
