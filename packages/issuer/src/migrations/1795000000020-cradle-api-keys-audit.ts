import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isPostgres } from './dialect.js';

/**
 * Per-user API keys with roles, and the append-only audit log (issue #19 item 3).
 *
 * - `cradle_api_key`: one row per key: a public id, the holder's name, a role (`clerk`, `supervisor`,
 *   `operator`) and the sha256 of the secret token (never the token), revocable.
 * - `cradle_audit`: who did what, when and why: one row per issuance, status change, publication and
 *   key change, with nothing personal beyond the credential id. Triggers refuse UPDATE and DELETE.
 * - `cradle_credential.issued_by`: the key that issued it; the issuance's audit row is written by a
 *   trigger on the same INSERT, so a credential is never stored without its audit row.
 */
export class CradleApiKeysAudit1795000000020 implements MigrationInterface {
  name = 'CradleApiKeysAudit1795000000020';

  async up(q: QueryRunner): Promise<void> {
    const pg = isPostgres(q);
    await q.query(`CREATE TABLE "cradle_api_key" (
      "id" varchar PRIMARY KEY NOT NULL,
      "name" varchar NOT NULL,
      "role" varchar NOT NULL CHECK ("role" IN ('clerk', 'supervisor', 'operator')),
      "secret_hash" varchar NOT NULL UNIQUE,
      "created_at" varchar NOT NULL,
      "revoked_at" varchar)`);
    await q.query(`CREATE TABLE "cradle_audit" (
      "seq" ${pg ? 'serial PRIMARY KEY' : 'integer PRIMARY KEY AUTOINCREMENT'} NOT NULL,
      "at" varchar NOT NULL,
      "actor" varchar NOT NULL,
      "actor_key" varchar,
      "action" varchar NOT NULL,
      "credential_id" varchar,
      "reason" varchar,
      "detail" varchar)`);
    await q.query(`CREATE INDEX "idx_cradle_audit_credential" ON "cradle_audit" ("credential_id")`);
    await q.query(`ALTER TABLE "cradle_credential" ADD COLUMN "issued_by" varchar`);
    await q.query(`ALTER TABLE "cradle_credential" ADD COLUMN "issued_by_key" varchar`);
    if (pg) {
      await q.query(`CREATE FUNCTION "cradle_audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'cradle_audit is append-only';
      END $$`);
      await q.query(`CREATE TRIGGER "cradle_audit_no_update" BEFORE UPDATE OR DELETE ON "cradle_audit" FOR EACH ROW EXECUTE FUNCTION "cradle_audit_append_only"()`);
      await q.query(`CREATE FUNCTION "cradle_credential_audit"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO "cradle_audit" ("at", "actor", "actor_key", "action", "credential_id", "detail")
          VALUES (NEW."created_at", COALESCE(NEW."issued_by", 'library'), NEW."issued_by_key", 'issue', NEW."id", NEW."type");
        RETURN NEW;
      END $$`);
      await q.query(`CREATE TRIGGER "cradle_credential_audit" AFTER INSERT ON "cradle_credential" FOR EACH ROW EXECUTE FUNCTION "cradle_credential_audit"()`);
    } else {
      await q.query(`CREATE TRIGGER "cradle_audit_no_update" BEFORE UPDATE ON "cradle_audit" BEGIN SELECT RAISE(ABORT, 'cradle_audit is append-only'); END`);
      await q.query(`CREATE TRIGGER "cradle_audit_no_delete" BEFORE DELETE ON "cradle_audit" BEGIN SELECT RAISE(ABORT, 'cradle_audit is append-only'); END`);
      await q.query(`CREATE TRIGGER "cradle_credential_audit" AFTER INSERT ON "cradle_credential"
        BEGIN
          INSERT INTO "cradle_audit" ("at", "actor", "actor_key", "action", "credential_id", "detail")
            VALUES (NEW."created_at", COALESCE(NEW."issued_by", 'library'), NEW."issued_by_key", 'issue', NEW."id", NEW."type");
        END`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const pg = isPostgres(q);
    await q.query(pg ? 'DROP TRIGGER "cradle_credential_audit" ON "cradle_credential"' : 'DROP TRIGGER "cradle_credential_audit"');
    if (pg) await q.query('DROP FUNCTION "cradle_credential_audit"()');
    await q.query(`ALTER TABLE "cradle_credential" DROP COLUMN "issued_by_key"`);
    await q.query(`ALTER TABLE "cradle_credential" DROP COLUMN "issued_by"`);
    await q.query(`DROP TABLE "cradle_audit"`);
    if (pg) await q.query('DROP FUNCTION "cradle_audit_append_only"()');
    await q.query(`DROP TABLE "cradle_api_key"`);
  }
}
