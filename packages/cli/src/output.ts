import { CradleError, displayText } from '@cradle/core';
import type { CommonOptions } from './context.js';

/** What a command action returns: the JSON object for `--json`, and the human text otherwise. */
export interface CommandOutput {
  json: Record<string, unknown>;
  text: string;
  /** Process exit status; 0 unless the command says otherwise (e.g. `verify`: 1 invalid, 2 indeterminate). */
  exitCode?: number;
}

/**
 * Print a command's result in the mode the user asked for. Human text goes through `displayText` (no
 * escape sequences, control or bidi characters reach the terminal, whatever a command embedded);
 * commands also sanitize each untrusted field where they build a line, so it cannot add lines either.
 */
export function printOutput(out: CommandOutput, opts: CommonOptions): void {
  if (opts.json) process.stdout.write(`${JSON.stringify(out.json)}\n`);
  else if (out.text !== '') {
    const text = displayText(out.text, { multiline: true });
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

/** One untrusted field (a name, DID, id, label) for a line of human text: sanitized, on one line, bounded. */
export function displayField(value: unknown): string {
  return displayText(value, { maxLength: 300 });
}

/** Print an error: one JSON object on stdout with `--json`, a plain message on stderr otherwise. */
export function printError(e: unknown, opts: CommonOptions): void {
  const code = e instanceof CradleError ? e.code : 'INTERNAL';
  const message = e instanceof Error ? e.message : String(e);
  if (opts.json) {
    const details = e instanceof CradleError ? e.details : undefined;
    process.stdout.write(`${JSON.stringify({ error: { code, message, ...(details ? { details } : {}) } })}\n`);
  } else {
    process.stderr.write(`error [${code}]: ${displayText(message, { multiline: true })}\n`);
    if (!(e instanceof CradleError) && e instanceof Error && process.env.CRADLE_DEBUG) process.stderr.write(`${e.stack}\n`);
  }
}

/**
 * Wrap a commander action: run it, print its output, set the exit code; turn thrown errors into a
 * clear message and exit status 1 (or `errorExitCode`).
 */
export function action<A extends unknown[]>(
  fn: (...args: [...A, CommonOptions]) => Promise<CommandOutput>,
  errorExitCode = 1,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    // commander passes (...positionals, options, command)
    const opts = (args[args.length - 2] ?? {}) as CommonOptions;
    try {
      const out = await fn(...(args.slice(0, -1) as [...A, CommonOptions]));
      printOutput(out, opts);
      process.exitCode = out.exitCode ?? 0;
    } catch (e) {
      printError(e, opts);
      process.exitCode = errorExitCode;
    }
  };
}

/** The answer of a command that a later issue fills in: honest, and never exit 0. */
export async function notImplemented(what: string): Promise<CommandOutput> {
  throw new CradleError('NOT_IMPLEMENTED', `${what} is not implemented yet.`);
}
