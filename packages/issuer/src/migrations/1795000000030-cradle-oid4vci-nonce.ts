import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * OpenID4VCI `c_nonce` values already used in a proof of possession (issue #17): a nonce is single-use on
 * every replica of the service. Only the SHA-256 of the nonce is kept, until the nonce expires (rows past
 * `expires_at` are deleted as new nonces are used).
 */
export class CradleOid4vciNonce1795000000030 implements MigrationInterface {
  name = 'CradleOid4vciNonce1795000000030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "cradle_oid4vci_nonce" (
      "nonce_hash" varchar PRIMARY KEY NOT NULL,
      "expires_at" varchar NOT NULL
    )`);
    await q.query(`CREATE INDEX "idx_cradle_oid4vci_nonce_expires" ON "cradle_oid4vci_nonce" ("expires_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "cradle_oid4vci_nonce"`);
  }
}
