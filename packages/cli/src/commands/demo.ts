import type { Command } from 'commander';
import { withCommonOptions } from '../context.js';
import { action, notImplemented } from '../output.js';

/** `cradle demo`: the end-to-end story on an in-process chain and temporary SQLite files. */
export function registerDemoCommand(program: Command): void {
  withCommonOptions(program.command('demo'), undefined)
    .description('run the end-to-end demo: register children, present at a checkpoint, revoke, re-verify')
    .action(action(() => notImplemented('The end-to-end demo (issue 7)')));
}
