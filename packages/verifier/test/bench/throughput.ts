// Throughput of a full offline verification against its baselines, in one run.
// Run: node --conditions=source --import tsx packages/verifier/test/bench/throughput.ts
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { base64UrlDecode, base64UrlEncode } from '@cradle/core';
import { ed25519 } from '@noble/curves/ed25519';
import { createAgent } from '@veramo/core';
import type { ICredentialPlugin, IDIDManager, IKeyManager, IResolver } from '@veramo/core';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { DIDManager, MemoryDIDStore } from '@veramo/did-manager';
import { KeyDIDProvider } from '@veramo/did-provider-key';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { KeyManager, MemoryKeyStore, MemoryPrivateKeyStore } from '@veramo/key-manager';
import { KeyManagementSystem } from '@veramo/kms-local';
import { Resolver } from 'did-resolver';
import type { ResolverRegistry } from 'did-resolver';
import { getResolver as getKeyResolver } from 'key-did-resolver';
import { nodeSignatureVerifier } from '../../src/node/node-signature-verifier.js';
import { nobleSignatureVerifier, webCryptoSignatureVerifier } from '../../src/signature-verifier.js';
import { verifyCredential } from '../../src/verify-credential.js';
import { NOW, world } from '../helpers/fixtures.js';

/** ops/s of `fn` over one time slice. */
async function slice(fn: () => unknown, ms: number): Promise<number> {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 50; i++) await fn();
    n += 50;
  }
  return (n * 1000) / (performance.now() - start);
}

/** Interleave the candidates round by round (a loaded machine slows all of them alike) and take medians. */
async function race(cases: [string, () => unknown][], rounds = 9, ms = 250): Promise<Map<string, number>> {
  for (const [, fn] of cases) for (let i = 0; i < 300; i++) await fn(); // warm-up
  const samples = new Map<string, number[]>(cases.map(([n]) => [n, []]));
  for (let r = 0; r < rounds; r++) for (const [name, fn] of cases) samples.get(name)!.push(await slice(fn, ms));
  const out = new Map<string, number>();
  for (const [name, xs] of samples) {
    xs.sort((a, b) => a - b);
    const median = Math.round(xs[Math.floor(xs.length / 2)]!);
    out.set(name, median);
    console.log(`${name.padEnd(60)} ${median.toLocaleString('en').padStart(10)} ops/s`);
  }
  return out;
}

