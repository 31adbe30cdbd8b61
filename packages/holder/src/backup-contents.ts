import { ed25519 } from '@noble/curves/ed25519';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils';
import type { KeyMetadata } from '@veramo/core-types';
import type { ManagedPrivateKey } from '@veramo/key-manager';
import type { Identifier } from '@veramo/data-store';
import { CradleError } from '@cradle/core';
import { ed25519PublicKeyFromDidKey } from './did-key.js';
import type { CredentialRow, LabelRow } from './wallet-tables.js';

/** One key of a backed-up DID, with its private key material (only ever inside the encrypted backup). */
export interface BackupKey {
  kid: string;
  type: 'Ed25519';
  publicKeyHex: string;
  /** Veramo kms-local layout for Ed25519: 32-byte seed followed by the 32-byte public key, hex. */
  privateKeyHex: string;
  meta: KeyMetadata | null;
}

/** What an encrypted backup holds (the plaintext, JSON). */
export interface BackupContents {
  kind: 'cradle-wallet';
  createdAt: string;
  dids: { did: string; provider: string; alias?: string; controllerKeyId: string; keys: BackupKey[] }[];
  labels: LabelRow[];
  credentials: { id: string; jwt: string; importedAt: string }[];
}

/** Collect the wallet's state into backup contents. */
export function buildBackupContents(input: {
  createdAt: string;
  identifiers: Identifier[];
  privateKeys: ManagedPrivateKey[];
  labels: LabelRow[];
  credentials: CredentialRow[];
}): BackupContents {
  const privateByAlias = new Map(input.privateKeys.map((k) => [k.alias, k]));
  return {
    kind: 'cradle-wallet',
    createdAt: input.createdAt,
    dids: input.identifiers.map((identifier) => {
      if (identifier.controllerKeyId === undefined || identifier.provider !== 'did:key') {
        throw new CradleError('CONFIG_INVALID', `The wallet holds ${identifier.did}, which is not a did:key with a key; it cannot be backed up.`);
      }
      return {
        did: identifier.did,
        provider: identifier.provider,
        ...(identifier.alias ? { alias: identifier.alias } : {}),
        controllerKeyId: identifier.controllerKeyId,
        keys: identifier.keys.map((key) => {
          const secret = privateByAlias.get(key.kid);
          if (secret === undefined || secret.privateKeyHex === '' || key.type !== 'Ed25519') {
            throw new CradleError('CONFIG_INVALID', `The private key of ${identifier.did} is missing or unreadable; the backup was not written.`);
          }
          return { kid: key.kid, type: 'Ed25519', publicKeyHex: key.publicKeyHex, privateKeyHex: secret.privateKeyHex, meta: key.meta ?? null };
        }),
      };
    }),
    labels: input.labels.map((l) => ({ did: l.did, label: l.label })),
    credentials: input.credentials.map((c) => ({ id: c.id, jwt: c.jwt, importedAt: c.importedAt })),
  };
}

/**
 * Parse and check decrypted backup contents: every private key must match its public key and its
 * `did:key`, so that a restored wallet signs as the original did.
 */
export function parseBackupContents(plaintext: Uint8Array): BackupContents {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch (cause) {
    throw new CradleError('BACKUP_INVALID', 'The backup decrypted but its contents are not readable.', { cause });
  }
  const c = value as Partial<BackupContents> | null;
  if (typeof c !== 'object' || c === null || c.kind !== 'cradle-wallet' || !Array.isArray(c.dids) || !Array.isArray(c.labels) || !Array.isArray(c.credentials)) {
    throw new CradleError('BACKUP_INVALID', 'The backup decrypted but does not hold a Cradle wallet.');
  }
  for (const entry of c.dids) {
    if (typeof entry?.did !== 'string' || entry.provider !== 'did:key' || typeof entry.controllerKeyId !== 'string' || !Array.isArray(entry.keys)) {
      throw new CradleError('BACKUP_INVALID', 'The backup holds a damaged DID entry.');
    }
    const didPublicKey = bytesToHex(ed25519PublicKeyFromDidKey(entry.did));
    for (const key of entry.keys) {
      const ok =
        key?.type === 'Ed25519' &&
        typeof key.kid === 'string' &&
        typeof key.publicKeyHex === 'string' &&
        typeof key.privateKeyHex === 'string' &&
        /^[0-9a-f]{128}$/.test(key.privateKeyHex) &&
        bytesToHex(ed25519.getPublicKey(hexToBytes(key.privateKeyHex.slice(0, 64)))) === key.publicKeyHex &&
        key.publicKeyHex === didPublicKey;
      if (!ok) throw new CradleError('BACKUP_INVALID', `The backed-up key of ${entry.did} does not match its DID.`);
    }
  }
  for (const label of c.labels) {
    if (typeof label?.did !== 'string' || typeof label.label !== 'string') throw new CradleError('BACKUP_INVALID', 'The backup holds a damaged label.');
  }
  for (const credential of c.credentials) {
    if (typeof credential?.jwt !== 'string' || typeof credential.importedAt !== 'string') {
      throw new CradleError('BACKUP_INVALID', 'The backup holds a damaged credential.');
    }
  }
  return c as BackupContents;
}
