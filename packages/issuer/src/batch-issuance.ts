import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { CradleError, displayText, isCradleError } from '@cradle/core';
import { claimsFromRecord, checkBirthRegistrationClaims, subjectProblems } from './claims-validation.js';
import type { ClaimProblem } from './claims-validation.js';
import type { Actor } from './audit-log.js';
import type { CredentialFormat } from './credential-payloads.js';
import { CustodialKeystore } from './custodial-keystore.js';
import { issueCredential } from './issue-credential.js';
import { registrationHolders, registrationKey, registrationOfClaims } from './registration-lookup.js';
import { isRegistrationHeld } from './registration-holder.js';
import type { RegistrarRuntime } from './registrar-runtime.js';
import { SerialQueue } from './serial-queue.js';
import { uniqueViolationTable } from './storage/registrar-store.js';

/** Options of `registrar.issueBatch`. */
export interface BatchOptions {
  /** A `.csv` file (header row; a `childDid` column plus the claim columns) or a `.jsonl` file. */
  input: string;
  /**
   * Called after every row (issued, rejected or skipped), in row order: row `done` is reported once it
   * and every row before it are done (a credential is done once committed) and recorded in the batch's
   * progress, which is written every 128 rows and at the end (so calls come in bursts).
   */
  onProgress?: (p: BatchProgress) => void;
  format?: CredentialFormat;
  /**
   * Rows without a `childDid` get a fresh did:key from the separate custodial keystore
   * (`<home>/custody.sqlite`, see {@link CustodialKeystore}); reported in `credentials[].assignedDid`.
   * Off by default: the registrar does not create or hold children's keys unless asked to.
   */
  assignDids?: boolean;
  /** Who runs the batch (the audit log's "who" of each issuance; default `library`). */
  actor?: Actor;
  /**
   * Rows in flight at once (default {@link BATCH_CONCURRENCY}, at most {@link MAX_BATCH_CONCURRENCY}):
   * their credentials are signed while earlier ones commit, and share commits. 1 issues row by row.
   */
  concurrency?: number;
}

/** Progress of a batch. */
export interface BatchProgress {
  /** Rows handled so far (every row up to this one), including rows done by an earlier, interrupted run. */
  done: number;
  total: number;
  issued: number;
  rejected: number;
}

/** A row that was not issued, and why. `row` counts data rows from 1 (the CSV header is not a row). */
export interface BatchRejection {
  row: number;
  field: string;
  message: string;
}

/** The result of a batch. */
export interface BatchReport {
  /** sha256 of the input file (for the audit trail in `cradle_batch`). */
  batchId: string;
  input: string;
  total: number;
  /** Rows of this file that have a credential now: issued by this run or found issued before. */
  issued: number;
  /** Rows issued by this run. */
  newlyIssued: number;
  /** Rows rejected by this run (listed in `rejections`). A run with rejections exits non-zero in the CLI. */
  rejected: number;
  /** Rows whose registration already had a credential before this run (from any run of any file). */
  resumedFrom: number;
  /** The credential of every row that has one, by row; `alreadyIssued` when it was issued before this run. */
  credentials: { row: number; id: string; subject: string; assignedDid: boolean; alreadyIssued: boolean }[];
  /** This run's rejections (one per broken field). */
  rejections: BatchRejection[];
}

interface InputRow {
  row: number;
  assigned?: boolean;
  subject: unknown;
  claims: unknown;
  problems: ClaimProblem[];
}

const SUBJECT_COLUMNS = ['childDid', 'subject', 'id'];

/** What a batch input should be, for the errors that say it was not. */
const INPUT_HINT = 'a .csv file whose first row names the columns (childDid and the claim columns, as examples/data/children.csv) or a .jsonl file';

/** The bytes of the batch input file; a file that cannot be read is INVALID_ARGUMENT naming it and why. */
async function readBatchInput(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? 'unreadable');
    throw new CradleError('INVALID_ARGUMENT', `Cannot read the batch input ${displayText(path, { maxLength: 300 })}: ${why}. Give ${INPUT_HINT}.`, { cause, details: { field: 'input' } });
  }
}

