import { createPrivateKey, createPublicKey, sign as nodeSign } from 'node:crypto';
import type { JsonWebKeyInput, KeyObject } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { CradleError, base64UrlDecode, isCradleError } from '@cradle/core';
import { loadLedgerConfig } from '@cradle/ledger';
import {
  addTrustedIssuer,
  didKeyFromEd25519PublicKey,
  exportBundle,
  importBundle,
  importTrustList,
  removeTrustedIssuer,
  sync,
  trustDecision,
  trustedIssuers,
  verify,
} from '@cradle/verifier';
import type { SyncReport, VerificationResult } from '@cradle/verifier';
import { FileVerifierStore, mirrorsFromArgs, nodeSignatureVerifier, packsFromArgs, readVerifierInput } from '@cradle/verifier/node';
import { resolveHome, withCommonOptions } from '../context.js';
import type { CommonOptions } from '../context.js';
import { action } from '../output.js';
import type { CommandOutput } from '../output.js';

/** Exit status of `checkpoint verify` per outcome (DESIGN.md CLI contract); 2 also when it could not verify at all. */
export const VERIFY_EXIT = { valid: 0, invalid: 1, indeterminate: 2 } as const;

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * Parse a duration such as `24h`, `7d`, `90m`, `3600s` or `3600` (seconds).
 *
 * @example
 * ```ts
 * parseDuration('24h') // 86400
 * ```
 */
export function parseDuration(text: string): number {
  const m = /^\s*(\d{1,9})\s*([smhdw]?)\s*$/i.exec(text);
  const n = m === null ? NaN : Number(m[1]) * (UNITS[(m[2] || 's').toLowerCase()] ?? NaN);
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new CradleError('INVALID_ARGUMENT', `"${text}" is not a duration: use a number with s, m, h, d or w (e.g. 24h, 7d).`);
  }
  return n;
}

function parseTime(text: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new CradleError('INVALID_ARGUMENT', `"${text}" is not a date-time (e.g. 2026-11-23T10:00:00Z).`);
  return ms;
}

async function openStore(opts: CommonOptions): Promise<FileVerifierStore> {
  return FileVerifierStore.open(resolveHome('checkpoint', opts));
}

async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w', 0o644);
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

function headline(r: VerificationResult): string {
  const what = r.kind === 'presentation' ? 'presentation' : 'credential';
  if (r.outcome === 'valid') return `VALID: this ${what} checks out${r.kind === 'presentation' ? ', and the presenter is a listed guardian' : ''}.`;
  if (r.outcome === 'invalid') return `INVALID: do not accept this ${what}.`;
  return `CANNOT CONFIRM: this ${what} could not be fully checked on this device. Do not treat it as valid.`;
}

function ago(seconds: number): string {
  if (seconds < 120) return `${seconds} seconds`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} minutes`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} hours`;
  return `${Math.round(seconds / 86_400)} days`;
}

/** Human text of a verification result: headline, facts, every failed check. */
export function formatResult(r: VerificationResult): string {
  const lines = [headline(r), ''];
  const f = r.facts;
  if (f?.child !== undefined) {
    const age = f.child.ageYears === undefined ? '' : ` (${f.child.ageYears} year${f.child.ageYears === 1 ? '' : 's'} old)`;
    lines.push(`  Child:               ${f.child.givenName} ${f.child.familyName}, born ${f.child.birthDate}${age}`);
  }
  if (f?.registrationNumber !== undefined) lines.push(`  Registration number: ${f.registrationNumber}`);
  if (f !== undefined) lines.push(`  Registrar:           ${f.registrar.did} (${f.registrar.trusted ? 'accredited' : 'NOT accredited here'})`);
  if (f?.guardian !== undefined) lines.push(`  Presented by:        ${f.guardian.did} (${f.guardian.isListedGuardian ? 'a listed guardian of this child' : 'NOT a confirmed guardian'})`);
  if (f?.guardians !== undefined) lines.push(`  Guardians listed:    ${f.guardians.join(', ')}`);
  if (r.statusAge !== undefined) lines.push(`  Status data:         ${ago(r.statusAge.seconds)} old (as of ${r.statusAge.asOf.slice(0, 16).replace('T', ' ')} UTC)`);
  if (r.bearer) lines.push('  Note: a bare credential shows the record is genuine, not that the person holding it is the child or a guardian.');
  if (r.errors.length > 0) {
    lines.push('', 'Failed checks:');
    for (const e of r.errors) lines.push(`  - [${e.code}]${e.where !== undefined && e.where !== 'credential' && e.where !== 'presentation' ? ` (${e.where})` : ''} ${e.message}`);
  }
  return lines.join('\n');
}

