// The bench's "Offline verification vs raw Ed25519" figure alone: the same world, the same credential,
// the same alternating rounds (bench/figures/verify.ts), without the rest of `pnpm bench`. Prints the
// per-round ratios, their median and spread, and the load average before and after.
// Run: node --conditions=source --import tsx bench/micro/verify-credential.ts [rounds]
// Profile: node --cpu-prof --cpu-prof-dir=/tmp/prof --conditions=source --import tsx bench/micro/verify-credential.ts
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { loadavg } from 'node:os';
import { keysFromDidDocument, verifyCredential } from '@cradle/verifier';
import { nodeSignatureVerifier } from '@cradle/verifier/node';
import { createCradleWorld } from '../lib/cradle-world.js';
import { interleavedThroughput } from '../lib/measure.js';

const rounds = Number(process.argv[2] ?? 7);
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
const loadBefore = load();
const world = await createCradleWorld();
try {
  const opts = { store: world.store, signatureVerifier: nodeSignatureVerifier };
  const check = await verifyCredential(world.birthJwt, opts);
  if (!check.verified) throw new Error(`the credential does not verify: ${JSON.stringify(check.errors)}`);
  const [h, p, s] = world.birthJwt.split('.') as [string, string, string];
  const signingInput = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(s, 'base64url');
  const kid = (JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { kid: string }).kid;
  const state = await world.store.load();
  const did = world.registrar.identity()!.did;
  const cached = state.didDocuments.find((d) => d.did.toLowerCase() === did.toLowerCase());
  const key = keysFromDidDocument(cached?.did ?? did, cached?.document).find((k) => k.id.toLowerCase() === kid.toLowerCase() && k.type === 'Ed25519');
  if (!key?.publicKey) throw new Error('no Ed25519 key in the cached DID document');
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key.publicKey).toString('base64url') }, format: 'jwk' });
  if (!nodeVerify(null, signingInput, publicKey, signature)) throw new Error('raw verify failed');

  const perRound: number[] = [];
  let last = { cradle: 0, raw: 0 };
  for (let r = 0; r < rounds; r++) {
    const paired = await interleavedThroughput(
      {
        cradle: () => verifyCredential(world.birthJwt, opts),
        raw: () => nodeVerify(null, signingInput, publicKey, signature),
      },
      { rounds: 1 },
    );
    perRound.push(1 / paired.ratioToFirst.raw);
    last = paired.rates;
  }
  // CPU time per operation in alternating blocks: less sensitive than wall time to other processes on a shared box.
  const cpuRatios: number[] = [];
  const cpuPerOp = async (op: () => unknown): Promise<number> => {
    const n = 2000;
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) await op();
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / n;
  };
  for (let r = 0; r < rounds * 3; r++) {
    const c = await cpuPerOp(() => verifyCredential(world.birthJwt, opts));
    const w = await cpuPerOp(() => nodeVerify(null, signingInput, publicKey, signature));
    cpuRatios.push(w / c);
  }
  const cpuSorted = [...cpuRatios].sort((a, b) => a - b);
  console.log(`cpu-time ratios: median ${cpuSorted[cpuSorted.length >> 1]!.toFixed(3)} min ${cpuSorted[0]!.toFixed(3)} max ${cpuSorted.at(-1)!.toFixed(3)}`);
  const sorted = [...perRound].sort((a, b) => a - b);
  const med = sorted[sorted.length >> 1]!;
  console.log(`token ${world.birthJwt.length} chars`);
  console.log(`ratios ${perRound.map((r) => r.toFixed(3)).join(' ')}`);
  console.log(`median ${med.toFixed(3)} min ${sorted[0]!.toFixed(3)} max ${sorted.at(-1)!.toFixed(3)}; last round cradle ${last.cradle.toFixed(0)}/s raw ${last.raw.toFixed(0)}/s`);
  console.log(`load before ${loadBefore} after ${load()}`);
} finally {
  await world.close();
}
