import type { Command } from 'commander';
import type { CredentialRecord } from '@cradle/issuer';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { wholeNumberOption } from '../../number-option.js';
import { action, displayField } from '../../output.js';
import { withRegistrar } from './home.js';

function state(r: CredentialRecord): string {
  return r.revokedAt !== null ? 'revoked' : r.suspendedAt !== null ? 'suspended' : 'active';
}

function recordLine(r: CredentialRecord): string {
  return `  ${r.id}  ${r.type.padEnd(28)} ${state(r).padEnd(9)} ${r.createdAt}  ${displayField(r.subject)}`;
}

function summary(r: CredentialRecord): Record<string, unknown> {
  return { id: r.id, type: r.type, format: r.format, subject: r.subject, status: state(r), createdAt: r.createdAt, revokedAt: r.revokedAt, suspendedAt: r.suspendedAt };
}

/** `cradle registrar list` and `cradle registrar find REGISTRATION_NUMBER`. */
export function registerListCommands(registrar: Command): void {
  withCommonOptions(registrar.command('list'), 'registrar', { secret: true })
    .description('list issued credentials, newest first')
    .option('--limit <n>', 'at most this many (default 50, at most 10000)')
    .option('--offset <n>', 'skip this many first')
    .action(
      action(async (common: CommonOptions) => {
        const opts = common as CommonOptions & { limit?: string; offset?: string };
        const page = {
          limit: wholeNumberOption(opts.limit, '--limit', { min: 1, max: 10_000, fallback: 50 }),
          offset: wholeNumberOption(opts.offset, '--offset', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 }),
        };
        return withRegistrar(opts, async (r) => {
          const records = await r.list(page);
          return { json: { credentials: records.map(summary) }, text: records.length === 0 ? 'No credentials.' : ['Credentials (newest first):', ...records.map(recordLine)].join('\n') };
        });
      }),
    );
  withCommonOptions(registrar.command('find'), 'registrar', { secret: true })
    .description('find birth credentials by registration number; warns when it was issued to more than one child')
    .argument('<registration-number>', 'the civil registration number (case-insensitive)')
    .action(
      action(async (number: string, opts: CommonOptions) =>
        withRegistrar(opts, async (r) => {
          const records = await r.findByRegistrationNumber(number);
          const children = new Set(records.filter((c) => c.revokedAt === null).map((c) => c.subject));
          const warning = children.size > 1 ? `WARNING: registration ${displayField(number)} has live birth credentials for ${children.size} different children: revoke the wrong ones.` : undefined;
          return {
            json: { registrationNumber: number, credentials: records.map(summary), ...(warning === undefined ? {} : { warning: { code: 'REGISTRATION_ALREADY_ISSUED', children: children.size } }) },
            text: records.length === 0 ? `No birth credential with registration number ${displayField(number)}.` : [...(warning === undefined ? [] : [warning]), ...records.map(recordLine)].join('\n'),
            exitCode: 0,
          };
        }),
      ),
    );
}