const w = await world();
const token = w.credential;
const [h, p, s] = token.split('.') as [string, string, string];
const data = new TextEncoder().encode(`${h}.${p}`);
const sig = base64UrlDecode(s);
const keyObject = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(w.registrar.publicKey) }, format: 'jwk' });
const cryptoKey = await crypto.subtle.importKey('raw', w.registrar.publicKey as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify']);
const check = await verifyCredential(token, { store: w.store, now: NOW, signatureVerifier: nodeSignatureVerifier });
if (check.outcome !== 'valid') throw new Error(`fixture does not verify: ${JSON.stringify(check.errors)}`);

const noSignature = { verify: () => true };
console.log(`Node ${process.version}; one vc+jwt (${token.length} chars) with revocation + suspension status, schema, trust\n`);
const m = await race([
  ['raw node:crypto Ed25519 verify (KeyObject cached)', () => nodeVerify(null, data, keyObject, sig)],
  ['verifyCredential, all checks, node:crypto backend', () => verifyCredential(token, { store: w.store, now: NOW, signatureVerifier: nodeSignatureVerifier })],
  ['raw WebCrypto Ed25519 verify (CryptoKey cached)', () => crypto.subtle.verify('Ed25519', cryptoKey, sig as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>)],
  ['verifyCredential, all checks, WebCrypto backend', () => verifyCredential(token, { store: w.store, now: NOW, signatureVerifier: webCryptoSignatureVerifier })],
  ['verifyCredential, all checks except the signature math', () => verifyCredential(token, { store: w.store, now: NOW, signatureVerifier: noSignature })],
]);
const noble = await race([
  ['raw @noble/curves Ed25519 verify', () => ed25519.verify(sig, data, w.registrar.publicKey, { zip215: false })],
  ['verifyCredential, all checks, noble backend', () => verifyCredential(token, { store: w.store, now: NOW, signatureVerifier: nobleSignatureVerifier })],
], 3, 400);
const g = (map: Map<string, number>, k: string): number => map.get(k)!;
console.log('');
console.log(`full (node:crypto) / raw node:crypto:  ${((g(m, 'verifyCredential, all checks, node:crypto backend') / g(m, 'raw node:crypto Ed25519 verify (KeyObject cached)')) * 100).toFixed(0)}%`);
console.log(`full (WebCrypto)   / raw node:crypto:  ${((g(m, 'verifyCredential, all checks, WebCrypto backend') / g(m, 'raw node:crypto Ed25519 verify (KeyObject cached)')) * 100).toFixed(0)}%`);
console.log(`full (noble)       / raw noble:        ${((g(noble, 'verifyCredential, all checks, noble backend') / g(noble, 'raw @noble/curves Ed25519 verify')) * 100).toFixed(0)}%`);
console.log(`overhead of everything but the signature: ${(1e6 / g(m, 'verifyCredential, all checks except the signature math')).toFixed(1)} µs per credential`);

// Baseline: a stock Veramo 7 agent verifying a VCDM 1.1 JWT-VC (did:key issuer, resolved locally),
// against Cradle verifying the same token with every Cradle check on top.
const agent = createAgent<IKeyManager & IDIDManager & IResolver & ICredentialPlugin>({
  plugins: [
    new KeyManager({ store: new MemoryKeyStore(), kms: { local: new KeyManagementSystem(new MemoryPrivateKeyStore()) } }),
    new DIDManager({ store: new MemoryDIDStore(), defaultProvider: 'did:key', providers: { 'did:key': new KeyDIDProvider({ defaultKms: 'local' }) } }),
    new DIDResolverPlugin({ resolver: new Resolver({ ...(getKeyResolver() as ResolverRegistry) }) }),
    new CredentialPlugin([new CredentialProviderJWT()]),
  ],
});
const vIssuer = await agent.didManagerCreate({ provider: 'did:key', options: { keyType: 'Ed25519' } });
const vc = await agent.createVerifiableCredential({
  credential: {
    '@context': ['https://www.w3.org/2018/credentials/v1'],
    type: ['VerifiableCredential', 'BirthRegistrationCredential'],
    issuer: { id: vIssuer.did },
    issuanceDate: new Date(NOW - 86_400_000).toISOString(),
    credentialSubject: { id: w.child.did, ...(JSON.parse(Buffer.from(p, 'base64url').toString()) as { credentialSubject: Record<string, unknown> }).credentialSubject },
  },
  proofFormat: 'jwt',
});
const vjwt = (vc.proof as { jwt: string }).jwt;
await w.store.write({ trust: { ...(await w.store.getTrust()), operator: [...(await w.store.getTrust()).operator, { did: vIssuer.did, addedAt: 0 }] } });
const vr = await verifyCredential(vjwt, { store: w.store, now: NOW, signatureVerifier: nodeSignatureVerifier });
if (vr.outcome !== 'valid') throw new Error(`Veramo fixture does not verify: ${JSON.stringify(vr.errors)}`);
console.log('');
const vm = await race(
  [
    ['stock Veramo 7 agent.verifyCredential (JWT-VC, did:key)', () => agent.verifyCredential({ credential: vjwt })],
    ['Cradle verifyCredential, same token, node:crypto backend', () => verifyCredential(vjwt, { store: w.store, now: NOW, signatureVerifier: nodeSignatureVerifier })],
    ['Cradle verifyCredential, same token, WebCrypto backend', () => verifyCredential(vjwt, { store: w.store, now: NOW, signatureVerifier: webCryptoSignatureVerifier })],
  ],
  5,
  300,
);
console.log(
  `Cradle (node:crypto) / Veramo: ${(g(vm, 'Cradle verifyCredential, same token, node:crypto backend') / g(vm, 'stock Veramo 7 agent.verifyCredential (JWT-VC, did:key)')).toFixed(1)}x; ` +
    `Cradle (WebCrypto) / Veramo: ${(g(vm, 'Cradle verifyCredential, same token, WebCrypto backend') / g(vm, 'stock Veramo 7 agent.verifyCredential (JWT-VC, did:key)')).toFixed(1)}x`,
);
