import type { Command } from 'commander';
import { registerAlertKeyCommand } from './alert-key.js';
import { registerBundleCommands } from './bundle.js';
import { registerInitCommand } from './init.js';
import { registerServeCommand } from './serve.js';
import { registerSyncCommand } from './sync.js';
import { registerTrustCommands } from './trust.js';
import { registerVerifyCommand } from './verify.js';

/**
 * `cradle checkpoint ...`: sync while online, verify offline.
 * One file per subcommand (or small group); a new subcommand is a new file registered here (order = help order).
 */
export function registerCheckpointCommands(program: Command): void {
  const checkpoint = program.command('checkpoint').description('checkpoint: sync status data while online, verify credentials offline');
  registerInitCommand(checkpoint);
  registerAlertKeyCommand(checkpoint);
  registerTrustCommands(checkpoint);
  registerSyncCommand(checkpoint);
  registerVerifyCommand(checkpoint);
  registerBundleCommands(checkpoint);
  registerServeCommand(checkpoint);
}
