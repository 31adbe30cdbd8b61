import { existsSync, statSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CradleError } from '@cradle/core';
import { createWallet, groupByChild, parseCheckpointChallenge } from '@cradle/holder';
import type { StoredCredential, Wallet } from '@cradle/holder';
import { resolveHome, resolveSecret, withCommonOptions } from '../context.js';
import type { CommonOptions } from '../context.js';
import { action } from '../output.js';
import type { CommandOutput } from '../output.js';

interface BackupOptions extends CommonOptions {
  passphraseFile?: string;
}

interface PresentCliOptions extends CommonOptions {
  child: string;
  nonce?: string;
  domain?: string;
  challenge?: string;
  guardian?: string;
  ttl?: string;
  png?: string;
}

const MAX_INPUT_BYTES = 1024 * 1024;

/** `cradle wallet ...`: the guardian's wallet. */
export function registerWalletCommands(program: Command): void {
  const wallet = program.command('wallet').description("guardian wallet: hold children's credentials and present them at checkpoints");

  withCommonOptions(wallet.command('init'), 'wallet', { secret: true })
    .description('create an empty wallet')
    .action(
      action(async (opts: CommonOptions) =>
        withWallet(opts, 'create', async (w) => ({
          json: { home: resolveHome('wallet', opts), database: w.databasePath, created: w.created },
          text: w.created
            ? `Wallet created at ${w.databasePath}.\nKeep CRADLE_SECRET (or the --secret-file) safe: the keys cannot be opened without it. Make backups with \`cradle wallet backup\`.`
            : `A wallet already exists at ${w.databasePath}; the secret opens it. Nothing changed.`,
        })),
      ),
    );

  withCommonOptions(wallet.command('create-did'), 'wallet', { secret: true })
    .description('create a did:key (Ed25519) for a guardian or a child')
    .option('--label <name>', 'a local label (never leaves the wallet)')
    .action(
      action(async (opts: CommonOptions & { label?: string }) =>
        withWallet(opts, 'error', async (w) => {
          const { did } = await w.createDid(opts.label === undefined ? {} : { label: opts.label });
          return { json: { did }, text: did };
        }),
      ),
    );

  withCommonOptions(wallet.command('import'), 'wallet', { secret: true })
    .description('import a credential (compact JWT or QR payload), from an argument, a file, or - for stdin')
    .argument('<input>', 'the credential, a file path, or -')
    .action(
      action(async (input: string, opts: CommonOptions) => {
        const credential = await readCredentialInput(input);
        return withWallet(opts, 'error', async (w) => {
          const { credential: c, created } = await w.importCredential(credential);
          return {
            json: {
              id: c.id,
              type: c.type,
              subject: c.subject,
              issuer: c.issuer,
              format: c.format,
              created,
              ...(c.validUntil !== undefined ? { validUntil: c.validUntil } : {}),
            },
            text:
              `${created ? 'Imported' : 'Already in the wallet:'} ${c.type} ${c.id}\n  child:  ${c.subject}\n  issuer: ${c.issuer}` +
              (c.guardians.length > 0 ? `\n  guardians: ${c.guardians.map((g) => g.id + (g.role ? ` (${g.role})` : '')).join(', ')}` : '') +
              (c.validUntil !== undefined && Date.parse(c.validUntil) <= Date.now()
                ? `\nNote: this credential expired on ${c.validUntil}; checkpoints will refuse it. Ask the registrar for a new one.`
                : '') +
              "\nThe wallet checked the credential's form and that it is addressed to a DID held here; the issuer's signature is checked at the checkpoint.",
          };
        });
      }),
    );

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
                credentials: [...g.birth, ...g.guardianship].map(summary),
              })),
            },
            text: listText(dids, children),
          };
        }),
      ),
    );

  withCommonOptions(wallet.command('show'), 'wallet', { secret: true })
    .description('show one credential')
    .argument('<id>', 'credential id')
    .action(
      action(async (id: string, opts: CommonOptions) =>
        withWallet(opts, 'error', async (w) => {
          const c = await w.getCredential(id);
          if (c === undefined) throw new CradleError('NOT_FOUND', `No credential ${id} in this wallet (see \`cradle wallet list\`).`);
          return {
            json: { credential: { ...summary(c), credentialSubject: c.credentialSubject, jwt: c.jwt } },
            text: [
              `${c.type} ${c.id}`,
              `  format:    ${c.format}`,
              `  issuer:    ${c.issuer}`,
              `  child:     ${c.subject}`,
              ...(c.validFrom ? [`  valid from: ${c.validFrom}`] : []),
              ...(c.validUntil ? [`  valid until: ${c.validUntil}`] : []),
              `  imported:  ${c.importedAt}`,
              `  subject:   ${JSON.stringify(c.credentialSubject, null, 2).replace(/\n/g, '\n  ')}`,
            ].join('\n'),
          };
        }),
      ),
    );

  withCommonOptions(wallet.command('delete'), 'wallet', { secret: true })
    .description('delete one credential from the wallet')
    .argument('<id>', 'credential id')
    .action(
      action(async (id: string, opts: CommonOptions) =>
        withWallet(opts, 'error', async (w) => {
          if (!(await w.deleteCredential(id))) throw new CradleError('NOT_FOUND', `No credential ${id} in this wallet.`);
          return { json: { id, deleted: true }, text: `Deleted ${id}.` };
        }),
      ),
    );

  withCommonOptions(wallet.command('present'), 'wallet', { secret: true })
    .description("present a child's credentials at a checkpoint")
    .requiredOption('--child <did>', "the child's DID (or its label in this wallet)")
    .option('--nonce <n>', "the checkpoint's nonce (or give --challenge)")
    .option('--domain <d>', "the checkpoint's domain (or give --challenge)")
    .option('--challenge <text|file|->', 'the text of the checkpoint\'s challenge QR code, {"nonce","domain"}: as an argument, a file, or - for stdin')
    .option('--guardian <did>', 'the presenting guardian (default: the guardian held in this wallet)')
    .option('--ttl <seconds>', 'how long the presentation is valid (default 300, at most 3600)')
    .option('--png <file>', 'also write the QR code as a PNG')
    .action(
      action(async (common: CommonOptions) => {
        // commander enforces --child
        const opts = common as PresentCliOptions;
        const { nonce, domain } = await challengeOf(opts);
        return withWallet(opts, 'error', async (w) => {
          const ttlSeconds = opts.ttl === undefined ? undefined : parseSeconds(opts.ttl);
          const p = await w.present({
            child: opts.child,
            nonce,
            domain,
            ...(opts.guardian !== undefined ? { guardian: opts.guardian } : {}),
            ...(ttlSeconds !== undefined ? { ttlSeconds } : {}),
            png: opts.png !== undefined,
          });
          let pngPath: string | undefined;
          if (opts.png !== undefined && p.png !== undefined) {
            pngPath = resolve(opts.png);
            await writeFile(pngPath, p.png);
          }
          return {
            json: { jwt: p.jwt, qr: p.qr, child: p.child, guardian: p.guardian, expiresAt: p.expiresAt, ...(pngPath ? { png: pngPath } : {}) },
            text:
              `Presentation for ${p.child}, signed by guardian ${p.guardian}, valid until ${p.expiresAt}.\n` +
              (pngPath ? `QR code written to ${pngPath}.\n` : '') +
              `QR payload:\n${p.qr}`,
          };
        });
      }),
    );

  withCommonOptions(wallet.command('backup'), 'wallet', { secret: true })
    .description('write an encrypted backup of keys and credentials (passphrase: --passphrase-file or $CRADLE_BACKUP_PASSPHRASE)')
    .argument('<file>', 'backup file to write')
    .option('--passphrase-file <file>', 'file holding the backup passphrase (default: $CRADLE_BACKUP_PASSPHRASE)')
    .action(
      action(async (file: string, opts: BackupOptions) => {
        const passphrase = await resolvePassphrase(opts);
        return withWallet(opts, 'error', async (w) => {
          const b = await w.backup(file, passphrase);
          return {
            json: { ...b },
            text: `Backup written to ${b.path}: ${b.dids} DIDs, ${b.credentials} credentials, encrypted with the passphrase. Keep the passphrase apart from the file.`,
          };
        });
      }),
    );

  withCommonOptions(wallet.command('restore'), 'wallet', { secret: true })
    .description('restore a backup into this (empty) wallet (passphrase: --passphrase-file or $CRADLE_BACKUP_PASSPHRASE)')
    .argument('<file>', 'backup file to read')
    .option('--passphrase-file <file>', 'file holding the backup passphrase (default: $CRADLE_BACKUP_PASSPHRASE)')
    .action(
      action(async (file: string, opts: BackupOptions) => {
        const passphrase = await resolvePassphrase(opts);
        return withWallet(opts, 'create', async (w) => {
          let b: Awaited<ReturnType<Wallet['restore']>>;
          try {
            b = await w.restore(file, passphrase);
          } catch (e) {
            // A failed restore into a new home leaves no empty wallet behind: nothing changed on disk.
            if (w.created) {
              await w.close();
              await rm(w.databasePath, { force: true });
              await rm(`${w.databasePath}-journal`, { force: true });
            }
            throw e;
          }
          return {
            json: { ...b },
            text: `Restored ${b.dids} DIDs and ${b.credentials} credentials from ${b.path} into ${w.databasePath}. Its keys are now encrypted with this wallet's secret.`,
          };
        });
      }),
    );
}