function parseRows(text: string, path: string): InputRow[] {
  if (/\.jsonl$|\.ndjson$/i.test(path)) {
    const rows: InputRow[] = [];
    text.split(/\r?\n/).forEach((line) => {
      if (line.trim() === '') return;
      const row = rows.length + 1;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        rows.push({ row, subject: undefined, claims: undefined, problems: [{ field: 'line', message: 'is not valid JSON' }] });
        return;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        rows.push({ row, subject: undefined, claims: undefined, problems: [{ field: 'line', message: 'must be a JSON object' }] });
        return;
      }
      const obj = value as Record<string, unknown>;
      const subject = obj.childDid ?? obj.subject;
      if (typeof obj.claims === 'object' && obj.claims !== null) rows.push({ row, subject, claims: obj.claims, problems: [] });
      else rows.push(fromFlat(row, obj));
    });
    return rows;
  }
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, relax_column_count: false }) as Record<string, string>[];
  } catch (cause) {
    // csv-parse says where (e.g. "Invalid Record Length: columns length is 14, got 3 on line 2"); nothing was issued.
    const why = displayText(cause instanceof Error ? cause.message : String(cause), { maxLength: 300 });
    throw new CradleError('INVALID_ARGUMENT', `The batch input ${displayText(path, { maxLength: 300 })} is not a CSV file a batch can read (${why}): nothing was issued. Give ${INPUT_HINT}.`, {
      cause,
      details: { field: 'input' },
    });
  }
  return records.map((rec, i) => fromFlat(i + 1, rec));
}

function fromFlat(row: number, rec: Record<string, unknown>): InputRow {
  const subjectKey = SUBJECT_COLUMNS.find((k) => rec[k] !== undefined && rec[k] !== '');
  const subject = subjectKey === undefined ? undefined : rec[subjectKey];
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec)) {
    if (SUBJECT_COLUMNS.includes(k)) continue;
    if (v === undefined || v === null) continue;
    flat[k] = String(v);
  }
  try {
    return { row, subject, claims: claimsFromRecord(flat), problems: [] };
  } catch (e) {
    const details = isCradleError(e) ? (e.details?.errors as ClaimProblem[] | undefined) : undefined;
    return { row, subject, claims: undefined, problems: details ?? [{ field: 'row', message: (e as Error).message }] };
  }
}

/** A credential already issued (and not revoked) for a registration: by a batch, or one at a time. */
type Issued = { id: string; subject: string };

/** The credential already issued for each of registration `keys` (one statement for each kind), by key. */
async function issuedForKeys(rt: RegistrarRuntime, keys: readonly string[]): Promise<Map<string, Issued>> {
  const found = new Map<string, Issued>();
  if (keys.length === 0) return found;
  const rows = await rt.db.query<{ row_key: string; id: string; subject: string }>(
    `SELECT "row_key", "id", "subject" FROM "cradle_credential" WHERE "row_key" IN (${keys.map(() => '?').join(', ')}) AND "revoked_at" IS NULL`,
    keys,
  );
  for (const r of rows) found.set(r.row_key, { id: r.id, subject: r.subject });
  const held = await registrationHolders(rt.db, keys.filter((k) => !found.has(k)));
  for (const [key, holder] of held) found.set(key, { id: holder.credentialId, subject: holder.subject });
  return found;
}

/** The credential already issued (and not revoked) for a registration identity, if any. */
async function issuedFor(rt: RegistrarRuntime, key: string): Promise<Issued | undefined> {
  return (await issuedForKeys(rt, [key])).get(key);
}

/** Rows a batch has in flight by default: signed at the same time, so that their commits group. */
export const BATCH_CONCURRENCY = 32;

/** Rows whose registrations are looked up together, before their rows start. */
const LOOKUP_CHUNK = 256;

