import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Batch issuance is keyed by the registration, not by the file (issue #20 item 7): `row_key` is the
 * hashed registering office + registration number of a batch-issued credential, UNIQUE among credentials
 * that are not revoked, so two runs (or two files, or two processes at once) can never give one
 * registration two live credentials, while a revoked one may be re-issued. Credentials issued before
 * this migration have no key.
 */
export class CradleRegistrationIdentity1795000000001 implements MigrationInterface {
  name = 'CradleRegistrationIdentity1795000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cradle_credential" ADD COLUMN "row_key" varchar`);
    await q.query(`CREATE UNIQUE INDEX "idx_cradle_credential_row_key" ON "cradle_credential" ("row_key") WHERE "row_key" IS NOT NULL AND "revoked_at" IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_cradle_credential_row_key"`);
    await q.query(`ALTER TABLE "cradle_credential" DROP COLUMN "row_key"`);
  }
}
