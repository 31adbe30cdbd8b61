import type { Command } from 'commander';
import { withCommonOptions } from '../context.js';
import { action } from '../output.js';

/** `cradle demo`: the end-to-end story on a local chain and temporary SQLite files. */
export function registerDemoCommand(program: Command): void {
  withCommonOptions(program.command('demo'), undefined)
    .description('run the end-to-end demo: register children, present at a checkpoint, revoke, re-verify')
    .option('--keep <dir>', 'keep the SQLite files and the QR PNG in this directory')
    .action(
      action(async (opts: { keep?: string; json?: boolean }) => {
        // Loaded on demand: the demo pulls in every role (and the chain); other commands must start fast.
        const { runDemo } = await import('../demo/run-demo.js');
        const result = await runDemo({
          ...(opts.keep !== undefined ? { workDir: opts.keep, keep: true } : {}),
          // With --json the narration goes to stderr so stdout stays one JSON object.
          ...(opts.json ? { out: (l: string) => process.stderr.write(`${l}\n`) } : {}),
        });
        return {
          json: { ok: result.ok, summary: result.summary, checks: result.checks },
          text: '',
          exitCode: result.ok ? 0 : 1,
        };
      }),
    );
}
