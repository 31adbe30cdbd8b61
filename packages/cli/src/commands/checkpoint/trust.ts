import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CradleError } from '@cradle/core';
import { addTrustedIssuer, importTrustList, removeTrustedIssuer, trustDecision, trustedIssuers } from '@cradle/verifier';
import { nodeSignatureVerifier } from '@cradle/verifier/node/offline';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action } from '../../output.js';
import { openStore } from './home.js';

/** `cradle checkpoint trust add|remove|import|list`: the accredited registrars. */
export function registerTrustCommands(checkpoint: Command): void {
  const trust = checkpoint.command('trust').description('accredited registrars');
  withCommonOptions(trust.command('add'), 'checkpoint')
    .description('trust a registrar DID')
    .argument('<did>', 'registrar DID')
    .action(
      action(async (did: string, opts: CommonOptions) => {
        const store = await openStore(opts);
        const added = await addTrustedIssuer(store, did).catch((e: unknown) => {
          throw e instanceof TypeError ? new CradleError('INVALID_ARGUMENT', e.message) : e;
        });
        return { json: { did, trusted: true, added }, text: added ? `Now trusting ${did}. Run \`cradle checkpoint sync\` to fetch its keys and status lists.` : `${did} was already trusted.` };
      }),
    );
  withCommonOptions(trust.command('remove'), 'checkpoint')
    .description('stop trusting a registrar DID')
    .argument('<did>', 'registrar DID')
    .action(
      action(async (did: string, opts: CommonOptions) => {
        const store = await openStore(opts);
        const removed = await removeTrustedIssuer(store, did).catch((e: unknown) => {
          throw e instanceof TypeError ? new CradleError('INVALID_ARGUMENT', e.message) : e;
        });
        return { json: { did, trusted: false, removed }, text: removed ? `No longer trusting ${did}.` : `${did} was not trusted.` };
      }),
    );
  withCommonOptions(trust.command('import'), 'checkpoint')
    .description("import a governance-signed trust list file (needs `init --governance DID`)")
    .argument('<file>', 'trust list (compact JWS, typ cradle-trust-list+jwt)')
    .action(
      action(async (file: string, opts: CommonOptions) => {
        const store = await openStore(opts);
        let text: string;
        try {
          text = await readFile(file, 'utf8');
        } catch (cause) {
          throw new CradleError('NOT_FOUND', `Cannot read the trust list ${file}.`, { cause });
        }
        const list = await importTrustList(store, text, { signatureVerifier: nodeSignatureVerifier });
        const revoked = list.registrars.filter((r) => r.status === 'revoked').map((r) => r.did);
        return {
          json: { version: list.version, issuer: list.issuer, accredited: list.registrars.filter((r) => r.status === 'accredited').map((r) => r.did), deaccredited: revoked },
          text: `Trust list version ${list.version} from ${list.issuer} imported: ${list.registrars.length - revoked.length} accredited, ${revoked.length} de-accredited.`,
        };
      }),
    );
  withCommonOptions(trust.command('list'), 'checkpoint')
    .description('list trusted registrars')
    .action(
      action(async (opts: CommonOptions) => {
        const store = await openStore(opts);
        const t = await store.getTrust();
        const list = trustedIssuers(t).map((did) => {
          const d = trustDecision(t, did);
          return { did, source: d.trusted ? d.source : 'none' };
        });
        const deaccredited = (t.governanceList?.registrars ?? []).filter((r) => r.status === 'revoked').map((r) => r.did);
        return {
          json: { trusted: list, deaccredited, governanceListVersion: t.governanceList?.version ?? null },
          text: list.length === 0 ? 'No trusted registrars yet: add one with `cradle checkpoint trust add DID`.' : list.map((e) => `${e.did}  (${e.source})`).join('\n'),
        };
      }),
    );
}
