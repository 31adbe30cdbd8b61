import { beforeAll, describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { createProgram } from '../src/program.js';

// The CLI contract in DESIGN.md: these names are stable; scripts and acceptance checks drive them.
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
    const all = await createProgram(['node', 'cradle', '--help']);
    expect(all.commands.length).toBeGreaterThan(5);
  });
});
