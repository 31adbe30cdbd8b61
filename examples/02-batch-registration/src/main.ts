/**
 * Example 02: batch registration from a CSV file.
 *
 * `registrar.issueBatch` issues one birth-registration credential per row of examples/data/children.csv
 * (120 fictional children), with progress output. The same call on children-with-errors.csv shows the
 * per-row report: the good rows are issued, each bad row is rejected with its row number and field.
 * Batches are keyed by the file's sha256, so running the same file again resumes instead of re-issuing.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistrar } from '@cradle/issuer';
import type { BatchProgress } from '@cradle/issuer';
import { startDevChain } from '@cradle/ledger/devchain';

const failures: string[] = [];
function check(what: string, ok: boolean, detail = ''): void {
  console.log(`  ${ok ? '✓' : '✗'} ${what}${detail === '' ? '' : ` (${detail})`}`);
  if (!ok) failures.push(what);
}

const data = (file: string): string => fileURLToPath(new URL(`../../data/${file}`, import.meta.url));

/** A one-line progress bar, redrawn in place on a terminal and printed every 20 rows otherwise. */
function progress(label: string): (p: BatchProgress) => void {
  return (p) => {
    const width = 30;
    const filled = Math.round((p.done / Math.max(1, p.total)) * width);
    const line = `   ${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} issued ${p.issued}, rejected ${p.rejected}`;
    if (process.stdout.isTTY) process.stdout.write(`\r${line}${p.done === p.total ? '\n' : ''}`);
    else if (p.done % 20 === 0 || p.done === p.total) console.log(line);
  };
}

// The fields each bad row of children-with-errors.csv breaks (see examples/data/README.md).
const EXPECTED: Record<number, string[]> = {
  4: ['givenName'],
  5: ['placeOfBirth.country'],
  6: ['birthDate', 'registrationDate'],
  7: ['registrationDate'],
  8: ['sex'],
  9: ['parents[0].reference'],
  10: ['birthDate'],
};

const work = await mkdtemp(join(tmpdir(), 'cradle-example-02-'));
const secret = randomBytes(24).toString('base64url');
const chain = await startDevChain({ port: 0 });
const registrar = await createRegistrar({ home: join(work, 'registrar'), secret, ledger: chain.config, baseUrl: 'https://registry.ngo.example' });

try {
  const { did } = await registrar.init();
  console.log(`1. Registrar ${did} on local chain ${chain.config.chainId}`);

  // The childDid column is empty in the sample files: `assignDids` gives each child a fresh did:key held
  // in a separate custodial keystore (<home>/custody.sqlite) until the family takes it over.
  console.log('2. Issue examples/data/children.csv');
  const t = performance.now();
  const report = await registrar.issueBatch({ input: data('children.csv'), assignDids: true, onProgress: progress('children.csv') });
  const ms = performance.now() - t;
  console.log(`   ${report.issued} issued, ${report.rejected} rejected in ${(ms / 1000).toFixed(2)} s (${(ms / Math.max(1, report.issued)).toFixed(1)} ms per credential)`);
  console.log(`   batch id ${report.batchId.slice(0, 16)}…; first: row ${report.credentials[0]?.row} -> ${report.credentials[0]?.id} for ${report.credentials[0]?.subject}`);
  check('all 120 children issued', report.total === 120 && report.issued === 120 && report.rejected === 0);
  check('every child got its own DID', new Set(report.credentials.map((c) => c.subject)).size === 120);

  console.log('3. Run the same file again (e.g. after a crash): every registration already has its credential, nothing is issued twice');
  const again = await registrar.issueBatch({ input: data('children.csv'), assignDids: true });
  console.log(`   ${again.resumedFrom} rows already had a credential, ${again.newlyIssued} issued now; ${again.issued} in all`);
  check('a rerun issues nothing new', again.issued === 120 && again.newlyIssued === 0 && (await registrar.list({ limit: 500 })).length === 120);

  console.log('4. Issue examples/data/children-with-errors.csv');
  const bad = await registrar.issueBatch({ input: data('children-with-errors.csv'), assignDids: true, onProgress: progress('with errors') });
  // Rows 1-3 are registrations of children.csv: they already have their credentials (the registration,
  // office + number, identifies a row, not the file), so nothing is issued twice.
  console.log(`   ${bad.newlyIssued} issued now, ${bad.resumedFrom} already had a credential, ${bad.rejected} rejected:`);
  for (const r of bad.rejections) console.log(`   - row ${r.row}, ${r.field}: ${r.message}`);
  check('the 3 valid rows have their (single) credential', bad.issued === 3 && bad.newlyIssued === 0 && bad.credentials.map((c) => c.row).join() === '1,2,3');
  // One rejection per broken field: a row with two mistakes is reported twice.
  const rows = [...new Set(bad.rejections.map((r) => r.row))];
  check('rows 4-10 are rejected', rows.join() === '4,5,6,7,8,9,10', rows.join());
  for (const [row, expected] of Object.entries(EXPECTED)) {
    const fields = bad.rejections.filter((r) => r.row === Number(row)).map((r) => r.field);
    check(`row ${row} names ${expected.join(' and ')}`, expected.every((f) => fields.includes(f)) && fields.every((f) => expected.includes(f)), fields.join(', '));
  }
} catch (e) {
  console.error(e);
  failures.push('unexpected error');
} finally {
  await registrar.close();
  await chain.stop();
  await rm(work, { recursive: true, force: true });
}

console.log(failures.length === 0 ? '\nOK: example 02 finished as expected.' : `\nFAILED: ${failures.join('; ')}`);
process.exit(failures.length === 0 ? 0 : 1);
