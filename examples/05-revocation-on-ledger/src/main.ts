/**
 * Example 05: revocation anchored on the ledger.
 *
 * Issue a credential, publish the status lists (the outbox anchors their digests on chain), sync a
 * checkpoint and verify: VALID. Revoke, publish again, and read the new anchor back from the chain with
 * `@cradle/ledger`'s client: version 2 and the sha256 of the exact signed list, and nothing personal
 * anywhere on chain. The checkpoint re-syncs and the same credential is now REVOKED.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utf8Encode } from '@cradle/core';
import { createIssuerServer, createRegistrar, digestOf } from '@cradle/issuer';
import { connectLedger, createRpcProvider, statusListId } from '@cradle/ledger';
import { startDevChain } from '@cradle/ledger/devchain';
import { MemoryVerifierStore, addTrustedIssuer, didKeyFromEd25519PublicKey, verify } from '@cradle/verifier';
import { sync } from '@cradle/verifier/sync';
import type { VerificationResult } from '@cradle/verifier';

const failures: string[] = [];
function check(what: string, ok: boolean, detail = ''): void {
  console.log(`  ${ok ? '✓' : '✗'} ${what}${detail === '' ? '' : ` (${detail})`}`);
  if (!ok) failures.push(what);
}

function describe(r: VerificationResult): string {
  const codes = [...new Set(r.errors.map((e) => e.code))].join(', ');
  return `${r.outcome.toUpperCase()}${r.bearer ? ' (bearer check)' : ''}${codes === '' ? '' : ` [${codes}]`}${r.errors[0] ? ` — ${r.errors[0].message}` : ''}`;
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => res(typeof addr === 'object' && addr !== null ? addr.port : 0));
    });
  });
}

const hex = (s: string): string => Buffer.from(utf8Encode(s)).toString('hex');

const work = await mkdtemp(join(tmpdir(), 'cradle-example-05-'));
const chain = await startDevChain({ port: 0 });
const baseUrl = `http://127.0.0.1:${await freePort()}`;
const registrar = await createRegistrar({ home: join(work, 'registrar'), secret: randomBytes(24).toString('base64url'), ledger: chain.config, baseUrl });
const server = await createIssuerServer(registrar, { token: randomBytes(24).toString('base64url') });
const ledger = await connectLedger(chain.config);

try {
  const identity = await registrar.init();
  await server.listen({ host: '127.0.0.1', port: Number(new URL(baseUrl).port) });
  console.log(`1. Registrar ${identity.did} (ledger identity ${identity.address})`);

  const claims = JSON.parse(await readFile(new URL('../../data/birth-registration.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  const { publicKey } = generateKeyPairSync('ed25519');
  const child = didKeyFromEd25519PublicKey(new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url')));
  const credential = await registrar.issueBirthRegistration({ subject: child, claims });
  const revocation = credential.status.find((s) => s.purpose === 'revocation');
  console.log(`2. Issued ${credential.id}; revocation entry: list ${revocation?.url}, index ${revocation?.index}`);

  const first = await registrar.publish();
  const anchored = await registrar.processOutbox();
  console.log('3. Published and anchored the status lists:');
  for (const l of first) console.log(`   ${l.purpose} list v${l.version}, digest ${l.digest.slice(0, 18)}…`);
  check('both lists anchored', anchored.confirmed.length === first.length && anchored.pending.length === 0);

  const store = new MemoryVerifierStore();
  await store.write({ config: { maxStatusAge: 86_400, ledger: chain.config } });
  await addTrustedIssuer(store, identity.did);
  const s1 = await sync({ store });
  check('checkpoint synced', s1.ok, s1.failures.map((f) => f.message).join('; '));
  const before = await verify(credential.jwt, { store });
  console.log(`4. Checkpoint verifies the credential: ${describe(before)}`);
  check('valid before revocation', before.outcome === 'valid');

  await registrar.revoke(credential.id);
  const second = await registrar.publish();
  console.log(`5. Revoked; published ${second.map((l) => `${l.purpose} list v${l.version}`).join(', ')}; the outbox holds ${(await registrar.pending()).length} anchor(s)`);
  const report = await registrar.processOutbox();
  const entry = report.confirmed[0];
  console.log(`   outbox: ${report.confirmed.length} confirmed, tx ${entry?.txHash} in block ${entry?.blockNumber}`);
  check('the revocation list (only) was re-published and anchored', second.length === 1 && second[0]?.purpose === 'revocation' && entry?.version === 2);

  // Read the anchor back from the chain, as any verifier would.
  const url = revocation?.url ?? '';
  const onChain = await ledger.latest(identity.address, statusListId(url));
  const served = await (await fetch(url)).text();
  console.log(`6. On chain, latest(${identity.address.slice(0, 10)}…, keccak256(list url)):`);
  console.log(`   version ${onChain?.version}, digest ${onChain?.digest}, block ${onChain?.blockNumber}, time ${new Date((onChain?.blockTime ?? 0) * 1000).toISOString()}`);
  console.log(`   sha256 of the list served at ${url}: ${digestOf(served)}`);
  check('the chain holds version 2 and the digest of the exact signed list', onChain?.version === 2 && onChain.digest === digestOf(served));
  const events = await ledger.anchorEvents({ fromBlock: chain.config.deployBlock ?? 0, identity: identity.address });
  console.log(`   ${events.length} Anchored events for this registrar; the last points to ${events.at(-1)?.uri}`);

  // Scan every transaction and log on the chain for anything about the child.
  const provider = createRpcProvider(chain.config.rpcUrl, chain.config.chainId);
  let onChainBytes = '';
  const head = await provider.getBlockNumber();
  for (let n = 0; n <= head; n++) {
    const block = await provider.getBlock(n, true);
    for (const tx of block?.prefetchedTransactions ?? []) {
      onChainBytes += tx.data;
      for (const log of (await provider.getTransactionReceipt(tx.hash))?.logs ?? []) onChainBytes += log.data + log.topics.join('');
    }
  }
  provider.destroy();
  const personal = { 'child DID': child, 'given name': String(claims.givenName), 'family name': String(claims.familyName), 'registration number': String(claims.registrationNumber), 'credential id': credential.id, 'birth date': String(claims.birthDate) };
  const found = Object.entries(personal).filter(([, v]) => onChainBytes.toLowerCase().includes(hex(v)));
  console.log(`7. Scanned ${head + 1} blocks (${(onChainBytes.length / 2 / 1024).toFixed(1)} KiB of calldata and logs) for ${Object.keys(personal).join(', ')}`);
  check('nothing personal is on chain', found.length === 0, found.length === 0 ? 'none found' : `found: ${found.map(([k]) => k).join(', ')}`);

  const s2 = await sync({ store });
  console.log(`8. Checkpoint re-syncs: ${s2.lists.map((l) => `${l.outcome} v${l.version}`).join(', ')}`);
  check('re-sync succeeded', s2.ok);
  const after = await verify(credential.jwt, { store });
  console.log(`   verifies the same credential: ${describe(after)}`);
  check('REVOKED after re-sync', after.outcome === 'invalid' && after.errors.some((e) => e.code === 'REVOKED'));
} catch (e) {
  console.error(e);
  failures.push('unexpected error');
} finally {
  ledger.close();
  await server.close();
  await registrar.close();
  await chain.stop();
  await rm(work, { recursive: true, force: true });
}

console.log(failures.length === 0 ? '\nOK: example 05 finished as expected.' : `\nFAILED: ${failures.join('; ')}`);
process.exit(failures.length === 0 ? 0 : 1);
