import type { MigrationInterface, QueryRunner } from 'typeorm';
import { registrationOf } from '../registration-lookup.js';

/**
 * Find a birth credential by its registration number (`cradle registrar find`), and notice the same
 * registration going to a second child (issue #19 item 4): `registration_number` as issued and
 * `registration_key` (hashed office + number, as batch issuance keys rows), indexed, on every birth
 * credential. Existing rows are filled in from their own signed payload.
 */
export class CradleRegistrationLookup1795000000021 implements MigrationInterface {
  name = 'CradleRegistrationLookup1795000000021';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cradle_credential" ADD COLUMN "registration_number" varchar`);
    await q.query(`ALTER TABLE "cradle_credential" ADD COLUMN "registration_key" varchar`);
    await q.query(`CREATE INDEX "idx_cradle_credential_registration_number" ON "cradle_credential" ("registration_number")`);
    await q.query(`CREATE INDEX "idx_cradle_credential_registration_key" ON "cradle_credential" ("registration_key")`);
    const pg = q.connection.driver.options.type === 'postgres';
    const rows = (await q.query(`SELECT "id", "format", "jwt" FROM "cradle_credential" WHERE "type" = 'BirthRegistrationCredential'`)) as { id: string; format: string; jwt: string }[];
    for (const row of rows) {
      const found = registrationOf(row.jwt, row.format);
      if (found === undefined) continue;
      await q.query(
        pg ? 'UPDATE "cradle_credential" SET "registration_number" = $1, "registration_key" = $2 WHERE "id" = $3' : 'UPDATE "cradle_credential" SET "registration_number" = ?, "registration_key" = ? WHERE "id" = ?',
        [found.number, found.key, row.id],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_cradle_credential_registration_key"`);
    await q.query(`DROP INDEX "idx_cradle_credential_registration_number"`);
    await q.query(`ALTER TABLE "cradle_credential" DROP COLUMN "registration_key"`);
    await q.query(`ALTER TABLE "cradle_credential" DROP COLUMN "registration_number"`);
  }
}