async function withWallet(
  opts: CommonOptions,
  ifMissing: 'create' | 'error',
  fn: (wallet: Wallet) => Promise<CommandOutput>,
): Promise<CommandOutput> {
  const home = resolveHome('wallet', opts);
  const secret = await resolveSecret(opts);
  const wallet = await createWallet({ home, secret, ifMissing });
  try {
    return await fn(wallet);
  } finally {
    await wallet.close();
  }
}

/** The nonce and domain: from --challenge (the checkpoint's QR text), or from --nonce and --domain. */
async function challengeOf(opts: PresentCliOptions): Promise<{ nonce: string; domain: string }> {
  if (opts.challenge !== undefined) {
    if (opts.nonce !== undefined || opts.domain !== undefined) {
      throw new CradleError('INVALID_ARGUMENT', 'Give either --challenge or --nonce and --domain, not both.');
    }
    const text = opts.challenge === '-' ? await readStdin() : looksLikeFile(opts.challenge) ? await readFile(opts.challenge, 'utf8') : opts.challenge;
    return parseCheckpointChallenge(text);
  }
  if (opts.nonce === undefined || opts.domain === undefined) {
    throw new CradleError('INVALID_ARGUMENT', "Give the checkpoint's --nonce and --domain (as shown under its QR code), or its --challenge.");
  }
  return { nonce: opts.nonce.trim(), domain: opts.domain.trim() };
}

