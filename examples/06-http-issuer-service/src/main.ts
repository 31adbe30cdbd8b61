/**
 * Example 06: the registrar's HTTP service, called from another process.
 *
 * This process runs the registrar and its HTTP service (`createIssuerServer`, the same service as
 * `cradle registrar serve`) on 127.0.0.1. It then spawns src/client.ts as a separate Node process — an
 * NGO back office holding only the URL and the bearer token — which issues a credential with
 * POST /credentials/issue, revokes it with POST /credentials/status, publishes, and reads the signed
 * status list with GET /status/:name before and after. This process checks the result against the
 * registrar's database and the ledger.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { didKeyFromEd25519PublicKey } from '@cradle/holder';
import { createIssuerServer, createRegistrar } from '@cradle/issuer';
import { connectLedger, statusListId } from '@cradle/ledger';
import { startDevChain } from '@cradle/ledger/devchain';

const failures: string[] = [];
function check(what: string, ok: boolean, detail = ''): void {
  console.log(`  ${ok ? '✓' : '✗'} ${what}${detail === '' ? '' : ` (${detail})`}`);
  if (!ok) failures.push(what);
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

/** Run the client in its own Node process, echo its output, and return its exit code and last line. */
function runClient(env: Record<string, string>): Promise<{ code: number | null; last: string }> {
  const client = fileURLToPath(new URL('./client.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', client], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  return new Promise((res, rej) => {
    child.once('error', rej);
    child.once('exit', (code) => {
      const lines = out.trimEnd().split('\n');
      for (const l of lines.slice(0, -1)) console.log(`   [client] ${l}`);
      res({ code, last: lines.at(-1) ?? '' });
    });
  });
}

const work = await mkdtemp(join(tmpdir(), 'cradle-example-06-'));
const chain = await startDevChain({ port: 0 });
const port = await freePort();
const baseUrl = `http://127.0.0.1:${port}`;
const registrar = await createRegistrar({ home: join(work, 'registrar'), secret: randomBytes(24).toString('base64url'), ledger: chain.config, baseUrl });
// The bearer token every write needs (at least 16 characters; in production from CRADLE_API_TOKEN).
const token = randomBytes(24).toString('base64url');
const app = await createIssuerServer(registrar, { token });

try {
  const { did, address } = await registrar.init();
  await app.listen({ host: '127.0.0.1', port });
  console.log(`1. Registrar ${did} serving on ${baseUrl} (pid ${process.pid})`);

  const { publicKey } = generateKeyPairSync('ed25519');
  const child = didKeyFromEd25519PublicKey(new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url')));
  console.log('2. Spawning the client process (fetch + bearer token only):');
  const run = await runClient({
    CRADLE_URL: baseUrl,
    CRADLE_API_TOKEN: token,
    CHILD_DID: child,
    CLAIMS_FILE: fileURLToPath(new URL('../../data/birth-registration.json', import.meta.url)),
  });
  check('the client finished without error', run.code === 0, `exit ${run.code}`);

  const result = (JSON.parse(run.last.startsWith('{') ? run.last : '{}') as { result?: Record<string, unknown> }).result ?? {};
  console.log(`3. Client reported: ${JSON.stringify(result)}`);
  check('bad claims were refused naming the field', result.badClaimsField === 'sex');
  check('the status bit went from 0 to 1 and the list from v1 to v2', result.bitBefore === 0 && result.bitAfter === 1 && result.versionBefore === 1 && result.versionAfter === 2);

  const record = await registrar.get(String(result.id));
  console.log(`4. In the registrar's database: ${record?.id} for ${record?.subject}, revoked at ${record?.revokedAt}`);
  check('the registrar recorded the credential for the child and its revocation', record?.subject === child && record.revokedAt !== null);

  const listUrl = record?.status.find((s) => s.purpose === 'revocation');
  const ledger = await connectLedger(chain.config);
  const anchor = await ledger.latest(address, statusListId(`${baseUrl}/status/${listUrl?.list ?? ''}`));
  ledger.close();
  console.log(`5. On chain: revocation list v${anchor?.version}, digest ${anchor?.digest.slice(0, 18)}…`);
  check('the publish call anchored version 2 on the ledger', anchor?.version === 2);
} catch (e) {
  console.error(e);
  failures.push('unexpected error');
} finally {
  await app.close();
  await registrar.close();
  await chain.stop();
  await rm(work, { recursive: true, force: true });
}

console.log(failures.length === 0 ? '\nOK: example 06 finished as expected.' : `\nFAILED: ${failures.join('; ')}`);
process.exit(failures.length === 0 ? 0 : 1);
