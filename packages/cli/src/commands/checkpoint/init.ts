import type { Command } from 'commander';
import { CradleError, displayText } from '@cradle/core';
import { ed25519PublicKeyOfDidKey } from '@cradle/verifier';
import { FileVerifierStore } from '@cradle/verifier/node/offline';
import { resolveHome, withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action } from '../../output.js';
import { alertKeyPath, readPrivateAlertKeyFile } from './alert-key.js';
import { parseDuration, writeFileAtomic } from './home.js';

/** `cradle checkpoint init`: a checkpoint store for one ledger, with its freshness and clock policy. */
export function registerInitCommand(checkpoint: Command): void {
  withCommonOptions(checkpoint.command('init'), 'checkpoint')
    .description('set up a checkpoint')
    .requiredOption('--ledger <file>', 'ledger config')
    .option('--max-status-age <duration>', 'oldest status data that may still answer "valid" (e.g. 24h, 7d)', '24h')
    .option('--clock-skew <duration>', 'allowed clock difference when checking validity dates', '5m')
    .option('--governance <did>', 'DID of the governance authority whose signed trust list and bundles this checkpoint accepts')
    .option('--require-travel-consent', 'when one listed parent presents a child, require a valid travel consent from every other listed parent (TRAVEL_CONSENT_MISSING)')
    .option('--bundle-key <did>', 'did:key of an operator key whose signed bundles this checkpoint accepts (then unsigned bundles are refused)')
    .option('--alert-key <file>', 'this checkpoint\'s PRIVATE alert key (from `cradle checkpoint alert-key`): sync then reads child-protection alert lists, and verify answers "alert"')
    .option('--allow-missing-revocation-entry', 'policy: accept registrar credentials that carry no revocation entry, which can never be revoked (default: refused, STATUS_MISSING)')
    .action(
      action(async (common: CommonOptions) => {
        const opts = common as CommonOptions & { ledger: string; maxStatusAge: string; clockSkew: string; governance?: string; requireTravelConsent?: boolean; bundleKey?: string; alertKey?: string; allowMissingRevocationEntry?: boolean };
        const requireTravelConsent = opts.requireTravelConsent === true;
        const requireRevocationEntry = opts.allowMissingRevocationEntry !== true;
        if (opts.bundleKey !== undefined && ed25519PublicKeyOfDidKey(opts.bundleKey) === undefined) {
          throw new CradleError('INVALID_ARGUMENT', `--bundle-key must be an Ed25519 did:key (did:key:z6Mk…), e.g. the one \`cradle checkpoint bundle export --sign-key\` prints; got ${displayText(opts.bundleKey, { maxLength: 80 })}.`);
        }
        const alertKey = opts.alertKey === undefined ? undefined : await readPrivateAlertKeyFile(opts.alertKey);
        // Loaded here, not with the command tree: @cradle/ledger brings ethers, which `checkpoint verify` never needs.
        const { loadLedgerConfig } = await import('@cradle/ledger');
        const ledger = await loadLedgerConfig(opts.ledger);
        const { devAccounts: _dev, ...publicLedger } = ledger; // a checkpoint never needs keys
        const maxStatusAge = parseDuration(opts.maxStatusAge);
        const clockSkew = parseDuration(opts.clockSkew);
        const home = resolveHome('checkpoint', opts);
        const store = await FileVerifierStore.open(home, { create: true });
        const previous = await store.getConfig();
        if (previous?.ledger !== undefined && previous.ledger.chainId !== ledger.chainId) {
          throw new CradleError('CONFLICT', `${home} is a checkpoint for chain ${previous.ledger.chainId}, not ${ledger.chainId}: use another --home.`);
        }
        if (alertKey !== undefined) await writeFileAtomic(alertKeyPath(home), new TextEncoder().encode(`${JSON.stringify(alertKey)}\n`), 0o600);
        await store.write({
          config: {
            maxStatusAge,
            clockSkew,
            ledger: publicLedger,
            ...(opts.governance === undefined ? {} : { governanceDid: opts.governance }),
            ...(requireTravelConsent ? { requireTravelConsent } : {}),
            ...(opts.bundleKey === undefined ? {} : { bundleKeyDid: opts.bundleKey }),
            ...(alertKey === undefined ? {} : { alertKeyId: alertKey.kid }),
            ...(requireRevocationEntry ? {} : { requireRevocationEntry }),
          },
        });
        return {
          json: { home, ledger: { chainId: ledger.chainId, name: ledger.name ?? null }, maxStatusAge, clockSkew, governanceDid: opts.governance ?? null, requireTravelConsent, bundleKeyDid: opts.bundleKey ?? null, alertKeyId: alertKey?.kid ?? null, requireRevocationEntry },
          text: `Checkpoint ready in ${home} (chain ${ledger.chainId}, status data valid for ${opts.maxStatusAge}${requireTravelConsent ? "; a child travelling with one parent needs the other parents' consent" : ''}${alertKey === undefined ? '' : '; child-protection alerts checked'}${requireRevocationEntry ? '' : '; credentials without a revocation entry are accepted'}).\nNext: cradle checkpoint trust add <registrar DID>, then cradle checkpoint sync.`,
        };
      }),
    );
}
