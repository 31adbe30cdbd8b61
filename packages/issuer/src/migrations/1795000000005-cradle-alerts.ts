import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isPostgres } from './dialect.js';

/**
 * Child-protection alerts (issue #14 item 3, docs/privacy.md "Child-protection alerts").
 *
 * - `cradle_status_list` also holds alert lists: `purpose` may be `message`, and `status_size` (bits per
 *   entry) is 2 for them. The CHECK on `purpose` is replaced by adding the column anew (portable: plain
 *   ADD/DROP COLUMN, no table rebuild that would fight the foreign keys pointing at this table).
 * - `cradle_credential.alert_list` / `alert_index`: the birth credential's alert entry, allocated at
 *   random like its revocation entry; the trigger writes the allocation row in the same INSERT, so
 *   UNIQUE(list, index) keeps two credentials from ever sharing an alert entry.
 * - `cradle_alert_event`: who raised or cleared which alert, when, and why (never published).
 *
 * On PostgreSQL the trigger is a PL/pgSQL function (the SQLite statements are unchanged).
 */
export class CradleAlerts1795000000005 implements MigrationInterface {
  name = 'CradleAlerts1795000000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cradle_status_list" ADD COLUMN "purpose_old" varchar`);
    await q.query(`UPDATE "cradle_status_list" SET "purpose_old" = "purpose"`);
    await q.query(`ALTER TABLE "cradle_status_list" DROP COLUMN "purpose"`);
    await q.query(
      `ALTER TABLE "cradle_status_list" ADD COLUMN "purpose" varchar NOT NULL DEFAULT 'revocation' CHECK ("purpose" IN ('revocation', 'suspension', 'message'))`,
    );
    await q.query(`UPDATE "cradle_status_list" SET "purpose" = "purpose_old"`);
    await q.query(`ALTER TABLE "cradle_status_list" DROP COLUMN "purpose_old"`);
    await q.query(`ALTER TABLE "cradle_status_list" ADD COLUMN "status_size" integer NOT NULL DEFAULT 1`);
    await q.query(`ALTER TABLE "cradle_credential" ADD COLUMN "alert_list" varchar`);
    await q.query(`ALTER TABLE "cradle_credential" ADD COLUMN "alert_index" integer`);
    if (isPostgres(q)) {
      await q.query(`CREATE FUNCTION "cradle_credential_allocate_alert"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO "cradle_status_allocation" ("list_name", "idx", "credential_id") VALUES (NEW."alert_list", NEW."alert_index", NEW."id");
        RETURN NEW;
      END $$`);
      await q.query(`CREATE TRIGGER "cradle_credential_allocate_alert" AFTER INSERT ON "cradle_credential"
        FOR EACH ROW WHEN (NEW."alert_list" IS NOT NULL) EXECUTE FUNCTION "cradle_credential_allocate_alert"()`);
    } else {
      await q.query(`CREATE TRIGGER "cradle_credential_allocate_alert" AFTER INSERT ON "cradle_credential"
        WHEN NEW."alert_list" IS NOT NULL
        BEGIN
          INSERT INTO "cradle_status_allocation" ("list_name", "idx", "credential_id") VALUES (NEW."alert_list", NEW."alert_index", NEW."id");
        END`);
    }
    await q.query(`CREATE TABLE "cradle_alert_event" (
      "id" varchar PRIMARY KEY NOT NULL,
      "credential_id" varchar NOT NULL REFERENCES "cradle_credential" ("id"),
      "kind" varchar NOT NULL CHECK ("kind" IN ('missing', 'protection-order', 'verify-with-authority', 'clear')),
      "reason" text NOT NULL,
      "created_at" varchar NOT NULL)`);
    await q.query(`CREATE INDEX "idx_cradle_alert_event_credential" ON "cradle_alert_event" ("credential_id", "created_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "cradle_alert_event"`);
    if (isPostgres(q)) {
      await q.query(`DROP TRIGGER "cradle_credential_allocate_alert" ON "cradle_credential"`);
      await q.query(`DROP FUNCTION "cradle_credential_allocate_alert"()`);
    } else {
      await q.query(`DROP TRIGGER "cradle_credential_allocate_alert"`);
    }
    await q.query(`ALTER TABLE "cradle_credential" DROP COLUMN "alert_index"`);
    await q.query(`ALTER TABLE "cradle_credential" DROP COLUMN "alert_list"`);
    await q.query(`ALTER TABLE "cradle_status_list" DROP COLUMN "status_size"`);
  }
}
