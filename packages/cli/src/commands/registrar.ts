import type { Command } from 'commander';
import { withCommonOptions } from '../context.js';
import { action, notImplemented } from '../output.js';

/** `cradle registrar ...`: set up a registrar, issue, revoke, publish status lists, serve HTTP. */
export function registerRegistrarCommands(program: Command): void {
  const registrar = program.command('registrar').description('registrar office: issue birth-registration credentials and manage their status');

  withCommonOptions(registrar.command('init'), 'registrar', { secret: true })
    .description('create the registrar: keys, did:ethr identity on the ledger, signing key, status lists')
    .requiredOption('--ledger <file>', 'ledger config written by `cradle devchain` or `cradle ledger deploy`')
    .option('--base-url <url>', 'public URL where status lists will be served')
    .action(action(() => notImplemented('registrar init')));

  withCommonOptions(registrar.command('issue'), 'registrar', { secret: true })
    .description('issue a birth-registration credential to a child DID')
    .requiredOption('--subject <did>', "the child's DID")
    .requiredOption('--claims <file>', 'JSON file with the birth-registration claims')
    .option('--format <format>', 'vc+jwt (VCDM 2.0) or jwt-vc (VCDM 1.1)', 'vc+jwt')
    .action(action(() => notImplemented('registrar issue')));

  withCommonOptions(registrar.command('issue-batch'), 'registrar', { secret: true })
    .description('issue many credentials from a CSV or JSON-lines file (resumable)')
    .requiredOption('--input <file>', 'CSV or .jsonl file')
    .action(action(() => notImplemented('registrar issue-batch')));

  withCommonOptions(registrar.command('guardianship'), 'registrar', { secret: true })
    .description('issue a guardianship credential linking a child to the guardians allowed to present for it')
    .requiredOption('--subject <did>', "the child's DID")
    .requiredOption('--guardian <did...>', 'guardian DID (repeat for several)')
    .action(action(() => notImplemented('registrar guardianship')));

  for (const [name, what] of [
    ['revoke', 'revoke a credential (irreversible)'],
    ['suspend', 'suspend a credential (reversible)'],
    ['unsuspend', 'lift a suspension'],
  ] as const) {
    withCommonOptions(registrar.command(name), 'registrar', { secret: true })
      .description(what)
      .argument('<id>', 'credential id')
      .action(action(() => notImplemented(`registrar ${name}`)));
  }

  withCommonOptions(registrar.command('publish'), 'registrar', { secret: true })
    .description('sign changed status lists and anchor their digests on the ledger')
    .action(action(() => notImplemented('registrar publish')));

  withCommonOptions(registrar.command('pending'), 'registrar', { secret: true })
    .description('show the anchoring outbox')
    .action(action(() => notImplemented('registrar pending')));

  withCommonOptions(registrar.command('serve'), 'registrar', { secret: true })
    .description('run the HTTP issuance and status-list service')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port to listen on', '8080')
    .action(action(() => notImplemented('registrar serve')));
}
