import { open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CradleError } from '@cradle/core';
import { API_ROLES } from '@cradle/issuer';
import type { ApiKey, ApiRole } from '@cradle/issuer';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action, displayField } from '../../output.js';
import { cliActor, withRegistrar } from './home.js';

function keyLine(k: ApiKey): string {
  return `  ${k.id}  ${k.role.padEnd(10)} ${displayField(k.name)}  created ${k.createdAt}${k.revokedAt === null ? '' : `  REVOKED ${k.revokedAt}`}`;
}

/** Create `path` (mode 0600; an existing file is never overwritten) before the key exists, so a bad path creates no key. */
async function newTokenFile(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'wx', 0o600);
  } catch (cause) {
    const exists = (cause as NodeJS.ErrnoException).code === 'EEXIST';
    throw new CradleError('INVALID_ARGUMENT', exists ? `${path} exists already: choose a new file for the token.` : `Cannot create ${path}.`, { cause });
  }
}

/**
 * `cradle registrar keys create|list|revoke`: per-user API keys of the HTTP service, each with a role
 * (clerk: issue; supervisor: revoke, suspend; operator: publish, keys). A new key's token is written to
 * a new 0600 file (`--out`), never to stdout, and is stored in the database only as its sha256.
 */
export function registerKeysCommands(registrar: Command): void {
  const keys = registrar.command('keys').description('per-user API keys of the HTTP service, with roles (clerk, supervisor, operator)');
  withCommonOptions(keys.command('create'), 'registrar', { secret: true })
    .description('create an API key; its token goes to a new file (mode 0600), never to the terminal')
    .requiredOption('--name <name>', 'who holds the key (the audit log names them)')
    .requiredOption('--role <role>', `${API_ROLES.join(', ')}`)
    .requiredOption('--out <file>', 'new file to write the token to (mode 0600); hand it to the key holder')
    .action(
      action(async (common: CommonOptions) => {
        const opts = common as CommonOptions & { name: string; role: string; out: string };
        if (!(API_ROLES as readonly string[]).includes(opts.role)) throw new CradleError('INVALID_ARGUMENT', `--role must be one of ${API_ROLES.join(', ')}.`);
        const out = resolve(opts.out);
        return withRegistrar(opts, async (r) => {
          const fh = await newTokenFile(out);
          let created;
          try {
            created = await r.apiKeys.create({ name: opts.name, role: opts.role as ApiRole, actor: cliActor() });
            await fh.writeFile(`${created.token}\n`);
          } catch (e) {
            await fh.close();
            await rm(out, { force: true });
            throw e;
          }
          await fh.close();
          return {
            json: { id: created.id, name: created.name, role: created.role, createdAt: created.createdAt, tokenFile: out },
            text: `Created ${created.role} key ${created.id} for ${displayField(created.name)}; its token is in ${out} (mode 0600). Send it as "Authorization: Bearer <token>".`,
          };
        });
      }),
    );
  withCommonOptions(keys.command('list'), 'registrar', { secret: true })
    .description('list API keys (never their tokens)')
    .action(
      action(async (opts: CommonOptions) =>
        withRegistrar(opts, async (r) => {
          const all = await r.apiKeys.list();
          return { json: { keys: all }, text: all.length === 0 ? 'No API keys (create one with `cradle registrar keys create`).' : ['API keys:', ...all.map(keyLine)].join('\n') };
        }),
      ),
    );
  withCommonOptions(keys.command('revoke'), 'registrar', { secret: true })
    .description('revoke an API key (it stops working at once, on every replica)')
    .argument('<id>', 'key id (key_...)')
    .action(
      action(async (id: string, opts: CommonOptions) =>
        withRegistrar(opts, async (r) => {
          const key = await r.apiKeys.revoke(id, { actor: cliActor() });
          return { json: { ...key }, text: `Key ${key.id} (${displayField(key.name)}) is revoked.` };
        }),
      ),
    );
}
