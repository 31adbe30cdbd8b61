import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { keysFromDidDocument, verifyCredential, verifyPresentation } from '@cradle/verifier';
import type { MemoryVerifierStore } from '@cradle/verifier';
import { nodeSignatureVerifier } from '@cradle/verifier/node';
import { baselineIssue, createBaselineAgent } from '../lib/veramo-baseline.js';
import { createCradleWorld } from '../lib/cradle-world.js';
import { interleavedThroughput, latencies, median, quantile, throughput } from '../lib/measure.js';
import { figure, round } from '../lib/results.js';
import type { Figure } from '../lib/results.js';

/**
 * Offline verification throughput (one core) of a birth-registration credential with every check,
 * versus stock Veramo `verifyCredential` and raw node:crypto Ed25519 over the same bytes; and
 * checkpoint presentation verification (VP + two credentials): throughput, p50/p99.
 */
export async function verifyFigures(): Promise<Figure[]> {
  const world = await createCradleWorld();
  try {
    const signatureVerifier = nodeSignatureVerifier;
    const opts = { store: world.store, signatureVerifier };
    const check = await verifyCredential(world.birthJwt, opts);
    if (!check.verified) throw new Error(`bench: the credential does not verify: ${JSON.stringify(check.errors)}`);

    // Raw Ed25519 over the same signing input, with the registrar's public key already imported.
    const [h, p, s] = world.birthJwt.split('.') as [string, string, string];
    const signingInput = Buffer.from(`${h}.${p}`);
    const signature = Buffer.from(s, 'base64url');
    const kid = (JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { kid: string }).kid;
    const publicKey = await registrarPublicKey(world.store, world.registrar.identity()!.did, kid);
    if (!nodeVerify(null, signingInput, publicKey, signature)) throw new Error('bench: raw verify failed');

    const { agent, issuer } = await createBaselineAgent();
    const vc = await baselineIssue(agent, issuer, world.child, world.claims);
    const vCheck = await agent.verifyCredential({ credential: vc });
    if (!vCheck.verified) throw new Error('bench: the Veramo baseline credential does not verify');

    // Alternating rounds: a load change on a shared machine hits both alike.
    const paired = await interleavedThroughput({
      cradle: () => verifyCredential(world.birthJwt, opts),
      raw: () => nodeVerify(null, signingInput, publicKey, signature),
    });
    const cradle = paired.rates.cradle;
    const raw = paired.rates.raw;
    const veramo = await throughput(() => agent.verifyCredential({ credential: vc }), { rounds: 3, roundMs: 1500 });

    // Checkpoint presentations: a fresh VP per nonce, verified with every check.
    const domain = 'checkpoint.bench.example';
    const presentations: { jwt: string; nonce: string }[] = [];
    for (let i = 0; i < 64; i++) {
      const nonce = randomBytes(9).toString('base64url');
      presentations.push({ jwt: (await world.wallet.present({ child: world.child, nonce, domain })).jwt, nonce });
    }
    const first = await verifyPresentation(presentations[0]!.jwt, { ...opts, nonce: presentations[0]!.nonce, domain });
    if (!first.verified) throw new Error(`bench: the presentation does not verify: ${JSON.stringify(first.errors)}`);
    let i = 0;
    const vp = () => {
      const pr = presentations[i++ % presentations.length]!;
      return verifyPresentation(pr.jwt, { ...opts, nonce: pr.nonce, domain });
    };
    const vpRate = await throughput(vp);
    const lat = await latencies(vp, 2000);

    return [
      figure({
        name: 'Offline verification, birth credential, all checks',
        value: round(cradle, 0),
        unit: 'ops/s',
        baseline: 'stock Veramo 7 verifyCredential',
        baselineValue: round(veramo, 1),
      }),
      figure({
        name: 'Offline verification vs raw Ed25519 (node:crypto)',
        value: round(cradle, 0),
        unit: 'ops/s',
        baseline: 'raw node:crypto Ed25519 verify',
        baselineValue: round(raw, 0),
        notes: `measured in alternating rounds; median per-round ratio ${round(1 / paired.ratioToFirst.raw, 3)}`,
      }),
      figure({
        name: 'Checkpoint presentation verification (VP + 2 credentials)',
        value: round(vpRate, 0),
        unit: 'ops/s',
        baseline: null,
        baselineValue: null,
        notes: `p50 ${round(median(lat), 3)} ms, p99 ${round(quantile(lat, 0.99), 3)} ms`,
      }),
      figure({
        name: 'Checkpoint presentation verification, p99 latency',
        value: round(quantile(lat, 0.99), 3),
        unit: 'ms',
        baseline: null,
        baselineValue: null,
        notes: `2,000 sequential verifications; p50 ${round(median(lat), 3)} ms`,
      }),
    ];
  } finally {
    await world.close();
  }
}

async function registrarPublicKey(store: MemoryVerifierStore, did: string, kid: string): Promise<KeyObject> {
  const state = await store.load();
  const cached = state.didDocuments.find((d) => d.did.toLowerCase() === did.toLowerCase());
  const key = keysFromDidDocument(cached?.did ?? did, cached?.document).find((k) => k.id.toLowerCase() === kid.toLowerCase() && k.type === 'Ed25519');
  if (!key?.publicKey) throw new Error(`bench: no Ed25519 key ${kid} in the cached DID document`);
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key.publicKey).toString('base64url') }, format: 'jwk' });
}
