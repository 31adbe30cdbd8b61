import type { Command } from 'commander';
import { groupByChild } from '@cradle/holder';
import type { Wallet } from '@cradle/holder';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action, displayField as t } from '../../output.js';
import { summary } from './credential-summary.js';
import { withWallet } from './home.js';

function listText(
  dids: Awaited<ReturnType<Wallet['listDids']>>,
  children: ReturnType<typeof groupByChild>,
): string {
  if (dids.length === 0) return 'The wallet is empty. Create DIDs with `cradle wallet create-did --label NAME`.';
  const lines = ['DIDs:'];
  for (const d of dids) {
    const role = d.roles.length > 0 ? ` [${d.roles.join(', ')}]` : '';
    lines.push(`  ${t(d.did)}${d.label !== undefined ? `  ${t(d.label)}` : ''}${t(role)}`);
  }
  lines.push('', children.length === 0 ? 'No credentials yet (`cradle wallet import`).' : 'Credentials by child:');
  for (const g of children) {
    lines.push(`  ${g.label !== undefined ? `${t(g.label)}  ` : ''}${t(g.child)}`);
    if (g.birth.length === 0) lines.push('    (no birth-registration credential)');
    for (const c of [...g.birth, ...g.guardianship, ...g.consents]) {
      const until = c.validUntil !== undefined ? `, until ${t(c.validUntil)}` : '';
      const trip = c.travelConsent === undefined ? '' : ` (with ${t(c.travelConsent.traveller)} to ${c.travelConsent.countries.map(t).join(', ')})`;
      lines.push(`    ${t(c.type.replace('Credential', ''))}  ${t(c.id)}  from ${t(c.issuer)}${until}${trip}`);
    }
    if (g.guardianship.length === 0) lines.push('    (no guardianship credential: cannot present at a checkpoint yet)');
  }
  return lines.join('\n');
}

/** `cradle wallet list`: DIDs, and credentials grouped by child. */
export function registerListCommand(wallet: Command): void {
  withCommonOptions(wallet.command('list'), 'wallet', { secret: true })
    .description('list DIDs and credentials')
    .action(
      action(async (opts: CommonOptions) =>
        withWallet(opts, 'error', async (w) => {
          const dids = await w.listDids();
          const labels = new Map(dids.flatMap((d) => (d.label !== undefined ? [[d.did, d.label] as const] : [])));
          const children = groupByChild(await w.listCredentials(), labels);
          return {
            json: {
              dids,
              children: children.map((g) => ({
                child: g.child,
                ...(g.label !== undefined ? { label: g.label } : {}),
                credentials: [...g.birth, ...g.guardianship, ...g.consents].map(summary),
              })),
            },
            text: listText(dids, children),
          };
        }),
      ),
    );
}
