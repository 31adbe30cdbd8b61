import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { isCradleError } from '@cradle/core';
import { claimsFromRecord, checkBirthRegistrationClaims, subjectProblems } from './claims-validation.js';
import type { ClaimProblem } from './claims-validation.js';
import type { Actor } from './audit-log.js';
import type { CredentialFormat } from './credential-payloads.js';
import { CustodialKeystore } from './custodial-keystore.js';
import { issueCredential } from './issue-credential.js';
import { registrationHolder, registrationKey, registrationOfClaims } from './registration-lookup.js';
import { isRegistrationHeld } from './registration-holder.js';
import type { RegistrarRuntime } from './registrar-runtime.js';
import { uniqueViolationTable } from './storage/registrar-store.js';

/** Options of `registrar.issueBatch`. */
export interface BatchOptions {
  /** A `.csv` file (header row; a `childDid` column plus the claim columns) or a `.jsonl` file. */
  input: string;
  /** Called after every row (issued, rejected or skipped). */
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
}

/** Progress of a batch. */
export interface BatchProgress {
  /** Rows handled so far, including rows done by an earlier, interrupted run. */
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
  const records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, relax_column_count: false }) as Record<string, string>[];
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

/** The credential already issued (and not revoked) for a registration identity, if any: by a batch, else one at a time. */
async function issuedFor(rt: RegistrarRuntime, key: string): Promise<{ id: string; subject: string } | undefined> {
  const rows = (await rt.db.query('SELECT "id", "subject" FROM "cradle_credential" WHERE "row_key" = ? AND "revoked_at" IS NULL', [key])) as {
    id: string;
    subject: string;
  }[];
  if (rows[0] !== undefined) return rows[0];
  const holder = await registrationHolder(rt.db, key);
  return holder === undefined ? undefined : { id: holder.credentialId, subject: holder.subject };
}

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
 * `assignDids`). Each row is issued in its own transaction, so a crash loses nothing and a rerun resumes.
 *
 * Children's DIDs come from the file (`childDid` column): the registrar never creates or holds child
 * keys unless `assignDids` asks for the custodial keystore.
 */
export async function runBatch(rt: RegistrarRuntime, opts: BatchOptions): Promise<BatchReport> {
  rt.identity();
  const custody = opts.assignDids ? await CustodialKeystore.open(join(dirname(rt.config.databasePath), 'custody.sqlite'), rt.config.secret ?? '') : undefined;
  try {
    return await batchRows(rt, opts, custody);
  } finally {
    await custody?.close();
  }
}

/** What became of one row: its credential (issued now or found issued before), or why it was rejected. */
type RowOutcome = { credential: BatchReport['credentials'][number] } | { rejected: ClaimProblem[] };

async function batchRows(rt: RegistrarRuntime, opts: BatchOptions, custody: CustodialKeystore | undefined): Promise<BatchReport> {
  const bytes = await readFile(opts.input);
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
  const credentials: BatchReport['credentials'] = [];
  const rejections: BatchRejection[] = [];
  let rejected = 0;
  for (const input of rows) {
    const outcome = await batchRow(rt, opts, custody, batchId, input);
    if ('credential' in outcome) credentials.push(outcome.credential);
    else {
      for (const p of outcome.rejected) rejections.push({ row: input.row, field: p.field, message: p.message });
      rejected += 1;
    }
    opts.onProgress?.({ done: input.row, total, issued: credentials.length, rejected });
  }
  await rt.queue.run(() => rt.db.query('UPDATE "cradle_batch" SET "completed_at" = ? WHERE "id" = ?', [nowIso(), batchId]));
  const alreadyIssued = credentials.filter((c) => c.alreadyIssued).length;
  return { batchId, input: opts.input, total, issued: credentials.length, newlyIssued: credentials.length - alreadyIssued, rejected, resumedFrom: alreadyIssued, credentials, rejections };
}

/**
 * One row: its claims checked; reported with its credential when its registration has one already (any
 * run, any file); else its child's DID (from the file, or assigned in custody), then issued, or rejected
 * with every problem recorded.
 */
async function batchRow(rt: RegistrarRuntime, opts: BatchOptions, custody: CustodialKeystore | undefined, batchId: string, input: InputRow): Promise<RowOutcome> {
  const { claims, problems } = checkedClaims(rt, input);
  const key = claims === undefined ? undefined : registrationKey(claims);
  const fileGaveDid = !(input.subject === undefined || input.subject === '');
  const existing = key === undefined ? undefined : await issuedFor(rt, key);
  // Issued before (any run, any file): report it, issue nothing.
  if (existing !== undefined) return { credential: { row: input.row, id: existing.id, subject: existing.subject, assignedDid: !fileGaveDid, alreadyIssued: true } };
  const unparseable = input.problems.some((p) => p.field === 'line');
  if (!fileGaveDid) {
    if (custody === undefined) {
      if (!unparseable) problems.unshift({ field: 'childDid', message: "is empty: fill in the child's DID, or pass --assign-dids (assignDids) to create one in the custodial keystore" });
    } else if (problems.length === 0 && key !== undefined) {
      // Only rows that will be issued get a key, so rejected rows leave nothing in custody; the alias is
      // the registration, so a corrected or resumed file gives the same child the same DID.
      input.subject = await custody.childDid(`registration:${key}`);
      input.assigned = true;
    }
  } else {
    problems.unshift(...subjectProblems(input.subject, 'childDid'));
  }
  if (claims !== undefined && key !== undefined && problems.length === 0) return issueRow(rt, opts, batchId, input, claims, key, fileGaveDid);
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
async function issueRow(rt: RegistrarRuntime, opts: BatchOptions, batchId: string, input: InputRow, claims: Record<string, unknown>, key: string, fileGaveDid: boolean): Promise<RowOutcome> {
  try {
    const issued = await issueCredential(rt, {
      type: 'BirthRegistrationCredential',
      subject: input.subject as string,
      claims,
      format: opts.format ?? 'vc+jwt',
      batch: { id: batchId, row: input.row },
      rowKey: key,
      ...(registrationOfClaims(claims) === undefined ? {} : { registration: registrationOfClaims(claims)! }),
      ...(opts.actor === undefined ? {} : { actor: opts.actor }),
    });
    return { credential: { row: input.row, id: issued.id, subject: issued.subject, assignedDid: input.assigned === true, alreadyIssued: false } };
  } catch (e) {
    // Another process issued this registration between our check and our insert.
    if (uniqueViolationTable(e) !== 'cradle_credential' && !isRegistrationHeld(e)) throw e;
    const winner = await issuedFor(rt, key);
    if (winner === undefined) throw e;
    return { credential: { row: input.row, id: winner.id, subject: winner.subject, assignedDid: !fileGaveDid, alreadyIssued: true } };
  }
}

/** The row's problems, and the batch's progress, in one transaction. */
async function recordRejection(rt: RegistrarRuntime, batchId: string, row: number, problems: readonly ClaimProblem[]): Promise<void> {
  await rt.queue.run(() =>
    rt.db.write(async (tx) => {
      for (const p of problems) {
        await tx.query('INSERT INTO "cradle_batch_rejection" ("batch_id", "row", "field", "message") VALUES (?, ?, ?, ?)', [batchId, row, p.field, p.message]);
      }
      await tx.query('UPDATE "cradle_batch" SET "last_row" = CASE WHEN "last_row" > ? THEN "last_row" ELSE ? END, "rejected" = "rejected" + 1, "updated_at" = ? WHERE "id" = ?', [
        row,
        row,
        new Date(rt.config.now()).toISOString(),
        batchId,
      ]);
    }),
  );
}