/** The credential: from stdin (`-`), a file, or the argument itself; `registrar issue --json` output also works. */
async function readCredentialInput(input: string): Promise<string> {
  let text: string;
  if (input === '-') {
    text = await readStdin();
  } else if (looksLikeFile(input)) {
    const path = resolve(input);
    if (statSync(path).size > MAX_INPUT_BYTES) throw new CradleError('TOO_LARGE', `${input} is too large to be a credential.`);
    text = await readFile(path, 'utf8');
  } else {
    text = input;
  }
  text = text.trim();
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      throw new CradleError('MALFORMED', 'The input looks like JSON but is not valid JSON.', { cause });
    }
    const jwt = (parsed as { jwt?: unknown } | null)?.jwt;
    if (typeof jwt !== 'string') throw new CradleError('MALFORMED', 'JSON input must have a "jwt" field (as `cradle registrar issue --json` prints).');
    return jwt;
  }
  return text;
}

function looksLikeFile(input: string): boolean {
  // A compact JWS or QR payload is never an existing path; anything that is one is read as a file.
  try {
    return input.length < 4096 && existsSync(input) && statSync(input).isFile();
  } catch {
    return false;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_INPUT_BYTES) throw new CradleError('TOO_LARGE', 'The input on stdin is too large to be a credential.');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The backup passphrase: never a command-line argument (it would show in `ps` and shell history). */
async function resolvePassphrase(opts: BackupOptions): Promise<string> {
  let passphrase: string | undefined;
  if (opts.passphraseFile !== undefined) {
    try {
      passphrase = (await readFile(opts.passphraseFile, 'utf8')).trim();
    } catch (cause) {
      throw new CradleError('SECRET_MISSING', `Cannot read the passphrase file ${opts.passphraseFile}.`, { cause });
    }
  } else {
    passphrase = process.env.CRADLE_BACKUP_PASSPHRASE?.trim();
  }
  if (passphrase === undefined || passphrase === '') {
    throw new CradleError('SECRET_MISSING', 'No backup passphrase: set CRADLE_BACKUP_PASSPHRASE or pass --passphrase-file FILE.');
  }
  return passphrase;
}

function parseSeconds(text: string): number {
  if (!/^[0-9]{1,5}$/.test(text)) throw new CradleError('INVALID_ARGUMENT', '--ttl is a whole number of seconds (1 to 3600).');
  return Number(text);
}

function summary(c: StoredCredential): Record<string, unknown> {
  return {
    id: c.id,
    type: c.type,
    format: c.format,
    subject: c.subject,
    issuer: c.issuer,
    ...(c.guardians.length > 0 ? { guardians: c.guardians } : {}),
    ...(c.validFrom !== undefined ? { validFrom: c.validFrom } : {}),
    ...(c.validUntil !== undefined ? { validUntil: c.validUntil } : {}),
    importedAt: c.importedAt,
  };
}

function listText(
  dids: Awaited<ReturnType<Wallet['listDids']>>,
  children: ReturnType<typeof groupByChild>,
): string {
  if (dids.length === 0) return 'The wallet is empty. Create DIDs with `cradle wallet create-did --label NAME`.';
  const lines = ['DIDs:'];
  for (const d of dids) {
    const role = d.roles.length > 0 ? ` [${d.roles.join(', ')}]` : '';
    lines.push(`  ${d.did}${d.label !== undefined ? `  ${d.label}` : ''}${role}`);
  }
  lines.push('', children.length === 0 ? 'No credentials yet (`cradle wallet import`).' : 'Credentials by child:');
  for (const g of children) {
    lines.push(`  ${g.label !== undefined ? `${g.label}  ` : ''}${g.child}`);
    if (g.birth.length === 0) lines.push('    (no birth-registration credential)');
    for (const c of [...g.birth, ...g.guardianship]) {
      const until = c.validUntil !== undefined ? `, until ${c.validUntil}` : '';
      lines.push(`    ${c.type.replace('Credential', '')}  ${c.id}  from ${c.issuer}${until}`);
    }
    if (g.guardianship.length === 0) lines.push('    (no guardianship credential: cannot present at a checkpoint yet)');
  }
  return lines.join('\n');
}