/**
 * Issue a birth-registration credential per row of a CSV / JSON-lines file. Rejected rows (bad claims,
 * missing `childDid`) are reported with row, field and message while the good rows still issue.
 *
 * **A row's identity decides whether it was issued**, not the file: the registering office + registration
 * number ({@link registrationKey}) is stored with the credential under a UNIQUE index (among credentials
 * not revoked). A row whose registration already has a credential (from an earlier run, a corrected copy
 * of the file, another file, a run going on at the same time in another process, or one issued on its
 * own: the registration's holder, `registration-holder.ts`) is reported with
 * that credential and not issued again; a rejected row is tried again on the next run (e.g. with
 * `assignDids`). Two rows of one file with the same registration are handled one after the other, as if
 * the file were run row by row: the later one reports the earlier one's credential.
 *
 * **Pipelined**: up to `concurrency` rows (default {@link BATCH_CONCURRENCY}) are in flight at once, so
 * their credentials are signed while earlier ones commit and share commits (`IssuanceGroupCommit`, the
 * same write path as concurrent callers). Each credential is stored in one transaction with its batch row
 * number; a row counts as done only once that transaction has committed (or its rejection has), and
 * `onProgress`, `cradle_batch.last_row` and the report follow the rows' order: `last_row` is the
 * contiguous prefix of done rows, never a row with an undone row before it. A crash loses nothing
 * reported and a rerun resumes: every row is looked up by its registration again.
 *
 * Children's DIDs come from the file (`childDid` column): the registrar never creates or holds child
 * keys unless `assignDids` asks for the custodial keystore.
 */
export async function runBatch(rt: RegistrarRuntime, opts: BatchOptions): Promise<BatchReport> {
  const concurrency = opts.concurrency ?? BATCH_CONCURRENCY;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > MAX_BATCH_CONCURRENCY) {
    throw new CradleError('INVALID_ARGUMENT', `concurrency must be a whole number of rows from 1 to ${MAX_BATCH_CONCURRENCY} (got ${String(concurrency)}); 1 issues row by row.`, {
      details: { field: 'concurrency' },
    });
  }
  rt.identity();
  const custody = opts.assignDids ? await CustodialKeystore.open(join(dirname(rt.config.databasePath), 'custody.sqlite'), rt.config.secret ?? '') : undefined;
  try {
    return await batchRows(rt, opts, concurrency, custody === undefined ? undefined : { keystore: custody, queue: new SerialQueue() });
  } finally {
    await custody?.close();
  }
}

/** Most rows in flight a batch accepts (more would only hold more signed credentials in memory). */
export const MAX_BATCH_CONCURRENCY = 1024;

/** The custodial keystore, and the queue its writes go through (one key at a time: it has one connection). */
interface Custody {
  keystore: CustodialKeystore;
  queue: SerialQueue;
}

/** What became of one row: its credential (issued now or found issued before), or why it was rejected. */
type RowOutcome = { credential: BatchReport['credentials'][number] } | { rejected: ClaimProblem[] };

/** A row read from the file, its claims checked and its registration key (when the claims have one). */
interface CheckedRow {
  input: InputRow;
  claims: Record<string, unknown> | undefined;
  problems: ClaimProblem[];
  key: string | undefined;
}

