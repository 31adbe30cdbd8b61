import type { Command } from 'commander';
import type { SyncReport } from '@cradle/verifier/sync';
import { nodeSignatureVerifier } from '@cradle/verifier/node/offline';
import { resolveHome, withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action, displayField } from '../../output.js';
import { alertKeyPath, readPrivateAlertKeyFile } from './alert-key.js';
import { openStore } from './home.js';

function syncText(r: SyncReport): string {
  const count = (o: string) => r.lists.filter((l) => l.outcome === o).length;
  const lines = [r.ok ? 'Sync complete.' : 'Sync finished with problems: what was cached before is kept for the failed parts.'];
  if (r.ok && r.didDocuments.length === 0 && r.lists.length === 0) lines.push('  No trusted registrar on this ledger yet: add one with `cradle checkpoint trust add DID`.');
  if (r.ledger !== undefined) lines.push(`  Ledger blocks read: ${r.ledger.fromBlock}..${r.ledger.toBlock} (head ${r.ledger.head})`);
  lines.push(`  Registrar DID documents: ${r.didDocuments.filter((d) => d.outcome === 'updated').length} refreshed, ${r.didDocuments.filter((d) => d.outcome === 'failed').length} failed`);
  lines.push(`  Status lists: ${count('updated')} updated, ${count('unchanged')} unchanged, ${count('failed')} failed`);
  if (r.trustList !== undefined) lines.push(`  Governance trust list: ${r.trustList.outcome}${r.trustList.version === undefined ? '' : ` (version ${r.trustList.version})`}`);
  for (const f of r.failures) lines.push(`  - [${displayField(f.code)}] ${displayField(f.source)}: ${displayField(f.message)}`);
  return lines.join('\n');
}

/** `cradle checkpoint sync`: anchors, status lists, DID documents and the trust list (online). */
export function registerSyncCommand(checkpoint: Command): void {
  withCommonOptions(checkpoint.command('sync'), 'checkpoint')
    .description('fetch anchors, status lists, DID documents and the trust list (needs a network)')
    .option('--mirror <url-or-dir...>', 'extra places to fetch signed status lists from')
    .option('--pack <url-or-file...>', 'status-list packs (a registrar\'s /status-pack URL, or a pack file), tried before any per-list request')
    .action(
      action(async (common: CommonOptions) => {
        const opts = common as CommonOptions & { mirror?: string[]; pack?: string[] };
        const store = await openStore(opts);
        const alertKeyId = (await store.getConfig())?.alertKeyId;
        const alertKeys = alertKeyId === undefined ? [] : [await readPrivateAlertKeyFile(alertKeyPath(resolveHome('checkpoint', opts)))];
        // Loaded on use, not with the command tree: sync brings @cradle/ledger and ethers, which `checkpoint verify` never needs.
        const [{ sync }, { mirrorsFromArgs, packsFromArgs }] = await Promise.all([import('@cradle/verifier/sync'), import('@cradle/verifier/node')]);
        const report = await sync({
          alertKeys,
          store,
          packs: packsFromArgs(opts.pack ?? []),
          mirrors: mirrorsFromArgs(opts.mirror ?? []),
          signatureVerifier: nodeSignatureVerifier,
        });
        return { json: { ...report }, text: syncText(report), exitCode: report.ok ? 0 : 1 };
      }),
    );
}
