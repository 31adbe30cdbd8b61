import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistrar } from '@cradle/issuer';
import type { Registrar } from '@cradle/issuer';
import { startDevChain } from '@cradle/ledger/devchain';

/** A registrar of the issuance figures, and what removes it (its chain, its directory). */
export interface BenchRegistrar {
  registrar: Registrar;
  /** Its temporary directory (the registrar's home is `registrar` in it; inputs may go beside it). */
  dir: string;
  close(): Promise<void>;
}

/**
 * A fresh, initialised registrar on its embedded SQLite file in a temporary directory (`prefix…`), on
 * its own local dev chain: what the issuance figures measure, with nothing else in its database.
 *
 * @example
 * ```ts
 * const { registrar, close } = await openBenchRegistrar('cradle-bench-issue-');
 * try { await registrar.issueBirthRegistration({ subject, claims }); } finally { await close(); }
 * ```
 */
export async function openBenchRegistrar(prefix: string): Promise<BenchRegistrar> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const chain = await startDevChain({ port: 0 });
  const registrar = await createRegistrar({ home: join(dir, 'registrar'), secret: randomBytes(24).toString('base64url'), ledger: chain.config, baseUrl: 'https://registrar.example' });
  const close = async (): Promise<void> => {
    await registrar.close();
    await chain.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await registrar.init();
  } catch (e) {
    await close();
    throw e;
  }
  return { registrar, dir, close };
}
