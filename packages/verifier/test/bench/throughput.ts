// Throughput of a full offline verification against its baselines, in one run.
// Run: node --conditions=source --import tsx packages/verifier/test/bench/throughput.ts
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { base64UrlDecode, base64UrlEncode } from '@cradle/core';
import { ed25519 } from '@noble/curves/ed25519';
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