function syncText(r: SyncReport): string {
  const count = (o: string) => r.lists.filter((l) => l.outcome === o).length;
  const lines = [r.ok ? 'Sync complete.' : 'Sync finished with problems: what was cached before is kept for the failed parts.'];
  if (r.ok && r.didDocuments.length === 0 && r.lists.length === 0) lines.push('  No trusted registrar on this ledger yet: add one with `cradle checkpoint trust add DID`.');
  if (r.ledger !== undefined) lines.push(`  Ledger blocks read: ${r.ledger.fromBlock}..${r.ledger.toBlock} (head ${r.ledger.head})`);
  lines.push(`  Registrar DID documents: ${r.didDocuments.filter((d) => d.outcome === 'updated').length} refreshed, ${r.didDocuments.filter((d) => d.outcome === 'failed').length} failed`);
  lines.push(`  Status lists: ${count('updated')} updated, ${count('unchanged')} unchanged, ${count('failed')} failed`);
  if (r.trustList !== undefined) lines.push(`  Governance trust list: ${r.trustList.outcome}${r.trustList.version === undefined ? '' : ` (version ${r.trustList.version})`}`);
  for (const f of r.failures) lines.push(`  - [${f.code}] ${f.source}: ${f.message}`);
  return lines.join('\n');
}

type VerifyOptions = CommonOptions & { nonce?: string; domain?: string; at?: string; maxStatusAge?: string };

async function verifyCommand(input: string, common: CommonOptions): Promise<CommandOutput> {
  const opts = common as VerifyOptions;
  let result: VerificationResult;
  try {
    const store = await openStore(opts);
    const text = await readVerifierInput(input);
    result = await verify(text, {
      store,
      signatureVerifier: nodeSignatureVerifier,
      ...(opts.nonce === undefined ? {} : { nonce: opts.nonce }),
      ...(opts.domain === undefined ? {} : { domain: opts.domain }),
      ...(opts.at === undefined ? {} : { now: parseTime(opts.at) }),
      ...(opts.maxStatusAge === undefined ? {} : { maxStatusAge: parseDuration(opts.maxStatusAge) }),
    });
  } catch (e) {
    // The command could not verify at all (no checkpoint here, unreadable file or image): "cannot confirm".
    const code = isCradleError(e) ? e.code : 'INTERNAL';
    const message = e instanceof Error ? e.message : String(e);
    return {
      json: { outcome: 'indeterminate', verified: false, errors: [{ code, message }], error: { code, message } },
      text: `CANNOT CONFIRM: the input could not be verified.\n  - [${code}] ${message}`,
      exitCode: VERIFY_EXIT.indeterminate,
    };
  }
  return {
    json: { ...result, errors: result.errors.map((e) => ({ ...e })) },
    text: formatResult(result),
    exitCode: VERIFY_EXIT[result.outcome],
  };
}

/** An Ed25519 signer from a private JWK file (for signed bundles). */
async function loadSigner(path: string, did?: string, kid?: string): Promise<{ did: string; kid: string; sign: (d: Uint8Array) => Uint8Array }> {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: JSON.parse(await readFile(path, 'utf8')) as JsonWebKeyInput['key'], format: 'jwk' });
  } catch (cause) {
    throw new CradleError('INVALID_ARGUMENT', `${path} is not a private key in JWK form (kty OKP, crv Ed25519, with "d").`, { cause });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new CradleError('INVALID_ARGUMENT', `${path} is not an Ed25519 key.`);
  const x = createPublicKey(key).export({ format: 'jwk' }).x;
  const didKey = didKeyFromEd25519PublicKey(base64UrlDecode(x ?? ''));
  const signerDid = did ?? didKey;
  const signerKid = kid ?? (signerDid === didKey ? `${didKey}#${didKey.slice('did:key:'.length)}` : undefined);
  if (signerKid === undefined) throw new CradleError('INVALID_ARGUMENT', '--sign-kid is required with --sign-did (the verification method of the key in that DID).');
  return { did: signerDid, kid: signerKid, sign: (d) => new Uint8Array(nodeSign(null, d, key)) };
}

