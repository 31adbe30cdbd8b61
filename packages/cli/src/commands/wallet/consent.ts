import type { Command } from 'commander';
import { CradleError } from '@cradle/core';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action } from '../../output.js';
import { withWallet } from './home.js';

interface ConsentCliOptions extends CommonOptions {
  child: string;
  by: string;
  traveller: string;
  countries: string;
  until: string;
  from?: string;
}

/** `YYYY-MM-DD` (the start or the end of that day, UTC) or an ISO date-time with a time zone. */
export function consentDate(text: string, flag: string, edge: 'start' | 'end'): Date {
  const t = text.trim();
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T${edge === 'end' ? '23:59:59' : '00:00:00'}Z` : t;
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(iso) ? Date.parse(iso) : NaN;
  if (!Number.isFinite(ms)) throw new CradleError('INVALID_ARGUMENT', `${flag} must be a date (YYYY-MM-DD) or a date-time with a time zone (2026-12-31T18:00:00Z), not "${text}".`);
  return new Date(ms);
}

/** `cradle wallet consent`: a guardian's travel consent, signed with that guardian's own key. */
export function registerConsentCommand(wallet: Command): void {
  withCommonOptions(wallet.command('consent'), 'wallet', { secret: true })
    .description("sign a guardian's travel consent: the child may travel with another adult to given countries until a date")
    .requiredOption('--child <did>', "the child's DID (or its label in this wallet)")
    .requiredOption('--by <did>', 'the consenting guardian (a DID or label of this wallet: its key signs)')
    .requiredOption('--traveller <did>', 'the DID of the adult the child travels with')
    .requiredOption('--countries <cc,cc>', 'destination countries, ISO 3166-1 alpha-2, comma-separated (e.g. UG,TZ)')
    .requiredOption('--until <date>', 'last day of the consent (YYYY-MM-DD, until the end of that day UTC) or a date-time')
    .option('--from <date>', 'first day of the consent (default now)')
    .action(
      action(async (common: CommonOptions) => {
        const opts = common as ConsentCliOptions;
        const until = consentDate(opts.until, '--until', 'end');
        const from = opts.from === undefined ? undefined : consentDate(opts.from, '--from', 'start');
        return withWallet(opts, 'error', async (w) => {
          const c = await w.consent({
            child: opts.child,
            by: opts.by,
            traveller: opts.traveller,
            countries: opts.countries.split(',').filter((x) => x.trim() !== ''),
            until,
            ...(from === undefined ? {} : { from }),
          });
          return {
            json: { jwt: c.jwt, id: c.id, child: c.child, by: c.by, traveller: c.traveller, countries: c.countries, validFrom: c.validFrom, validUntil: c.validUntil },
            text:
              `Travel consent ${c.id}, signed by ${c.by}:\n  child ${c.child} may travel with ${c.traveller}\n  to ${c.countries.join(', ')}, from ${c.validFrom} until ${c.validUntil}.\n` +
              `Give this to the travelling adult, who runs \`cradle wallet import\` with it; \`wallet present\` then carries it.\n${c.jwt}`,
          };
        });
      }),
    );
}
