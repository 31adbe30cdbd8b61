import { Command } from 'commander';

type Register = (program: Command) => void;

/** A top-level command group: what `cradle --help` says about it, and how to load it. */
interface Group {
  /** Exactly the description the group registers (a test keeps them equal). */
  readonly summary: string;
  readonly load: () => Promise<Register>;
}

// Each top-level command group is loaded only when it is the one being run: `cradle checkpoint verify`
// must not pay for Veramo, TypeORM or Hardhat at start-up (cold start is a benchmark figure), and
// `cradle --help` loads none of them (it answers from the summaries below).
const GROUPS: Record<string, Group> = {
  devchain: {
    summary: 'run a local EVM (Hardhat EDR) with the DID registry and anchor contract deployed, until stopped',
    load: async () => (await import('./commands/devchain.js')).registerDevchainCommand,
  },
  ledger: {
    summary: 'the EVM ledger: deploy the anchor contract to a real network',
    load: async () => (await import('./commands/ledger.js')).registerLedgerCommands,
  },
  registrar: {
    summary: 'registrar office: issue birth-registration credentials and manage their status',
    load: async () => (await import('./commands/registrar/index.js')).registerRegistrarCommands,
  },
  wallet: {
    summary: "guardian wallet: hold children's credentials and present them at checkpoints",
    load: async () => (await import('./commands/wallet/index.js')).registerWalletCommands,
  },
  checkpoint: {
    summary: 'checkpoint: sync status data while online, verify credentials offline',
    load: async () => (await import('./commands/checkpoint/index.js')).registerCheckpointCommands,
  },
  authority: {
    summary: 'child-protection authority accredited by the governance trust list: signed alert requests to registrars',
    load: async () => (await import('./commands/authority/index.js')).registerAuthorityCommands,
  },
  demo: {
    summary: 'run the end-to-end demo: register children, present at a checkpoint, revoke, re-verify',
    load: async () => (await import('./commands/demo.js')).registerDemoCommand,
  },
};

/** The one-line summary of each top-level command group, as `cradle --help` lists them. */
export const COMMAND_GROUPS: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(GROUPS).map(([name, g]) => [name, g.summary]));

/**
 * The `cradle` command tree (the CLI contract: docs/getting-started.md, "The same steps with the `cradle`
 * command"; its names are pinned by test/cli-contract.test.ts). Without `argv`, every group is loaded (the
 * whole tree, e.g. for tests of the contract). With `argv`, only the group being run is loaded; when
 * no group is named (`cradle`, `cradle --help`, `cradle --version`) none is: the top-level help is
 * answered from the group summaries, so it takes no noticeable time.
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
  // The group is the first word that is not an option (`cradle checkpoint verify …`).
  const wanted = argv?.slice(2).find((a) => !a.startsWith('-'));
  if (argv !== undefined && (wanted === undefined || !(wanted in GROUPS))) {
    // Top-level help, version or an unknown command: list the groups without loading any.
    for (const [name, g] of Object.entries(GROUPS)) program.command(name).description(g.summary).helpOption(false).allowUnknownOption().allowExcessArguments();
    return program;
  }
  const names = wanted !== undefined && wanted in GROUPS ? [wanted] : Object.keys(GROUPS);
  for (const name of names) (await GROUPS[name]!.load())(program);
  return program;
}
