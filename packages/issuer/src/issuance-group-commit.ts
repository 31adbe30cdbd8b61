import { registrationHolders } from './registration-lookup.js';
import type { RegistrationHolder } from './registration-lookup.js';
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
const ID = CREDENTIAL_COLUMNS.indexOf('id');
const SUBJECT = CREDENTIAL_COLUMNS.indexOf('subject');
const REGISTRATION_KEY = CREDENTIAL_COLUMNS.indexOf('registration_key');
const REGISTRATION_DUPLICATE = CREDENTIAL_COLUMNS.indexOf('registration_duplicate');

/** Most rows one INSERT carries (20 parameters each, 2,560 at most: far below SQLite's 32,766 and PostgreSQL's 65,535). */
export const MAX_GROUP_ROWS = 128;

/**
 * What a birth credential's row does when another child's live credential holds its registration
 * (`registration-holder.ts`): `warn` stores it marked as a known duplicate, `refuse` does not store it.
 */
export type RegistrationPolicy = 'warn' | 'refuse';

/** How a row is stored: see {@link IssuanceGroupCommit.store}. */
export interface StoreOptions {
  /** The row's registration is taken under this policy (a birth credential with a registration). */
  registration?: RegistrationPolicy;
  /** The signing key (Veramo kid) the row's credential was signed with, checked against `currentSigningKey`. */
  signedWith?: string;
}

/**
 * What became of a stored row: stored (as a known duplicate of `duplicateOf` when another child held its
 * registration under `warn`), or not stored: `heldBy` holds its registration (`refuse`), or its signing key
 * is no longer the registrar's current one (`staleKey`: sign it again).
 */
export type StoreOutcome =
  | { stored: true; duplicateOf?: RegistrationHolder }
  | { stored: false; heldBy: RegistrationHolder; staleKey?: undefined }
  | { stored: false; staleKey: true; heldBy?: undefined };

/** Options of {@link IssuanceGroupCommit}. */
export interface GroupCommitOptions {
  /**
   * The registrar's signing key as stored now (Veramo kid), read once per group before its INSERT: a row
   * signed with another key (rotated by another replica or process meanwhile) is not stored.
   */
  currentSigningKey?: () => Promise<string>;
}

interface Waiting {
  row: CredentialRow;
  opts: StoreOptions;
  resolve: (outcome: StoreOutcome) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for issuance: credentials signed by concurrent callers are stored by **one INSERT
 * statement** (one transaction, one commit) instead of one each. A caller's promise settles only after
 * the statement that carries its row has returned, i.e. after the commit: success is never reported
 * before the row is durable.
 *
 * No timer and no waiting for company: the first row goes out alone at once; rows that arrive while a
 * commit is in flight go together in the next ones, so groups grow exactly as fast as callers outpace the
 * database. Every write goes through the registrar's write queue, like any other write.
 *
 * When more than {@link SPLIT_ABOVE} rows wait, a group takes **half of them** (rounded up, at most
 * {@link MAX_GROUP_ROWS}); the rest go in the next commit, which starts when this one ends. Why: signing
 * never yields to the event loop, so a commit's completion is handled only after every caller released by
 * the previous one has signed. Had a group taken every waiting row, 32 callers settled into groups of 1
 * and 31 (measured): while the 31 commit, one caller signs; while the 31 sign, the database idles. With
 * halves, the callers of one commit sign while the other half commits: signing (the main thread) and
 * writing (SQLite's thread, or the PostgreSQL server) overlap. Up to {@link SPLIT_ABOVE} rows go whole:
 * splitting them would save little and cost a commit.
 *
 * Rows stored with a {@link RegistrationPolicy} have their registration's holder looked up at write time,
 * **one SELECT for the whole group** (not one per issuance): a registration held by another child makes
 * the row a known duplicate (`warn`) or keeps it out of the INSERT (`refuse`); within a group, the first
 * row of a free registration takes it for the rows after it. The database's trigger still has the last
 * word (another process may take the registration between the look and the INSERT).
 *
 * With `currentSigningKey`, the registrar's signing key is read once per group too, before the INSERT:
 * a row signed with a key another replica or process has rotated out meanwhile is not stored
 * (`staleKey`), and its caller signs it again with the current key. So an issuance needs no read of its
 * own before signing, and no credential signed with a rotated-out key is stored after the rotation was
 * seen.
 *
 * The statement is atomic, so a failure stores none of the group; then every row of the group is
 * written again on its own (holder looked up again), and each caller gets its own row's answer (one
 * caller's index clash or duplicate registration never fails another's issuance).
 */
export class IssuanceGroupCommit {
  readonly #db: SqlExecutor;
  readonly #queue: SerialQueue;
  readonly #currentSigningKey: (() => Promise<string>) | undefined;
  #pending: Waiting[] = [];
  #draining = false;

