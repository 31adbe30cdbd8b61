import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { BATCH_CONCURRENCY, MAX_BATCH_CONCURRENCY } from '@cradle/issuer';
import type { BatchReport } from '@cradle/issuer';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action } from '../../output.js';
import { wholeNumberOption } from '../../number-option.js';
import { cliActor, withRegistrar } from './home.js';

function batchText(report: BatchReport): string {
  const lines = [
    `Batch ${report.batchId.slice(0, 12)}… (${report.input}): ${report.total} rows, ${report.newlyIssued} issued now, ${report.resumedFrom} already had a credential, ${report.rejected} rejected`,
  ];
  const shown = report.rejections.slice(0, 50);
  if (shown.length > 0) lines.push('Rejected rows (row counts data rows from 1, after the header):');
  for (const r of shown) lines.push(`  row ${r.row}: ${r.field} — ${r.message}`);
  if (report.rejections.length > shown.length) lines.push(`  … and ${report.rejections.length - shown.length} more (use --json or --report FILE)`);
  const assigned = report.credentials.filter((c) => c.assignedDid).length;
  if (assigned > 0) lines.push(`${assigned} child DIDs were created in the custodial keystore (custody.sqlite); their mapping is in the --json / --report output.`);
  return lines.join('\n');
}

/** `cradle registrar issue-batch`: many credentials from a CSV or JSON-lines file (resumable). */
export function registerIssueBatchCommand(registrar: Command): void {
  withCommonOptions(registrar.command('issue-batch'), 'registrar', { secret: true })
    .description('issue many credentials from a CSV or JSON-lines file (resumable)')
    .requiredOption('--input <file>', 'CSV or .jsonl file')
    .option('--assign-dids', 'create a did:key in the separate custodial keystore for rows without childDid')
    .option('--report <file>', 'write the full report (credentials, rejections) as JSON')
    .option('--concurrency <rows>', 'rows in flight at once, sharing commits (default 32; 1 issues row by row)')
    .action(
      action(async (common: CommonOptions) =>
        withRegistrar(common, async (r) => {
          const opts = common as CommonOptions & { input: string; assignDids?: boolean; report?: string; concurrency?: string };
          const concurrency = wholeNumberOption(opts.concurrency, '--concurrency', { min: 1, max: MAX_BATCH_CONCURRENCY, fallback: BATCH_CONCURRENCY });
          const showBar = !opts.json && process.stderr.isTTY === true;
          const bar = showBar ? new SingleBar({ format: 'issuing [{bar}] {value}/{total} rows | {issued} issued, {rejected} rejected', stream: process.stderr }) : undefined;
          let started = false;
          const report = await r.issueBatch({
            input: resolve(opts.input),
            assignDids: opts.assignDids === true,
            concurrency,
            actor: cliActor(),
            onProgress: (p) => {
              if (bar === undefined) return;
              if (!started) {
                bar.start(p.total, 0, { issued: 0, rejected: 0 });
                started = true;
              }
              bar.update(p.done, { issued: p.issued, rejected: p.rejected });
            },
          });
          if (started) bar?.stop();
          if (opts.report !== undefined) await writeFile(opts.report, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 });
          // Rejected rows make the run fail (exit 1) with the full report: scripts must not miss them.
          return { json: { ...report }, text: batchText(report), exitCode: report.rejected > 0 ? 1 : 0 };
        }),
      ),
    );
}
