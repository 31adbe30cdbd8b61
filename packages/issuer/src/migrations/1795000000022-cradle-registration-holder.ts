import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isPostgres } from './dialect.js';

/**
 * One child per birth registration, decided by the database (issue #19): `cradle_registration_holder`
 * names, per registration (`registration_key`, PRIMARY KEY), the child whose live birth credential holds
 * it. A trigger on the credential INSERT (the same statement, so the same transaction) takes the
 * registration for the new child or, when another child holds it, aborts the INSERT with
 * `CRADLE_REGISTRATION_HELD`, unless the row is marked `registration_duplicate` (issued knowingly under
 * the `warn` policy). Revocation hands the registration on (`registration-holder.ts`). On PostgreSQL the
 * trigger and the revocation take a transaction advisory lock per registration, so replicas issuing or
 * revoking the same registration at once are serialised (two different registrations never wait).
 *
 * Existing rows: the oldest live birth credential of each registration becomes its holder; live
 * credentials of other children of the same registration are marked `registration_duplicate`.
 */
export class CradleRegistrationHolder1795000000022 implements MigrationInterface {
  name = 'CradleRegistrationHolder1795000000022';

  async up(q: QueryRunner): Promise<void> {
    const pg = isPostgres(q);
    await q.query(`CREATE TABLE "cradle_registration_holder" (
      "registration_key" varchar PRIMARY KEY NOT NULL,
      "subject" varchar NOT NULL,
      "credential_id" varchar NOT NULL)`);
    await q.query(`ALTER TABLE "cradle_credential" ADD COLUMN "registration_duplicate" integer NOT NULL DEFAULT 0`);
    await backfill(q, pg);
    if (pg) {
      await q.query(`CREATE FUNCTION "cradle_registration_hold"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE held record;
      BEGIN
        IF NEW."registration_key" IS NULL OR NEW."type" <> 'BirthRegistrationCredential' THEN RETURN NEW; END IF;
        PERFORM pg_advisory_xact_lock(${REGISTRATION_LOCK_SPACE}, hashtext(NEW."registration_key"));
        SELECT "subject", "credential_id" INTO held FROM "cradle_registration_holder" WHERE "registration_key" = NEW."registration_key";
        IF NOT FOUND THEN
          INSERT INTO "cradle_registration_holder" ("registration_key", "subject", "credential_id") VALUES (NEW."registration_key", NEW."subject", NEW."id");
        ELSIF held."subject" <> NEW."subject" AND NEW."registration_duplicate" = 0 THEN
          RAISE EXCEPTION 'CRADLE_REGISTRATION_HELD: the registration has a live birth credential (%) for another child', held."credential_id"
            USING ERRCODE = 'unique_violation', TABLE = 'cradle_registration_holder';
        END IF;
        RETURN NEW;
      END $$`);
      await q.query(`CREATE TRIGGER "cradle_registration_hold" AFTER INSERT ON "cradle_credential" FOR EACH ROW EXECUTE FUNCTION "cradle_registration_hold"()`);
    } else {
      // SQLite has one writer at a time: no lock is needed for the check and the take to be one step.
      await q.query(`CREATE TRIGGER "cradle_registration_hold" AFTER INSERT ON "cradle_credential"
        WHEN NEW."registration_key" IS NOT NULL AND NEW."type" = 'BirthRegistrationCredential'
        BEGIN
          SELECT RAISE(ABORT, 'CRADLE_REGISTRATION_HELD: the registration has a live birth credential for another child')
            WHERE NEW."registration_duplicate" = 0
              AND EXISTS (SELECT 1 FROM "cradle_registration_holder" WHERE "registration_key" = NEW."registration_key" AND "subject" <> NEW."subject");
          INSERT INTO "cradle_registration_holder" ("registration_key", "subject", "credential_id")
            SELECT NEW."registration_key", NEW."subject", NEW."id"
            WHERE NOT EXISTS (SELECT 1 FROM "cradle_registration_holder" WHERE "registration_key" = NEW."registration_key");
        END`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const pg = isPostgres(q);
    await q.query(pg ? 'DROP TRIGGER "cradle_registration_hold" ON "cradle_credential"' : 'DROP TRIGGER "cradle_registration_hold"');
    if (pg) await q.query('DROP FUNCTION "cradle_registration_hold"()');
    await q.query(`ALTER TABLE "cradle_credential" DROP COLUMN "registration_duplicate"`);
    await q.query(`DROP TABLE "cradle_registration_holder"`);
  }
}

/**
 * The first argument of the two-key advisory locks per registration (`pg_advisory_xact_lock(space,
 * hashtext(registration_key))`): "crad" in ASCII. Two-key locks do not collide with the store's one-key
 * locks.
 */
export const REGISTRATION_LOCK_SPACE = 0x63726164;

async function backfill(q: QueryRunner, pg: boolean): Promise<void> {
  const rows = (await q.query(
    `SELECT "id", "subject", "registration_key" FROM "cradle_credential"
     WHERE "registration_key" IS NOT NULL AND "type" = 'BirthRegistrationCredential' AND "revoked_at" IS NULL
     ORDER BY "created_at", "id"`,
  )) as { id: string; subject: string; registration_key: string }[];
  const holders = new Map<string, { id: string; subject: string }>();
  for (const row of rows) {
    const held = holders.get(row.registration_key);
    if (held === undefined) {
      holders.set(row.registration_key, row);
      await q.query(pg ? 'INSERT INTO "cradle_registration_holder" VALUES ($1, $2, $3)' : 'INSERT INTO "cradle_registration_holder" VALUES (?, ?, ?)', [row.registration_key, row.subject, row.id]);
    } else if (held.subject !== row.subject) {
      await q.query(pg ? 'UPDATE "cradle_credential" SET "registration_duplicate" = 1 WHERE "id" = $1' : 'UPDATE "cradle_credential" SET "registration_duplicate" = 1 WHERE "id" = ?', [row.id]);
    }
  }
}
