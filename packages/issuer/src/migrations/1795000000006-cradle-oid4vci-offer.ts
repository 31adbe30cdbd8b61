import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * OpenID4VCI pre-authorized credential offers (issue #17): one row per offer. Only hashes of the
 * pre-authorized code and of the transaction code are kept (a copy of the database cannot redeem an
 * offer). `redeemed_at` makes the code single-use, `delivered_at` the credential request, and
 * `failed_tx_codes` bounds guessing of the short transaction code.
 */
export class CradleOid4vciOffer1795000000006 implements MigrationInterface {
  name = 'CradleOid4vciOffer1795000000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "cradle_oid4vci_offer" (
      "id" varchar PRIMARY KEY NOT NULL,
      "credential_id" varchar NOT NULL REFERENCES "cradle_credential" ("id"),
      "code_hash" varchar NOT NULL UNIQUE,
      "tx_code_hash" varchar NOT NULL,
      "failed_tx_codes" integer NOT NULL DEFAULT 0,
      "expires_at" varchar NOT NULL,
      "redeemed_at" varchar,
      "delivered_at" varchar,
      "created_at" varchar NOT NULL
    )`);
    await q.query(`CREATE INDEX "idx_cradle_oid4vci_offer_credential" ON "cradle_oid4vci_offer" ("credential_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "cradle_oid4vci_offer"`);
  }
}
