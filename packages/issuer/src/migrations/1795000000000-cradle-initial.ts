import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isPostgres } from './dialect.js';

/**
 * Cradle's own tables, next to Veramo's (keys, identifiers, private keys). Names are prefixed `cradle_`.
 *
 * - `cradle_meta`: key-value settings: KDF salt, secret canary, registrar DID and signing kid.
 * - `cradle_credential`: the index of issued credentials (and their signed JWT).
 * - `cradle_status_list`: one row per Bitstring Status List: bits, published version, dirty flag.
 * - `cradle_status_allocation`: every allocated index; the primary key is UNIQUE(list, index), the last
 *   line of defence against two credentials sharing a status entry.
 * - `cradle_status_publication`: every signed list version (what was anchored, byte for byte).
 * - `cradle_anchor_outbox`: the durable anchoring outbox, one row per (list, version).
 * - `cradle_batch`, `cradle_batch_rejection`: batch progress (file hash, last completed row) and rejected rows.
 *
 * Runs on SQLite (the embedded default) and PostgreSQL: the same tables, with `bytea` / `serial` and a
 * PL/pgSQL trigger function where SQLite has `blob` / `AUTOINCREMENT` and an inline trigger body.
 */
export class CradleInitial1795000000000 implements MigrationInterface {
  name = 'CradleInitial1795000000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = isPostgres(q);
    // The same schema on both databases; only these spellings differ.
    const bytes = pg ? 'bytea' : 'blob';
    const serialKey = pg ? 'serial PRIMARY KEY' : 'integer PRIMARY KEY AUTOINCREMENT';
    await q.query(`CREATE TABLE "cradle_meta" ("key" varchar PRIMARY KEY NOT NULL, "value" text NOT NULL)`);
    await q.query(`CREATE TABLE "cradle_status_list" (
      "name" varchar PRIMARY KEY NOT NULL,
      "url" varchar NOT NULL UNIQUE,
      "purpose" varchar NOT NULL CHECK ("purpose" IN ('revocation', 'suspension')),
      "length" integer NOT NULL,
      "capacity" integer NOT NULL,
      "bits" ${bytes} NOT NULL,
      "version" integer NOT NULL DEFAULT 0,
      "dirty" integer NOT NULL DEFAULT 1,
      "full" integer NOT NULL DEFAULT 0,
      "created_at" varchar NOT NULL)`);
    await q.query(`CREATE TABLE "cradle_status_allocation" (
      "list_name" varchar NOT NULL REFERENCES "cradle_status_list" ("name"),
      "idx" integer NOT NULL,
      "credential_id" varchar NOT NULL,
      PRIMARY KEY ("list_name", "idx"))`);
    await q.query(`CREATE TABLE "cradle_credential" (
      "id" varchar PRIMARY KEY NOT NULL,
      "subject" varchar NOT NULL,
      "type" varchar NOT NULL,
      "format" varchar NOT NULL,
      "jwt" text NOT NULL,
      "revocation_list" varchar,
      "revocation_index" integer,
      "suspension_list" varchar,
      "suspension_index" integer,
      "revoked_at" varchar,
      "suspended_at" varchar,
      "batch_id" varchar,
      "batch_row" integer,
      "created_at" varchar NOT NULL)`);
    // Allocation and storage in ONE statement: inserting the credential row inserts its status allocations
    // (UNIQUE(list, index) via the primary key) and advances its batch, atomically. A clash on an index
    // aborts the whole statement, so a credential is never stored without its allocations or vice versa.
    if (pg) {
      await q.query(`CREATE FUNCTION "cradle_credential_allocate"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW."revocation_list" IS NOT NULL THEN
          INSERT INTO "cradle_status_allocation" ("list_name", "idx", "credential_id") VALUES (NEW."revocation_list", NEW."revocation_index", NEW."id");
        END IF;
        IF NEW."suspension_list" IS NOT NULL THEN
          INSERT INTO "cradle_status_allocation" ("list_name", "idx", "credential_id") VALUES (NEW."suspension_list", NEW."suspension_index", NEW."id");
        END IF;
        IF NEW."batch_id" IS NOT NULL THEN
          UPDATE "cradle_batch" SET "last_row" = NEW."batch_row", "issued" = "issued" + 1, "updated_at" = NEW."created_at" WHERE "id" = NEW."batch_id";
        END IF;
        RETURN NEW;
      END $$`);
      await q.query(`CREATE TRIGGER "cradle_credential_allocate" AFTER INSERT ON "cradle_credential" FOR EACH ROW EXECUTE FUNCTION "cradle_credential_allocate"()`);
    } else {
      await q.query(`CREATE TRIGGER "cradle_credential_allocate" AFTER INSERT ON "cradle_credential"
        BEGIN
          INSERT INTO "cradle_status_allocation" ("list_name", "idx", "credential_id")
            SELECT NEW."revocation_list", NEW."revocation_index", NEW."id" WHERE NEW."revocation_list" IS NOT NULL;
          INSERT INTO "cradle_status_allocation" ("list_name", "idx", "credential_id")
            SELECT NEW."suspension_list", NEW."suspension_index", NEW."id" WHERE NEW."suspension_list" IS NOT NULL;
          UPDATE "cradle_batch" SET "last_row" = NEW."batch_row", "issued" = "issued" + 1, "updated_at" = NEW."created_at"
            WHERE NEW."batch_id" IS NOT NULL AND "id" = NEW."batch_id";
        END`);
    }
    await q.query(`CREATE INDEX "idx_cradle_credential_created" ON "cradle_credential" ("created_at", "id")`);
    await q.query(`CREATE INDEX "idx_cradle_credential_subject" ON "cradle_credential" ("subject")`);
    await q.query(`CREATE TABLE "cradle_status_publication" (
      "list_name" varchar NOT NULL REFERENCES "cradle_status_list" ("name"),
      "version" integer NOT NULL,
      "jwt" text NOT NULL,
      "digest" varchar NOT NULL,
      "created_at" varchar NOT NULL,
      PRIMARY KEY ("list_name", "version"))`);
    await q.query(`CREATE TABLE "cradle_anchor_outbox" (
      "id" ${serialKey} NOT NULL,
      "list_name" varchar NOT NULL REFERENCES "cradle_status_list" ("name"),
      "version" integer NOT NULL,
      "list_id" varchar NOT NULL,
      "digest" varchar NOT NULL,
      "uri" varchar NOT NULL,
      "state" varchar NOT NULL CHECK ("state" IN ('queued', 'sent', 'confirmed', 'superseded')),
      "tx_hash" varchar,
      "tx_nonce" integer,
      "attempts" integer NOT NULL DEFAULT 0,
      "next_attempt_at" varchar NOT NULL,
      "sent_at" varchar,
      "confirmed_at" varchar,
      "block_number" integer,
      "last_error" text,
      "created_at" varchar NOT NULL,
      UNIQUE ("list_name", "version"))`);
    await q.query(`CREATE INDEX "idx_cradle_outbox_state" ON "cradle_anchor_outbox" ("state", "next_attempt_at")`);
    await q.query(`CREATE TABLE "cradle_batch" (
      "id" varchar PRIMARY KEY NOT NULL,
      "path" varchar NOT NULL,
      "last_row" integer NOT NULL DEFAULT 0,
      "issued" integer NOT NULL DEFAULT 0,
      "rejected" integer NOT NULL DEFAULT 0,
      "started_at" varchar NOT NULL,
      "updated_at" varchar NOT NULL,
      "completed_at" varchar)`);
    await q.query(`CREATE TABLE "cradle_batch_rejection" (
      "batch_id" varchar NOT NULL REFERENCES "cradle_batch" ("id"),
      "row" integer NOT NULL,
      "field" varchar NOT NULL,
      "message" text NOT NULL)`);
    await q.query(`CREATE INDEX "idx_cradle_batch_rejection" ON "cradle_batch_rejection" ("batch_id", "row")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'cradle_batch_rejection',
      'cradle_batch',
      'cradle_anchor_outbox',
      'cradle_status_publication',
      'cradle_credential',
      'cradle_status_allocation',
      'cradle_status_list',
      'cradle_meta',
    ]) {
      await q.query(`DROP TABLE "${t}"`);
    }
    if (isPostgres(q)) await q.query('DROP FUNCTION "cradle_credential_allocate"()');
  }
}
