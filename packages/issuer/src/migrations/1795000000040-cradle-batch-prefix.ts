import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isPostgres } from './dialect.js';

/**
 * `cradle_batch.last_row` becomes the batch's **contiguous done prefix**, written by the batch itself
 * (`batch-issuance.ts`): every row up to it is issued, found issued or rejected. The credential INSERT's
 * trigger (`cradle_credential_allocate`, first migration) set it to the row of each credential it stored,
 * which was that prefix only while a batch issued one row at a time; a batch now has many rows in flight
 * and their commits complete out of row order. The trigger still counts `issued` in the credential's own
 * transaction; the row itself is recorded there too (`cradle_credential.batch_row`).
 */
export class CradleBatchPrefix1795000000040 implements MigrationInterface {
  name = 'CradleBatchPrefix1795000000040';

  async up(q: QueryRunner): Promise<void> {
    await replaceAllocateTrigger(q, `"issued" = "issued" + 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await replaceAllocateTrigger(q, `"last_row" = NEW."batch_row", "issued" = "issued" + 1`);
  }
}

/** `cradle_credential_allocate` again, with `batchSet` as what a batch credential updates in its `cradle_batch` row. */
async function replaceAllocateTrigger(q: QueryRunner, batchSet: string): Promise<void> {
  const allocate = (purpose: 'revocation' | 'suspension') =>
    `INSERT INTO "cradle_status_allocation" ("list_name", "idx", "credential_id") SELECT NEW."${purpose}_list", NEW."${purpose}_index", NEW."id" WHERE NEW."${purpose}_list" IS NOT NULL;`;
  const batch = `UPDATE "cradle_batch" SET ${batchSet}, "updated_at" = NEW."created_at" WHERE NEW."batch_id" IS NOT NULL AND "id" = NEW."batch_id";`;
  const body = [allocate('revocation'), allocate('suspension'), batch].join('\n');
  if (isPostgres(q)) {
    // The trigger calls the function by name: replacing the function is enough.
    await q.query(`CREATE OR REPLACE FUNCTION "cradle_credential_allocate"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN\n${body}\nRETURN NEW; END $$`);
  } else {
    await q.query(`DROP TRIGGER "cradle_credential_allocate"`);
    await q.query(`CREATE TRIGGER "cradle_credential_allocate" AFTER INSERT ON "cradle_credential" BEGIN\n${body}\nEND`);
  }
}