  constructor(db: SqlExecutor, queue: SerialQueue, opts: GroupCommitOptions = {}) {
    this.#db = db;
    this.#queue = queue;
    this.#currentSigningKey = opts.currentSigningKey;
  }

  /**
   * Store `row`; resolves once it is committed (or once it is known that it is not stored: see
   * {@link StoreOutcome}), rejects with the database's error for this row.
   */
  store(row: CredentialRow, opts: StoreOptions = {}): Promise<StoreOutcome> {
    return new Promise<StoreOutcome>((resolve, reject) => {
      this.#pending.push({ row, opts, resolve, reject });
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#pending.length > 0) {
        const group = this.#pending.splice(0, groupSize(this.#pending.length));
        await this.#queue.run(() => this.#write(group));
      }
    } finally {
      this.#draining = false;
    }
  }

  async #write(group: Waiting[]): Promise<void> {
    if (group.length > 1) {
      try {
        const outcomes = await this.#insert(group);
        group.forEach((w, i) => w.resolve(outcomes[i]!));
        return;
      } catch {
        // Nothing of the group was stored: each row alone below, so each caller learns its own outcome.
      }
    }
    for (const w of group) {
      try {
        const [outcome] = await this.#insert([w]);
        w.resolve(outcome!);
      } catch (e) {
        w.reject(e);
      }
    }
  }

  /** One INSERT of the rows of `group` that are to be stored; the outcome of each. */
  async #insert(group: readonly Waiting[]): Promise<StoreOutcome[]> {
    const keys = [...new Set(group.flatMap((w) => (policyOf(w) === undefined ? [] : [w.row[REGISTRATION_KEY] as string])))];
    // Both reads at once: one round trip's wait before the INSERT, not two.
    const [signingKey, holders] = await Promise.all([
      group.some((w) => w.opts.signedWith !== undefined) ? this.#currentSigningKey?.() : undefined,
      registrationHolders(this.#db, keys),
    ]);
    const rows: CredentialRow[] = [];
    const outcomes = group.map((w): StoreOutcome => {
      if (signingKey !== undefined && w.opts.signedWith !== undefined && w.opts.signedWith !== signingKey) return { stored: false, staleKey: true };
      const policy = policyOf(w);
      if (policy === undefined) {
        rows.push(w.row);
        return { stored: true };
      }
      const key = w.row[REGISTRATION_KEY] as string;
      const holder = holders.get(key);
      if (holder === undefined || holder.subject === w.row[SUBJECT]) {
        // Free (this row takes it, for the rows after it in the group too) or held by the same child.
        if (holder === undefined) holders.set(key, { credentialId: w.row[ID] as string, subject: w.row[SUBJECT] as string });
        rows.push(w.row);
        return { stored: true };
      }
      if (policy === 'refuse') return { stored: false, heldBy: holder };
      rows.push(w.row.map((v, i) => (i === REGISTRATION_DUPLICATE ? 1 : v)));
      return { stored: true, duplicateOf: holder };
    });
    if (rows.length > 0) await this.#db.query(INSERT + rows.map(() => ROW).join(', '), rows.flat());
    return outcomes;
  }
}

/** Up to this many waiting rows go in one group; more are split in halves (see {@link IssuanceGroupCommit}). */
export const SPLIT_ABOVE = 16;

/** Rows the next group takes when `waiting` rows wait: all of at most {@link SPLIT_ABOVE}, else half (rounded up), at most {@link MAX_GROUP_ROWS}. */
export function groupSize(waiting: number): number {
  return Math.min(waiting <= SPLIT_ABOVE ? waiting : Math.ceil(waiting / 2), MAX_GROUP_ROWS);
}

/** The row's registration policy; none for a row without a registration (only a birth credential has one). */
function policyOf(w: Waiting): RegistrationPolicy | undefined {
  return typeof w.row[REGISTRATION_KEY] === 'string' ? w.opts.registration : undefined;
}
