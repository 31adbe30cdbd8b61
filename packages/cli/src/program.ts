import { Command } from 'commander';

type Register = (program: Command) => void;

// Each top-level command group is loaded only when it is the one being run: `cradle checkpoint verify`
// must not pay for Veramo, TypeORM or Hardhat at start-up (cold start is a benchmark figure).
const GROUPS: Record<string, () => Promise<Register>> = {
  devchain: async () => (await import('./commands/devchain.js')).registerDevchainCommand,
  ledger: async () => (await import('./commands/ledger.js')).registerLedgerCommands,
  registrar: async () => (await import('./commands/registrar/index.js')).registerRegistrarCommands,
  wallet: async () => (await import('./commands/wallet/index.js')).registerWalletCommands,
  checkpoint: async () => (await import('./commands/checkpoint/index.js')).registerCheckpointCommands,
  demo: async () => (await import('./commands/demo.js')).registerDemoCommand,
};

/**
 * The `cradle` command tree (CLI contract in DESIGN.md). With `argv`, only the command group being run
 * is loaded; without it (or for top-level help), every group is.
 *
 * @example
 * ```ts
 * await (await createProgram(process.argv)).parseAsync(process.argv);
 * ```
 */
export async function createProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command('cradle')
    .description('Cradle: verifiable birth registration. Registrars issue, guardians present, checkpoints verify offline.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)');
  const wanted = argv?.[2];
  const names = wanted !== undefined && wanted in GROUPS ? [wanted] : Object.keys(GROUPS);
  for (const name of names) (await GROUPS[name]!())(program);
  return program;
}
