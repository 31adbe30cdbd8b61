import type { QueryRunner } from 'typeorm';

/** True when a migration runs on PostgreSQL (else SQLite): the few spellings that differ branch on it. */
export function isPostgres(q: QueryRunner): boolean {
  return q.connection.driver.options.type === 'postgres';
}
