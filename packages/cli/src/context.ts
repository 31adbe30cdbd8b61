import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CradleError } from '@cradle/core';

/** The roles whose state lives under a `--home` directory. */
export type Role = 'registrar' | 'wallet' | 'checkpoint';

/** Options every command accepts (the CLI contract: docs/getting-started.md, "The same steps with the `cradle` command"). */
export interface CommonOptions {
  home?: string;
  json?: boolean;
  secretFile?: string;
}

/**
 * Add `--home`, `--json` and (for roles with keys) `--secret-file` to a command.
 *
 * @example
 * ```ts
 * withCommonOptions(program.command('init'), 'wallet').action(...)
 * ```
 */
export function withCommonOptions(cmd: Command, role: Role | undefined, opts: { secret?: boolean } = {}): Command {
  if (role !== undefined) {
    cmd.option('--home <dir>', `state directory of this ${role} (default: ~/.cradle/${role}, or $CRADLE_HOME/${role})`);
  } else {
    cmd.option('--home <dir>', 'state directory (unused by this command; accepted for uniformity)');
  }
  cmd.option('--json', 'print one JSON object on stdout instead of human text');
  if (opts.secret) {
    cmd.option('--secret-file <file>', 'file holding the secret that encrypts keys at rest (default: $CRADLE_SECRET)');
  }
  return cmd;
}

/** Resolve the state directory of a role from `--home`, `$CRADLE_HOME` or `~/.cradle`. */
export function resolveHome(role: Role, opts: CommonOptions): string {
  if (opts.home !== undefined && opts.home !== '') return resolve(opts.home);
  const base = process.env.CRADLE_HOME ?? join(homedir(), '.cradle');
  return join(resolve(base), role);
}

/**
 * Read the key-encryption secret from `--secret-file` or `$CRADLE_SECRET`. A missing or empty secret is a
 * clear error, never a silent default.
 */
export async function resolveSecret(opts: CommonOptions): Promise<string> {
  if (opts.secretFile !== undefined) {
    let text: string;
    try {
      text = await readFile(opts.secretFile, 'utf8');
    } catch (cause) {
      throw new CradleError('SECRET_MISSING', `Cannot read the secret file ${opts.secretFile}. Check the path and permissions.`, { cause });
    }
    const secret = text.trim();
    if (secret === '') throw new CradleError('SECRET_MISSING', `The secret file ${opts.secretFile} is empty.`);
    return secret;
  }
  const env = process.env.CRADLE_SECRET?.trim();
  if (env === undefined || env === '') {
    throw new CradleError(
      'SECRET_MISSING',
      'No secret to encrypt keys: set CRADLE_SECRET or pass --secret-file FILE. Keep the same secret for this home directory: without it the keys cannot be opened.',
    );
  }
  return env;
}
