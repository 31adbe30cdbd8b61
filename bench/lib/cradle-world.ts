import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createIssuerServer, createRegistrar } from '@cradle/issuer';
import type { Registrar } from '@cradle/issuer';
import { createWallet, didKeyFromEd25519PublicKey } from '@cradle/holder';
import type { Wallet } from '@cradle/holder';
import { freePort, startDevChain } from '@cradle/ledger/devchain';
import type { DevChain } from '@cradle/ledger/devchain';
import { MemoryVerifierStore, addTrustedIssuer } from '@cradle/verifier';
import { sync } from '@cradle/verifier/sync';

const here = dirname(fileURLToPath(import.meta.url));
export const DATA_DIR = resolve(here, '../../examples/data');

/** A registrar, a guardian wallet and a synced checkpoint on a real local chain: the setting of most figures. */
export interface CradleWorld {
  chain: DevChain;
  registrar: Registrar;
  wallet: Wallet;
  store: MemoryVerifierStore;
  guardian: string;
  child: string;
  claims: Record<string, unknown>;
  birthJwt: string;
  guardianshipJwt: string;
  dir: string;
  secret: string;
  close(): Promise<void>;
}

export async function loadSampleClaims(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(DATA_DIR, 'birth-registration.json'), 'utf8')) as Record<string, unknown>;
}

/** Options of {@link createCradleWorld}. */
export interface CradleWorldOptions {
  /** Checkpoint alert keys (public JWKs) of the registrar: its birth credentials then carry an alert entry. */
  alertRecipients?: readonly unknown[];
}

export async function createCradleWorld(opts: CradleWorldOptions = {}): Promise<CradleWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'cradle-bench-'));
  const secret = randomBytes(24).toString('base64url');
  const chain = await startDevChain({ port: 0 });
  const port = await freePort();
  const registrar = await createRegistrar({
    home: join(dir, 'registrar'),
    secret,
    ledger: chain.config,
    baseUrl: `http://127.0.0.1:${port}`,
    ...(opts.alertRecipients === undefined ? {} : { alertRecipients: opts.alertRecipients }),
  });
  await registrar.init();
  const server = await createIssuerServer(registrar, { token: randomBytes(24).toString('base64url') });
  await server.listen({ host: '127.0.0.1', port });
  const wallet = await createWallet({ home: join(dir, 'wallet'), secret });
  const guardian = (await wallet.createDid({ label: 'guardian' })).did;
  const child = (await wallet.createDid({ label: 'child' })).did;
  const claims = await loadSampleClaims();
  const birth = await registrar.issueBirthRegistration({ subject: child, claims });
  const guardianship = await registrar.issueGuardianship({ subject: child, guardians: [{ id: guardian, role: 'mother' }] });
  await wallet.importCredential(birth.jwt);
  await wallet.importCredential(guardianship.jwt);
  await registrar.publish();
  await registrar.processOutbox();
  const store = new MemoryVerifierStore();
  await store.write({ config: { maxStatusAge: 86_400, ledger: chain.config } });
  await addTrustedIssuer(store, registrar.identity()!.did);
  const report = await sync({ store });
  if (!report.ok) throw new Error(`bench setup: checkpoint sync failed: ${JSON.stringify(report.failures)}`);
  return {
    chain,
    registrar,
    wallet,
    store,
    guardian,
    child,
    claims,
    birthJwt: birth.jwt,
    guardianshipJwt: guardianship.jwt,
    dir,
    secret,
    async close() {
      await server.close();
      await wallet.close();
      await registrar.close();
      await chain.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `count` child DIDs with real Ed25519 keys (random 32 bytes are a valid, strict public key only about
 * half the time, and the registrar refuses the others).
 */
export function randomChildDids(count: number): string[] {
  return Array.from({ length: count }, () => {
    const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    return didKeyFromEd25519PublicKey(new Uint8Array(Buffer.from(jwk.x!, 'base64url')));
  });
}
