import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { CradleError } from '@cradle/core';
import type { PublicJwk } from '@cradle/core';
import { getCredential } from '../credential-records.js';
import { sdJwtVcBoundTo } from '../issue-credential.js';
import type { CredentialRecord } from '../credential-records.js';
import type { RegistrarRuntime } from '../registrar-runtime.js';
import { writeTransaction } from '../sqlite-busy.js';

/** Wrong transaction codes an offer survives; the next wrong one burns it (a 6-digit code must not be guessable online). */
export const MAX_FAILED_TX_CODES = 5;
/** Default lifetime of an offer: the parent scans it at the registry counter or the same day. */
export const DEFAULT_OFFER_TTL_SECONDS = 24 * 3600;
/** Digits of the transaction code the clerk hands over (OpenID4VCI `tx_code`, numeric). */
export const TX_CODE_LENGTH = 6;

/** A freshly created pre-authorized offer: the only time the code and transaction code exist in clear. */
export interface CreatedOffer {
  /** Offer id (stored). */
  offerId: string;
  /** The credential the offer delivers. */
  credentialId: string;
  /** The OpenID4VCI pre-authorized code (goes into the offer URI / QR). */
  preAuthorizedCode: string;
  /** The transaction code, handed to the parent out of band (never in the QR). */
  txCode: string;
  /** ISO date-time after which the code is refused (`invalid_grant`). */
  expiresAt: string;
}

/** Why a token request was refused; the HTTP layer maps each to the OAuth error code. */
export type RedeemRefusal = 'unknown' | 'used' | 'expired' | 'locked' | 'tx_code_missing' | 'tx_code_wrong';

/** The result of redeeming a pre-authorized code at the token endpoint. */
export type RedeemResult = { ok: true; offerId: string; credentialId: string } | { ok: false; reason: RedeemRefusal; attemptsLeft?: number };

/** Why a credential request was refused after its access token was accepted. */
export type DeliveryRefusal = 'unknown' | 'delivered' | 'not_redeemed' | 'revoked' | 'suspended';

/** The offer's credential, or why it cannot be delivered. */
export type DeliveryResult = { ok: true; credential: CredentialRecord } | { ok: false; reason: DeliveryRefusal };

