import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { isCradleError } from '@cradle/core';
import { claimsFromRecord, checkBirthRegistrationClaims, subjectProblems } from './claims-validation.js';
import type { ClaimProblem } from './claims-validation.js';
import type { CredentialFormat } from './credential-payloads.js';
import { CustodialKeystore } from './custodial-keystore.js';
import { issueCredential } from './issue-credential.js';
import type { RegistrarRuntime } from './registrar-runtime.js';
import { writeTransaction } from './sqlite-busy.js';

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
  /** sha256 of the input file: the same file resumes the same batch. */
  batchId: string;
  input: string;
  total: number;
  /** Issued over all runs of this batch. */
  issued: number;
  /** Rejected over all runs. */
  rejected: number;
  /** Rows skipped because an earlier run had completed them. */
  resumedFrom: number;
  /** Credentials issued by this batch (all runs), by row. */
  credentials: { row: number; id: string; subject: string; assignedDid: boolean }[];
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

/**
 * Issue a birth-registration credential per row of a CSV / JSON-lines file. Rejected rows (bad claims,
 * missing `childDid`) are recorded with row, field and message while the good rows still issue.
 * **Resumable**: the batch is keyed by the file's sha256, and each row is issued in its own transaction
 * that also advances `last_row`; a rerun after a crash skips the rows already done, so no credential is
 * issued twice and no status index is reused.
 *
 * Children's DIDs come from the file (`childDid` column): the registrar never creates or holds child
 * keys. Families or custodial NGOs create them in a wallet (`cradle wallet create-did`).
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

async function batchRows(rt: RegistrarRuntime, opts: BatchOptions, custody: CustodialKeystore | undefined): Promise<BatchReport> {
  const bytes = await readFile(opts.input);
  const batchId = createHash('sha256').update(bytes).digest('hex');
  const rows = parseRows(bytes.toString('utf8'), opts.input);
  const nowIso = () => rt.config.now().toISOString();
  await rt.queue.run(() =>
    rt.db.query('INSERT INTO "cradle_batch" ("id", "path", "last_row", "started_at", "updated_at") VALUES (?, ?, 0, ?, ?) ON CONFLICT("id") DO NOTHING', [
      batchId,
      opts.input,
      nowIso(),
      nowIso(),
    ]),
  );
  const state = ((await rt.db.query('SELECT "last_row", "issued", "rejected" FROM "cradle_batch" WHERE "id" = ?', [batchId])) as {
    last_row: number;
    issued: number;
    rejected: number;
  }[])[0]!;
  const resumedFrom = state.last_row;
  let issued = state.issued;
  let rejected = state.rejected;
  const total = rows.length;
  for (const input of rows) {
    if (input.row <= resumedFrom) continue;
    let problems: ClaimProblem[] = [...input.problems];
    let claims: Record<string, unknown> | undefined;
    if (problems.length === 0) {
      try {
        claims = checkBirthRegistrationClaims(input.claims, rt.config.now());
      } catch (e) {
        if (!isCradleError(e, 'INVALID_CLAIMS')) throw e;
        problems = (e.details?.errors as ClaimProblem[] | undefined) ?? [{ field: 'claims', message: e.message }];
      }
    }
    const unparseable = input.problems.some((p) => p.field === 'line');
    if (input.subject === undefined || input.subject === '') {
      if (custody === undefined) {
        if (!unparseable) problems.unshift({ field: 'childDid', message: "is empty: fill in the child's DID, or pass --assign-dids (assignDids) to create one in the custodial keystore" });
      } else if (problems.length === 0) {
        // Only rows that will be issued get a key, so rejected rows leave nothing in custody.
        input.subject = await custody.childDid(`batch:${batchId}:${input.row}`);
        input.assigned = true;
      }
    } else {
      problems.unshift(...subjectProblems(input.subject, 'childDid'));
    }
    if (claims !== undefined && problems.length === 0) {
      await issueCredential(rt, {
        type: 'BirthRegistrationCredential',
        subject: input.subject as string,
        claims,
        format: opts.format ?? 'vc+jwt',
        batch: { id: batchId, row: input.row },
      });
      issued += 1;
    } else {
      await rt.queue.run(() =>
        writeTransaction(rt.db, async (tx) => {
          for (const p of problems) {
            await tx.query('INSERT INTO "cradle_batch_rejection" ("batch_id", "row", "field", "message") VALUES (?, ?, ?, ?)', [batchId, input.row, p.field, p.message]);
          }
          await tx.query('UPDATE "cradle_batch" SET "last_row" = ?, "rejected" = "rejected" + 1, "updated_at" = ? WHERE "id" = ?', [input.row, nowIso(), batchId]);
        }),
      );
      rejected += 1;
    }
    opts.onProgress?.({ done: input.row, total, issued, rejected });
  }
  await rt.queue.run(() => rt.db.query('UPDATE "cradle_batch" SET "completed_at" = COALESCE("completed_at", ?) WHERE "id" = ?', [nowIso(), batchId]));
  // A row's DID was assigned when the file left it empty (this run or an earlier, interrupted one).
  const assignedRows = new Set(rows.filter((r) => r.assigned === true || r.subject === undefined || r.subject === '').map((r) => r.row));
  const credentials = (
    (await rt.db.query('SELECT "batch_row" AS "row", "id", "subject" FROM "cradle_credential" WHERE "batch_id" = ? ORDER BY "batch_row"', [batchId])) as {
      row: number;
      id: string;
      subject: string;
    }[]
  ).map((c) => ({ ...c, assignedDid: assignedRows.has(c.row) }));
  const rejections = (await rt.db.query('SELECT "row", "field", "message" FROM "cradle_batch_rejection" WHERE "batch_id" = ? ORDER BY "row", "rowid"', [
    batchId,
  ])) as BatchRejection[];
  return { batchId, input: opts.input, total, issued, rejected, resumedFrom, credentials, rejections };
}