async function batchRows(rt: RegistrarRuntime, opts: BatchOptions, concurrency: number, custody: Custody | undefined): Promise<BatchReport> {
  const bytes = await readBatchInput(opts.input);
  const batchId = createHash('sha256').update(bytes).digest('hex');
  const rows = parseRows(bytes.toString('utf8'), opts.input);
  const nowIso = () => new Date(rt.config.now()).toISOString();
  await rt.queue.run(() =>
    rt.db.query('INSERT INTO "cradle_batch" ("id", "path", "last_row", "started_at", "updated_at") VALUES (?, ?, 0, ?, ?) ON CONFLICT("id") DO NOTHING', [
      batchId,
      opts.input,
      nowIso(),
      nowIso(),
    ]),
  );
  const total = rows.length;
  const done = new DonePrefix(rt, batchId, total, opts.onProgress);
  const lookups = new IssuedLookups(rt, rows.map((r) => checkedRow(rt, r)));
  // The row started last for each registration: a later row with the same registration waits for it and
  // reports its credential, as if the file ran row by row (kept for the whole run: the chunk lookups may
  // predate that row's commit).
  const lastOfKey = new Map<string, Promise<RowOutcome>>();
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && !done.failed && next < total) {
      const i = next++;
      const row = lookups.row(i);
      const earlier = row.key === undefined ? undefined : lastOfKey.get(row.key);
      const before = lookups.issuedBefore(i);
      before.catch(() => undefined); // awaited below, maybe after `earlier`: not an unhandled rejection meanwhile
      const outcome = (async () => {
        const previous = earlier === undefined ? undefined : await earlier;
        return batchRow(rt, opts, custody, batchId, row, previous, await before);
      })();
      if (row.key !== undefined) lastOfKey.set(row.key, outcome);
      try {
        done.add(row.input.row, await outcome);
      } catch (e) {
        failure ??= { error: e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(total, 1)) }, worker));
  // The prefix of rows done before a failure is recorded too, then the failure is thrown.
  await done.flush();
  if (failure !== undefined) throw failure.error;
  await rt.queue.run(() => rt.db.query('UPDATE "cradle_batch" SET "completed_at" = ? WHERE "id" = ?', [nowIso(), batchId]));
  const credentials = done.outcomes.flatMap((o) => ('credential' in o ? [o.credential] : []));
  const rejections = done.outcomes.flatMap((o, i) => ('rejected' in o ? o.rejected.map((p) => ({ row: i + 1, field: p.field, message: p.message })) : []));
  const rejected = done.outcomes.filter((o) => 'rejected' in o).length;
  const alreadyIssued = credentials.filter((c) => c.alreadyIssued).length;
  return { batchId, input: opts.input, total, issued: credentials.length, newlyIssued: credentials.length - alreadyIssued, rejected, resumedFrom: alreadyIssued, credentials, rejections };
}

/** Done rows the prefix grows by before it is recorded again (and the rest when the batch ends). */
const RECORD_EVERY = 128;

/**
 * The rows done so far, and their contiguous prefix: rows complete out of order, and only the prefix is
 * recorded (`cradle_batch.last_row`) and then reported (`onProgress`, row by row in row order, once the
 * record covering the row has committed: what a caller was told is done is never ahead of the record).
 * The record is written on the write queue, one UPDATE at a time, once the prefix has grown by
 * {@link RECORD_EVERY} rows (all of its growth meanwhile in one UPDATE), and at the end: a batch adds one
 * small write per 128 rows, and its progress moves in steps of 128 rows at least.
 */
class DonePrefix {
  /** Every row's outcome once it is done, by row - 1. */
  readonly outcomes: RowOutcome[] = [];
  /** Rows 1..#prefix are done; 1..#recorded are in `last_row`; 1..#reported went to `onProgress`. */
  #prefix = 0;
  #recorded = 0;
  #reported = 0;
  #issued = 0;
  #rejected = 0;
  #recording: Promise<void> | undefined;
  #recordError: { error: unknown } | undefined;
  #flushing = false;
  readonly #rt: RegistrarRuntime;
  readonly #batchId: string;
  readonly #total: number;
  readonly #onProgress: BatchOptions['onProgress'];

  constructor(rt: RegistrarRuntime, batchId: string, total: number, onProgress: BatchOptions['onProgress']) {
    this.#rt = rt;
    this.#batchId = batchId;
    this.#total = total;
    this.#onProgress = onProgress;
  }