interface OfferRow {
  id: string;
  credential_id: string;
  tx_code_hash: string;
  failed_tx_codes: number;
  expires_at: string;
  redeemed_at: string | null;
  delivered_at: string | null;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The transaction code's hash is keyed by the pre-authorized code, so a copy of the database cannot brute-force it. */
function txCodeHash(preAuthorizedCode: string, txCode: string): string {
  return sha256Hex(`${preAuthorizedCode}\u0000${txCode}`);
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * OpenID4VCI pre-authorized offers in the registrar database (`cradle_oid4vci_offer`): create, redeem
 * (token endpoint, single use, bounded transaction-code attempts) and deliver (credential endpoint,
 * once). Every state change is one write transaction.
 */
export class OfferStore {
  constructor(private readonly rt: RegistrarRuntime) {}

  /**
   * Create an offer for issued credential `credentialId`. `NOT_FOUND` for an unknown id, `CONFLICT` for a
   * revoked or suspended credential.
   */
  async create(credentialId: string, opts: { ttlSeconds?: number } = {}): Promise<CreatedOffer> {
    const ttl = opts.ttlSeconds ?? DEFAULT_OFFER_TTL_SECONDS;
    if (!Number.isSafeInteger(ttl) || ttl < 60 || ttl > 30 * 24 * 3600) {
      throw new CradleError('INVALID_ARGUMENT', 'An offer lives between 60 seconds and 30 days (ttlSeconds).', { details: { field: 'ttlSeconds' } });
    }
    const preAuthorizedCode = randomBytes(32).toString('base64url');
    const txCode = String(randomInt(0, 10 ** TX_CODE_LENGTH)).padStart(TX_CODE_LENGTH, '0');
    const offerId = randomUUID();
    const now = new Date(this.rt.config.now());
    const expiresAt = new Date(now.getTime() + ttl * 1000).toISOString();
    await this.rt.queue.run(() =>
      writeTransaction(this.rt.db, async (tx) => {
        const record = await getCredential(tx, credentialId);
        if (record === undefined) throw new CradleError('NOT_FOUND', `No credential with id ${credentialId} was issued here.`, { details: { id: credentialId } });
        if (record.revokedAt !== null || record.suspendedAt !== null) {
          throw new CradleError('CONFLICT', `Credential ${credentialId} is ${record.revokedAt !== null ? 'revoked' : 'suspended'}; a wallet would receive a credential that no checkpoint accepts.`, { details: { id: credentialId } });
        }
        await tx.query(
          'INSERT INTO "cradle_oid4vci_offer" ("id", "credential_id", "code_hash", "tx_code_hash", "expires_at", "created_at") VALUES (?, ?, ?, ?, ?, ?)',
          [offerId, credentialId, sha256Hex(preAuthorizedCode), txCodeHash(preAuthorizedCode, txCode), expiresAt, now.toISOString()],
        );
      }),
    );
    return { offerId, credentialId, preAuthorizedCode, txCode, expiresAt };
  }

  /**
   * Redeem a pre-authorized code with its transaction code (once). A wrong transaction code counts
   * against the offer; after {@link MAX_FAILED_TX_CODES} the offer is refused for good.
   */
  async redeem(preAuthorizedCode: string, txCode: string | undefined): Promise<RedeemResult> {
    return this.rt.queue.run(() =>
      writeTransaction(this.rt.db, async (tx): Promise<RedeemResult> => {
        const rows = (await tx.query('SELECT * FROM "cradle_oid4vci_offer" WHERE "code_hash" = ?', [sha256Hex(preAuthorizedCode)])) as OfferRow[];
        const row = rows[0];
        if (row === undefined) return { ok: false, reason: 'unknown' };
        if (row.redeemed_at !== null) return { ok: false, reason: 'used' };
        const now = new Date(this.rt.config.now());
        if (now.getTime() > Date.parse(row.expires_at)) return { ok: false, reason: 'expired' };
        if (row.failed_tx_codes >= MAX_FAILED_TX_CODES) return { ok: false, reason: 'locked' };
        if (txCode === undefined || txCode === '') return { ok: false, reason: 'tx_code_missing' };
        if (!sameHex(txCodeHash(preAuthorizedCode, txCode), row.tx_code_hash)) {
          await tx.query('UPDATE "cradle_oid4vci_offer" SET "failed_tx_codes" = "failed_tx_codes" + 1 WHERE "id" = ?', [row.id]);
          return { ok: false, reason: 'tx_code_wrong', attemptsLeft: MAX_FAILED_TX_CODES - row.failed_tx_codes - 1 };
        }
        await tx.query('UPDATE "cradle_oid4vci_offer" SET "redeemed_at" = ? WHERE "id" = ?', [now.toISOString(), row.id]);
        return { ok: true, offerId: row.id, credentialId: row.credential_id };
      }),
    );
  }

  /**
   * Mark `c_nonce` `nonce` (valid until `expiresAt`) used: true the first time, false ever after, on every
   * replica (one serialised write transaction; only its SHA-256 is stored, until it expires).
   */
  async useNonce(nonce: string, expiresAt: Date): Promise<boolean> {
    const hash = sha256Hex(nonce);
    return this.rt.queue.run(() =>
      writeTransaction(this.rt.db, async (tx) => {
        const used = await tx.query('SELECT "nonce_hash" FROM "cradle_oid4vci_nonce" WHERE "nonce_hash" = ?', [hash]);
        if (used.length > 0) return false;
        await tx.query('DELETE FROM "cradle_oid4vci_nonce" WHERE "expires_at" < ?', [new Date(this.rt.config.now()).toISOString()]);
        await tx.query('INSERT INTO "cradle_oid4vci_nonce" ("nonce_hash", "expires_at") VALUES (?, ?)', [hash, expiresAt.toISOString()]);
        return true;
      }),
    );
  }

  /** The credential offer `offerId` delivers (a read: nothing changes), or undefined for an unknown offer. */
  async credentialOf(offerId: string): Promise<CredentialRecord | undefined> {
    const rows = (await this.rt.db.query('SELECT "credential_id" FROM "cradle_oid4vci_offer" WHERE "id" = ?', [offerId])) as { credential_id: string }[];
    return rows[0] === undefined ? undefined : getCredential(this.rt.db, rows[0].credential_id);
  }

  /**
   * A copy of SD-JWT VC `credential` bound (`cnf.jwk`) to `holderKey`, the key a wallet proved: signed
   * before {@link deliver} marks the offer delivered (signing is not a database write); see `sdJwtVcBoundTo`.
   */
  async bindSdJwtVc(credential: CredentialRecord, holderKey: PublicJwk): Promise<string> {
    return sdJwtVcBoundTo(this.rt, credential, holderKey);
  }

  /**
   * The credential of redeemed offer `offerId`, marked delivered in the same transaction when `check`
   * (the proof of possession against the record) passes. A second delivery is refused.
   */
  async deliver(offerId: string, check: (credential: CredentialRecord) => Promise<void>): Promise<DeliveryResult> {
    return this.rt.queue.run(() =>
      writeTransaction(this.rt.db, async (tx): Promise<DeliveryResult> => {
        const rows = (await tx.query('SELECT * FROM "cradle_oid4vci_offer" WHERE "id" = ?', [offerId])) as OfferRow[];
        const row = rows[0];
        if (row === undefined) return { ok: false, reason: 'unknown' };
        if (row.redeemed_at === null) return { ok: false, reason: 'not_redeemed' };
        if (row.delivered_at !== null) return { ok: false, reason: 'delivered' };
        const credential = await getCredential(tx, row.credential_id);
        if (credential === undefined) return { ok: false, reason: 'unknown' };
        if (credential.revokedAt !== null) return { ok: false, reason: 'revoked' };
        if (credential.suspendedAt !== null) return { ok: false, reason: 'suspended' };
        await check(credential);
        await tx.query('UPDATE "cradle_oid4vci_offer" SET "delivered_at" = ? WHERE "id" = ?', [new Date(this.rt.config.now()).toISOString(), row.id]);
        return { ok: true, credential };
      }),
    );
  }
}
