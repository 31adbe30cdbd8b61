import type { Command } from 'commander';
import { withCommonOptions } from '../context.js';
import { action, notImplemented } from '../output.js';

/** `cradle checkpoint ...`: sync while online, verify offline. */
export function registerCheckpointCommands(program: Command): void {
  const checkpoint = program.command('checkpoint').description('checkpoint: sync status data while online, verify credentials offline');

  withCommonOptions(checkpoint.command('init'), 'checkpoint')
    .description('set up a checkpoint')
    .requiredOption('--ledger <file>', 'ledger config')
    .option('--max-status-age <duration>', 'oldest status data that may still answer "valid" (e.g. 24h, 7d)', '24h')
    .action(action(() => notImplemented('checkpoint init')));

  const trust = checkpoint.command('trust').description('accredited registrars');
  for (const [name, what] of [
    ['add', 'trust a registrar DID'],
    ['remove', 'stop trusting a registrar DID'],
  ] as const) {
    withCommonOptions(trust.command(name), 'checkpoint')
      .description(what)
      .argument('<did>', 'registrar DID')
      .action(action(() => notImplemented(`checkpoint trust ${name}`)));
  }
  withCommonOptions(trust.command('list'), 'checkpoint')
    .description('list trusted registrars')
    .action(action(() => notImplemented('checkpoint trust list')));

  withCommonOptions(checkpoint.command('sync'), 'checkpoint')
    .description('fetch anchors, status lists, DID documents and the trust list (needs a network)')
    .option('--mirror <url-or-dir...>', 'extra places to fetch signed status lists from')
    .action(action(() => notImplemented('checkpoint sync')));

  withCommonOptions(checkpoint.command('verify'), 'checkpoint')
    .description('verify a credential or presentation offline (exit 0 valid, 1 invalid, 2 indeterminate)')
    .argument('<input>', 'compact JWT, QR payload, a file (text or PNG), or - for stdin')
    .option('--nonce <n>', 'nonce this checkpoint gave the guardian (presentations)')
    .option('--domain <d>', 'domain of this checkpoint (presentations)')
    .action(action(() => notImplemented('checkpoint verify'), 2));

  const bundle = checkpoint.command('bundle').description('trust bundles for checkpoints that never connect');
  withCommonOptions(bundle.command('export'), 'checkpoint')
    .description('write everything a checkpoint needs into one self-authenticating file')
    .argument('<file>', 'bundle file to write')
    .action(action(() => notImplemented('checkpoint bundle export')));
  withCommonOptions(bundle.command('import'), 'checkpoint')
    .description('load a trust bundle')
    .argument('<file>', 'bundle file to read')
    .action(action(() => notImplemented('checkpoint bundle import')));
}