  /** Row `row` is done (its credential committed, or its rejection). */
  add(row: number, outcome: RowOutcome): void {
    this.outcomes[row - 1] = outcome;
    while (this.outcomes[this.#prefix] !== undefined) this.#prefix += 1;
    this.#record();
  }

  /** Set once recording (or the caller's `onProgress`) threw: no row should start any more. */
  get failed(): boolean {
    return this.#recordError !== undefined;
  }

  /** Records and reports the whole prefix as it is now (however short the step); throws what recording it threw. */
  async flush(): Promise<void> {
    this.#flushing = true;
    this.#record();
    while (this.#recording !== undefined) await this.#recording;
    if (this.#recordError !== undefined) throw this.#recordError.error;
  }

  #record(): void {
    if (this.#recording !== undefined || this.#recordError !== undefined || this.#recorded >= this.#prefix) return;
    // Every UPDATE is a commit of its own (a WAL flush on PostgreSQL) and holds the write queue, which the
    // next group's INSERT waits for: record in steps of RECORD_EVERY rows, and the rest at the end.
    if (!this.#flushing && this.#prefix - this.#recorded < RECORD_EVERY) return;
    const prefix = this.#prefix;
    const rt = this.#rt;
    // `last_row` only grows: another run of the same file may have recorded more.
    const sql = 'UPDATE "cradle_batch" SET "last_row" = ?, "updated_at" = ? WHERE "id" = ? AND "last_row" < ?';
    this.#recording = rt.queue
      .run(() => rt.db.query(sql, [prefix, new Date(rt.config.now()).toISOString(), this.#batchId, prefix]))
      .then(
        () => {
          this.#recorded = prefix;
          try {
            this.#report();
          } catch (e) {
            this.#recordError = { error: e }; // the caller's onProgress threw: the batch stops
          }
        },
        (e: unknown) => {
          this.#recordError = { error: e };
        },
      )
      .finally(() => {
        this.#recording = undefined;
        this.#record();
      });
  }

  #report(): void {
    while (this.#reported < this.#recorded) {
      const o = this.outcomes[this.#reported]!;
      this.#reported += 1;
      if ('credential' in o) this.#issued += 1;
      else this.#rejected += 1;
      this.#onProgress?.({ done: this.#reported, total: this.#total, issued: this.#issued, rejected: this.#rejected });
    }
  }
}

/**
 * The rows of a batch, checked, and the credentials their registrations had when looked up: one lookup
 * per {@link LOOKUP_CHUNK} rows (started with the chunk's first row, the next chunk's with it), instead of
 * one or two statements per row.
 */
class IssuedLookups {
  readonly #chunks = new Map<number, Promise<Map<string, Issued>>>();
  readonly #rt: RegistrarRuntime;
  readonly #rows: readonly CheckedRow[];

  constructor(rt: RegistrarRuntime, rows: readonly CheckedRow[]) {
    this.#rt = rt;
    this.#rows = rows;
  }

  row(i: number): CheckedRow {
    return this.#rows[i]!;
  }

  /** The credential row `i`'s registration had when its chunk was looked up, if any. */
  async issuedBefore(i: number): Promise<Issued | undefined> {
    const key = this.#rows[i]!.key;
    const chunk = Math.floor(i / LOOKUP_CHUNK);
    const found = this.#chunk(chunk);
    if (i % LOOKUP_CHUNK === 0) void this.#chunk(chunk + 1).catch(() => undefined);
    return key === undefined ? undefined : (await found).get(key);
  }

  #chunk(c: number): Promise<Map<string, Issued>> {
    let found = this.#chunks.get(c);
    if (found === undefined) {
      const keys = [...new Set(this.#rows.slice(c * LOOKUP_CHUNK, (c + 1) * LOOKUP_CHUNK).flatMap((r) => (r.key === undefined ? [] : [r.key])))];
      found = issuedForKeys(this.#rt, keys);
      this.#chunks.set(c, found);
      // A chunk is needed only until its rows have started: forget it then (memory stays flat).
      this.#chunks.delete(c - 2);
    }
    return found;
  }
}

/** The row's claims checked, and its registration key. */
function checkedRow(rt: RegistrarRuntime, input: InputRow): CheckedRow {
  const { claims, problems } = checkedClaims(rt, input);
  return { input, claims, problems, key: claims === undefined ? undefined : registrationKey(claims) };
}

/**
 * One row: reported with its credential when its registration has one already (any run, any file, or an
 * earlier row of this file: `earlier`, the outcome of the last row before it with the same registration);
 * else its child's DID (from the file, or assigned in custody), then issued, or rejected with every
 * problem recorded.
 */
async function batchRow(
  rt: RegistrarRuntime,
  opts: BatchOptions,
  custody: Custody | undefined,
  batchId: string,
  { input, claims, problems, key }: CheckedRow,
  earlier: RowOutcome | undefined,
  issuedBefore: Issued | undefined,
): Promise<RowOutcome> {
  const fileGaveDid = !(input.subject === undefined || input.subject === '');
  const existing = earlier !== undefined && 'credential' in earlier ? earlier.credential : issuedBefore;
  // Issued before (any run, any file, an earlier row): report it, issue nothing.
  if (existing !== undefined) return { credential: { row: input.row, id: existing.id, subject: existing.subject, assignedDid: !fileGaveDid, alreadyIssued: true } };
  const unparseable = input.problems.some((p) => p.field === 'line');
  let subject = input.subject;
  let assigned = false;
  if (!fileGaveDid) {
    if (custody === undefined) {
      if (!unparseable) problems.unshift({ field: 'childDid', message: "is empty: fill in the child's DID, or pass --assign-dids (assignDids) to create one in the custodial keystore" });
    } else if (problems.length === 0 && key !== undefined) {
      // Only rows that will be issued get a key, so rejected rows leave nothing in custody; the alias is
      // the registration, so a corrected or resumed file gives the same child the same DID.
      subject = await custody.queue.run(() => custody.keystore.childDid(`registration:${key}`));
      assigned = true;
    }
  } else {
    problems.unshift(...subjectProblems(input.subject, 'childDid'));
  }
  if (claims !== undefined && key !== undefined && problems.length === 0) return issueRow(rt, opts, batchId, input.row, subject as string, assigned, claims, key, fileGaveDid);
  const found = problems.length > 0 ? problems : [{ field: 'registrationNumber', message: 'is missing: a row needs a registration number and a registering office' }];
  await recordRejection(rt, batchId, input.row, found);
  return { rejected: found };
}

/** The row's claims as checked, or its problems (the file's own, or the claims' `INVALID_CLAIMS` errors). */
function checkedClaims(rt: RegistrarRuntime, input: InputRow): { claims: Record<string, unknown> | undefined; problems: ClaimProblem[] } {
  const problems: ClaimProblem[] = [...input.problems];
  if (problems.length > 0) return { claims: undefined, problems };
  try {
    return { claims: checkBirthRegistrationClaims(input.claims, rt.config.now), problems };
  } catch (e) {
    if (!isCradleError(e, 'INVALID_CLAIMS')) throw e;
    return { claims: undefined, problems: (e.details?.errors as ClaimProblem[] | undefined) ?? [{ field: 'claims', message: e.message }] };
  }
}

/** Issue the row's credential; when another process issued this registration first, report that one. */
async function issueRow(
  rt: RegistrarRuntime,
  opts: BatchOptions,
  batchId: string,
  row: number,
  subject: string,
  assigned: boolean,
  claims: Record<string, unknown>,
  key: string,
  fileGaveDid: boolean,
): Promise<RowOutcome> {
  try {
    const issued = await issueCredential(rt, {
      type: 'BirthRegistrationCredential',
      subject,
      claims,
      format: opts.format ?? 'vc+jwt',
      batch: { id: batchId, row },
      rowKey: key,
      ...(registrationOfClaims(claims) === undefined ? {} : { registration: registrationOfClaims(claims)! }),
      ...(opts.actor === undefined ? {} : { actor: opts.actor }),
    });
    return { credential: { row, id: issued.id, subject: issued.subject, assignedDid: assigned, alreadyIssued: false } };
  } catch (e) {
    // Another process issued this registration between our check and our insert.
    if (uniqueViolationTable(e) !== 'cradle_credential' && !isRegistrationHeld(e)) throw e;
    const winner = await issuedFor(rt, key);
    if (winner === undefined) throw e;
    return { credential: { row, id: winner.id, subject: winner.subject, assignedDid: !fileGaveDid, alreadyIssued: true } };
  }
}

/** The row's problems, and the batch's count of rejections, in one transaction (the row is done once it commits). */
async function recordRejection(rt: RegistrarRuntime, batchId: string, row: number, problems: readonly ClaimProblem[]): Promise<void> {
  await rt.queue.run(() =>
    rt.db.write(async (tx) => {
      for (const p of problems) {
        await tx.query('INSERT INTO "cradle_batch_rejection" ("batch_id", "row", "field", "message") VALUES (?, ?, ?, ?)', [batchId, row, p.field, p.message]);
      }
      await tx.query('UPDATE "cradle_batch" SET "rejected" = "rejected" + 1, "updated_at" = ? WHERE "id" = ?', [new Date(rt.config.now()).toISOString(), batchId]);
    }),
  );
}
