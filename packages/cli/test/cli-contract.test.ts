import { beforeAll, describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { COMMAND_GROUPS, createProgram } from '../src/program.js';

// The CLI contract (docs/getting-started.md, "The same steps with the `cradle` command"): these names are
// stable; scripts and acceptance checks drive them. Add, never rename.
const CONTRACT = [
  'devchain',
  'registrar init',
  'registrar issue',
  'registrar issue-batch',
  'registrar guardianship',
  'registrar revoke',
  'registrar suspend',
  'registrar unsuspend',
  'registrar alert',
  'registrar trust-list',
  'registrar publish',
  'registrar pending',
  'registrar serve',
  'registrar audit',
  'registrar list',
  'registrar find',
  'wallet init',
  'wallet create-did',
  'wallet import',
  'wallet list',
  'wallet present',
  'wallet consent',
  'wallet backup',
  'wallet restore',
  'checkpoint init',
  'checkpoint alert-key',
  'checkpoint trust add',
  'checkpoint trust remove',
  'checkpoint trust list',
  'checkpoint sync',
  'checkpoint verify',
  'checkpoint bundle export',
  'checkpoint bundle import',
  'authority alert-request',
  'demo',
];

function find(program: Command, path: string): Command | undefined {
  let cmd: Command | undefined = program;
  for (const name of path.split(' ')) cmd = cmd?.commands.find((c) => c.name() === name);
  return cmd;
}

describe('cradle CLI contract', () => {
  let program: Command;
  beforeAll(async () => {
    program = await createProgram();
  });
  it.each(CONTRACT)('`cradle %s` exists and takes --home and --json', (path) => {
    const cmd = find(program, path);
    expect(cmd, `missing command: cradle ${path}`).toBeDefined();
    const flags = cmd!.options.map((o) => o.long);
    expect(flags).toContain('--home');
    expect(flags).toContain('--json');
  });

  it('running one group loads only that group (fast cold start)', async () => {
    const only = await createProgram(['node', 'cradle', 'checkpoint', 'verify', 'x']);
    expect(only.commands.map((c) => c.name())).toEqual(['checkpoint']);
    expect((await createProgram(['node', 'cradle', '--json', 'checkpoint', 'verify', 'x'])).commands.map((c) => c.name())).toEqual(['checkpoint']);
  });

  it('`cradle --help` lists every group without loading any (answers in well under a second)', async () => {
    const help = await createProgram(['node', 'cradle', '--help']);
    expect(help.commands.map((c) => c.name())).toEqual(Object.keys(COMMAND_GROUPS));
    // Nothing was loaded: the groups have no subcommands or options yet.
    expect(help.commands.every((c) => c.commands.length === 0 && c.options.length === 0)).toBe(true);
    // The summaries it shows are exactly what each group says about itself once loaded.
    for (const group of program.commands) expect(COMMAND_GROUPS[group.name()], group.name()).toBe(group.description());
  });
});