/** `cradle checkpoint ...`: sync while online, verify offline. */
export function registerCheckpointCommands(program: Command): void {
  const checkpoint = program.command('checkpoint').description('checkpoint: sync status data while online, verify credentials offline');

  withCommonOptions(checkpoint.command('init'), 'checkpoint')
    .description('set up a checkpoint')
    .requiredOption('--ledger <file>', 'ledger config')
    .option('--max-status-age <duration>', 'oldest status data that may still answer "valid" (e.g. 24h, 7d)', '24h')
    .option('--clock-skew <duration>', 'allowed clock difference when checking validity dates', '5m')
    .option('--governance <did>', 'DID of the governance authority whose signed trust list and bundles this checkpoint accepts')
    .action(
      action(async (common: CommonOptions) => {
        const opts = common as CommonOptions & { ledger: string; maxStatusAge: string; clockSkew: string; governance?: string };
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
        await store.write({
          config: { maxStatusAge, clockSkew, ledger: publicLedger, ...(opts.governance === undefined ? {} : { governanceDid: opts.governance }) },
        });
        return {
          json: { home, ledger: { chainId: ledger.chainId, name: ledger.name ?? null }, maxStatusAge, clockSkew, governanceDid: opts.governance ?? null },
          text: `Checkpoint ready in ${home} (chain ${ledger.chainId}, status data valid for ${opts.maxStatusAge}).\nNext: cradle checkpoint trust add <registrar DID>, then cradle checkpoint sync.`,
        };
      }),
    );

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

  withCommonOptions(checkpoint.command('sync'), 'checkpoint')
    .description('fetch anchors, status lists, DID documents and the trust list (needs a network)')
    .option('--mirror <url-or-dir...>', 'extra places to fetch signed status lists from')
    .option('--pack <url-or-file...>', 'status-list packs (a registrar\'s /status-pack URL, or a pack file), tried before any per-list request')
    .action(
      action(async (common: CommonOptions) => {
        const opts = common as CommonOptions & { mirror?: string[]; pack?: string[] };
        const store = await openStore(opts);
        const report = await sync({
          store,
          packs: packsFromArgs(opts.pack ?? []),
          mirrors: mirrorsFromArgs(opts.mirror ?? []),
          signatureVerifier: nodeSignatureVerifier,
        });
        return { json: { ...report }, text: syncText(report), exitCode: report.ok ? 0 : 1 };
      }),
    );

  withCommonOptions(checkpoint.command('verify'), 'checkpoint')
    .description('verify a credential or presentation offline (exit 0 valid, 1 invalid, 2 indeterminate or could not verify)')
    .argument('<input>', 'compact JWT, QR payload, a file (text or PNG), or - for stdin')
    .option('--nonce <n>', 'nonce this checkpoint gave the guardian (presentations)')
    .option('--domain <d>', 'domain of this checkpoint (presentations)')
    .option('--at <time>', 'verify as of this time instead of now (audits, drills)')
    .option('--max-status-age <duration>', 'override the checkpoint limit on status-data age for this check')
    .action(action(verifyCommand, 2));

  const bundle = checkpoint.command('bundle').description('trust bundles for checkpoints that never connect');
  withCommonOptions(bundle.command('export'), 'checkpoint')
    .description('write everything a checkpoint needs into one self-authenticating file')
    .argument('<file>', 'bundle file to write')
    .option('--sign-key <jwk-file>', "sign the bundle with this Ed25519 private key (JWK): the governance authority's, so checkpoints trust its registrar list and sync times")
    .option('--sign-did <did>', 'DID of the signing key (default: the did:key of --sign-key)')
    .option('--sign-kid <kid>', 'verification method id of the signing key (default: the did:key method)')
    .action(
      action(async (file: string, common: CommonOptions) => {
        const opts = common as CommonOptions & { signKey?: string; signDid?: string; signKid?: string };
        const store = await openStore(opts);
        const signer = opts.signKey === undefined ? undefined : await loadSigner(opts.signKey, opts.signDid, opts.signKid);
        const bytes = await exportBundle(store, signer === undefined ? {} : { signer });
        const path = resolve(file);
        await writeFileAtomic(path, bytes);
        const state = await store.load();
        return {
          json: { file: path, bytes: bytes.length, statusLists: state.statusLists.length, didDocuments: state.didDocuments.length, signedBy: signer?.did ?? null },
          text: `Wrote ${path} (${state.statusLists.length} status lists, ${state.didDocuments.length} DID documents${signer ? `, signed by ${signer.did}` : ', unsigned'}). Carry it to the checkpoint and run \`cradle checkpoint bundle import\`.`,
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
          bytes = new Uint8Array(await readFile(file));
        } catch (cause) {
          throw new CradleError('NOT_FOUND', `Cannot read the bundle ${file} (in ${dirname(resolve(file))}).`, { cause });
        }
        const report = await importBundle(store, bytes, { signatureVerifier: nodeSignatureVerifier });
        const lines = [`Imported ${report.statusLists} status lists and ${report.didDocuments} DID documents${report.signed ? ` (bundle signed by ${report.signedBy})` : ' (unsigned bundle)'}.`];
        if (report.skippedOlder > 0) lines.push(`  ${report.skippedOlder} lists skipped: this checkpoint already has the same or newer data.`);
        if (report.trustNotImported.length > 0) {
          lines.push('  The bundle lists these registrars as trusted; an unsigned bundle cannot grant trust. Add the ones you accredit with `cradle checkpoint trust add DID`:');
          for (const d of report.trustNotImported) lines.push(`    ${d}`);
        }
        return { json: { ...report }, text: lines.join('\n') };
      }),
    );
}
