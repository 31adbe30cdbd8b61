import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { ALERT_STATUS_PURPOSE, CradleError, MAX_BUNDLE_BYTES, displayText, isCradleError } from '@cradle/core';
import { exportBundle, importBundle } from '@cradle/verifier';
import { nodeSignatureVerifier } from '@cradle/verifier/node/offline';
import { resolveHome, withCommonOptions } from '../../context.js';
import { loadEd25519Signer } from '../../ed25519-signer.js';
import type { CommonOptions } from '../../context.js';
import { action } from '../../output.js';
import { alertKeyPath, readPrivateAlertKeyFile } from './alert-key.js';
import { openStore, writeFileAtomic } from './home.js';

/** `cradle checkpoint bundle export|import`: trust bundles for checkpoints that never connect. */
export function registerBundleCommands(checkpoint: Command): void {
  const bundle = checkpoint.command('bundle').description('trust bundles for checkpoints that never connect');
  withCommonOptions(bundle.command('export'), 'checkpoint')
    .description('write everything a checkpoint needs into one self-authenticating file')
    .argument('<file>', 'bundle file to write')
    .option('--sign-key <jwk-file>', "sign the bundle with this Ed25519 private key (JWK): the governance authority's, or an operator key that checkpoints pinned with `init --bundle-key`, so they trust its registrar list and sync times")
    .option('--sign-did <did>', 'DID of the signing key (default: the did:key of --sign-key)')
    .option('--sign-kid <kid>', 'verification method id of the signing key (default: the did:key method)')
    .action(
      action(async (file: string, common: CommonOptions) => {
        const opts = common as CommonOptions & { signKey?: string; signDid?: string; signKid?: string };
        const store = await openStore(opts);
        const signer = opts.signKey === undefined ? undefined : await loadEd25519Signer(opts.signKey, opts.signDid, opts.signKid);
        const bytes = await exportBundle(store, signer === undefined ? {} : { signer });
        const path = resolve(file);
        await writeFileAtomic(path, bytes);
        const state = await store.load();
        // Alert lists go in as the registrar encrypted them (only checkpoint alert keys open them).
        const alertLists = state.statusLists.filter((l) => l.purpose === ALERT_STATUS_PURPOSE && l.unconfirmed !== true).length;
        return {
          json: { file: path, bytes: bytes.length, statusLists: state.statusLists.length, alertLists, didDocuments: state.didDocuments.length, signedBy: signer?.did ?? null },
          text: `Wrote ${path} (${state.statusLists.length} status lists${alertLists > 0 ? ` including ${alertLists} encrypted alert list(s)` : ''}, ${state.didDocuments.length} DID documents${signer ? `, signed by ${signer.did}` : ', unsigned'}). Carry it to the checkpoint and run \`cradle checkpoint bundle import\`.`,
        };
      }),
    );
  withCommonOptions(bundle.command('import'), 'checkpoint')
    .description('load a trust bundle')
    .argument('<file>', 'bundle file to read')
    .action(
      action(async (file: string, opts: CommonOptions) => {
        const store = await openStore(opts);
        let bytes: Uint8Array;
        try {
          // Refuse an oversized file before reading it into memory (importBundle would refuse it anyway).
          const size = (await stat(file)).size;
          if (size > MAX_BUNDLE_BYTES) {
            throw new CradleError('BUNDLE_INVALID', `The bundle was refused, nothing was imported: ${file} is ${size} bytes, over the ${MAX_BUNDLE_BYTES} limit. Check that it is a trust bundle (cradle checkpoint bundle export).`);
          }
          bytes = new Uint8Array(await readFile(file));
        } catch (cause) {
          if (isCradleError(cause)) throw cause;
          throw new CradleError('NOT_FOUND', `Cannot read the bundle ${file} (in ${dirname(resolve(file))}).`, { cause });
        }
        // With this checkpoint's alert key, the bundle's encrypted alert lists are read too (as sync reads them).
        const alertKeyId = (await store.getConfig())?.alertKeyId;
        const alertKeys = alertKeyId === undefined ? [] : [await readPrivateAlertKeyFile(alertKeyPath(resolveHome('checkpoint', opts)))];
        const report = await importBundle(store, bytes, { signatureVerifier: nodeSignatureVerifier, alertKeys });
        const lines = [`Imported ${report.statusLists} status lists and ${report.didDocuments} DID documents${report.signed ? ` (bundle signed by ${report.signedBy})` : ' (unsigned bundle)'}.`];
        if (report.alertLists > 0) lines.push(`  ${report.alertLists} of them child-protection alert lists (decrypted with this checkpoint's alert key).`);
        if (report.alertListsNotRead > 0) {
          lines.push(
            alertKeys.length === 0
              ? `  ${report.alertListsNotRead} child-protection alert lists not read: this checkpoint has no alert key (cradle checkpoint init --alert-key FILE).`
              : `  ${report.alertListsNotRead} child-protection alert lists not read: they are encrypted to other checkpoints' alert keys.`,
          );
        }
        if (report.skippedOlder > 0) lines.push(`  ${report.skippedOlder} lists skipped: this checkpoint already has the same or newer data.`);
        if (report.unconfirmedStatusLists > 0) {
          lines.push(`  ${report.unconfirmedStatusLists} lists were never confirmed on the ledger (unsigned bundle): they can show a credential revoked, never valid. Sync, or import a signed bundle.`);
        }
        if (report.ignoredDidDocuments.length > 0) lines.push(`  ${report.ignoredDidDocuments.length} DID documents not taken (this checkpoint has them already, or they are derived from the DID).`);
        if (report.trustNotImported.length > 0) {
          lines.push('  The bundle lists these registrars as trusted; an unsigned bundle cannot grant trust. Add the ones you accredit with `cradle checkpoint trust add DID`:');
          for (const d of report.trustNotImported) lines.push(`    ${displayText(d)}`);
        }
        return { json: { ...report }, text: lines.join('\n') };
      }),
    );
}
