// One strict Ed25519 rule for every verifier in the project, checked on the edge-case vectors of
// "Taming the many EdDSAs" (Chalkias, Garillot, Nikolaenko; packages/core/test/fixtures), and small-order
// keys refused at every entry: did:key, DID documents, issuer inputs, wallet imports.
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { base58Encode, base64UrlEncode, didKeyFromEd25519PublicKey, ed25519PublicKeyOfDidKey, ed25519StrictPrecheck, isStrictEd25519PublicKey, isWeakEd25519DidKey, utf8Encode } from '@cradle/core';
import { parseCredential } from '../../holder/src/parse-credential.js';
import { ed25519 } from '@noble/curves/ed25519';
import { describe, expect, it } from 'vitest';
import { checkGuardianshipClaims, subjectProblems } from '../../issuer/src/claims-validation.js';
import { keysFromDidDocument } from '../src/did-document-keys.js';
import { didKeyVerificationKey } from '../src/did-key.js';
import { nodeSignatureVerifier } from '../src/node/node-signature-verifier.js';
import type { SignatureVerifier } from '../src/signature-verifier.js';
import { nobleSignatureVerifier, webCryptoSignatureVerifier } from '../src/signature-verifier.js';
import type { VerificationKey } from '../src/verification-key.js';
import { verifyPresentation } from '../src/verify-presentation.js';
import { NOW, NOW_S, issueGuardianship, world } from './helpers/fixtures.js';

const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const vectors = (JSON.parse(readFileSync(new URL('../../core/test/fixtures/ed25519-speccheck-cases.json', import.meta.url), 'utf8')) as { message: string; pub_key: string; signature: string }[]).map((v) => ({
  message: hex(v.message),
  publicKey: hex(v.pub_key),
  signature: hex(v.signature),
}));
/** The strict answers: only vector 6 (mixed-order A and R, cofactorless equation holds) verifies, as with libsodium. */
const STRICT = vectors.map((_, i) => i === 6);

/** The identity point (order 1) and a point of order 8, as 32-byte encodings. */
const IDENTITY = hex(`01${'00'.repeat(31)}`);
const ORDER_8 = hex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa');

const keyOf = (publicKey: Uint8Array): VerificationKey => ({ id: 'did:example:k#1', controller: 'did:example:k', type: 'Ed25519', publicKey, assertionMethod: true, authentication: true });
function rawNode(message: Uint8Array, publicKey: Uint8Array, signature: Uint8Array): boolean {
  try {
    return nodeVerify(null, message, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(publicKey) }, format: 'jwk' }), signature);
  } catch {
    return false;
  }
}

describe('every Ed25519 verifier gives the same strict answer on the "Taming the many EdDSAs" vectors', () => {
  it('the fixture has the 15 published vectors, and node:crypto alone disagrees with the strict rule (so the rule matters)', () => {
    expect(vectors).toHaveLength(15);
    const openssl = vectors.map((v) => rawNode(v.message, v.publicKey, v.signature));
    expect(openssl).not.toEqual(STRICT);
    expect(openssl[1]).toBe(true); // small-order A, accepted by OpenSSL
  });

  it.each([
    ['node:crypto (nodeSignatureVerifier)', nodeSignatureVerifier],
    ['WebCrypto (webCryptoSignatureVerifier)', webCryptoSignatureVerifier],
    ['@noble/curves (nobleSignatureVerifier)', nobleSignatureVerifier],
  ] as [string, SignatureVerifier][])('%s accepts only the strictly valid vector', async (_name, verifier) => {
    const answers = await Promise.all(vectors.map((v) => verifier.verify('EdDSA', keyOf(v.publicKey), v.message, v.signature)));
    expect(answers).toEqual(STRICT);
  });

  it('node:crypto: a key object imported once (its strict verdict cached with it) gives the strict answer on every call', () => {
    // The checkpoint reuses one VerificationKey per registrar key; its KeyObject and key verdict are cached.
    for (const [i, v] of vectors.entries()) {
      const key = keyOf(v.publicKey);
      const answers = [1, 2, 3].map(() => nodeSignatureVerifier.verify('EdDSA', key, v.message, v.signature));
      expect(answers, `vector ${i}`).toEqual([STRICT[i], STRICT[i], STRICT[i]]);
    }
    // A strong key's cached verdict does not let a forged signature through: the signature half runs every time.
    const strong = keyOf(vectors[6]!.publicKey);
    const forged = Uint8Array.from(vectors[6]!.signature);
    forged[40]! ^= 1;
    expect([nodeSignatureVerifier.verify('EdDSA', strong, vectors[6]!.message, vectors[6]!.signature), nodeSignatureVerifier.verify('EdDSA', strong, vectors[6]!.message, forged)]).toEqual([true, false]);
  });

  it('the core pre-check refuses exactly what the rule names: small-order or non-canonical A and R, S >= L', () => {
    expect(vectors.map((v) => ed25519StrictPrecheck(v.signature, v.publicKey))).toEqual([false, false, false, false, false, false, true, true, true, false, false, false, false, false, false]);
  });
});

describe('small-order and non-canonical Ed25519 keys are refused at every entry', () => {
  const weakDid = didKeyFromEd25519PublicKey(IDENTITY);
  const order8Did = didKeyFromEd25519PublicKey(ORDER_8);

  it('as keys: the identity, a point of order 8, and a non-canonical encoding', () => {
    for (const k of [IDENTITY, ORDER_8, hex(`ec${'ff'.repeat(31)}`), hex(`ed${'ff'.repeat(30)}7f`)]) expect(isStrictEd25519PublicKey(k)).toBe(false);
    expect(isStrictEd25519PublicKey(vectors[6]!.publicKey)).toBe(true);
  });

  it('did:key: no verification key is derived from a weak did:key', () => {
    expect(ed25519PublicKeyOfDidKey(weakDid)).toBeUndefined();
    expect(didKeyVerificationKey(order8Did)).toBeUndefined();
    expect(isWeakEd25519DidKey(weakDid)).toBe(true);
  });

  it('DID documents: a small-order key in a document is not a verification key', () => {
    const did = 'did:ethr:0x7a69:0x1111111111111111111111111111111111111111';
    const doc = { id: did, verificationMethod: [{ id: `${did}#k`, type: 'Ed25519VerificationKey2018', controller: did, publicKeyBase58: base58Encode(ORDER_8) }], assertionMethod: [`${did}#k`] };
    expect(keysFromDidDocument(did, doc)).toEqual([]);
  });

  it('a presentation "signed" for a guardian whose did:key is the identity point (R = identity, S = 0) is not valid, though raw OpenSSL accepts it', async () => {
    const w = await world();
    const guardianship = issueGuardianship({ issuer: w.registrar, subject: w.child.did, guardians: [weakDid], status: { revocation: { url: w.revocation.url, index: 5 } } });
    const header = { alg: 'EdDSA', typ: 'vp+jwt', kid: `${weakDid}#${weakDid.slice('did:key:'.length)}` };
    const payload = {
      type: ['VerifiablePresentation'],
      holder: weakDid,
      verifiableCredential: [w.credential, guardianship].map((jwt) => ({ type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${jwt}` })),
      iss: weakDid,
      aud: 'border-post-7.example',
      nonce: 'n-0123456789',
      iat: NOW_S - 10,
      exp: NOW_S + 290,
    };
    const input = `${base64UrlEncode(utf8Encode(JSON.stringify(header)))}.${base64UrlEncode(utf8Encode(JSON.stringify(payload)))}`;
    const allButZero = new Uint8Array(64);
    allButZero.set(IDENTITY);
    expect(rawNode(utf8Encode(input), IDENTITY, allButZero)).toBe(true);
    const r = await verifyPresentation(`${input}.${base64UrlEncode(allButZero)}`, { store: w.store, now: NOW, nonce: 'n-0123456789', domain: 'border-post-7.example', signatureVerifier: nodeSignatureVerifier });
    expect(r.outcome).not.toBe('valid');
    expect(r.facts?.guardian?.isListedGuardian).not.toBe(true);
  });

  it('issuer inputs: a registrar refuses a weak did:key as subject or guardian (INVALID_CLAIMS names the field)', () => {
    expect(subjectProblems(weakDid)).toEqual([{ field: 'subject', message: expect.stringMatching(/small order/) }]);
    expect(() => checkGuardianshipClaims({ guardians: [{ id: order8Did, role: 'mother' }] }, () => NOW)).toThrow(expect.objectContaining({ code: 'INVALID_CLAIMS', message: expect.stringMatching(/guardians\[0\]\.id/) }));
  });

  it('wallet imports: a guardianship credential naming a weak guardian is refused', async () => {
    const w = await world();
    const jwt = issueGuardianship({ issuer: w.registrar, subject: w.child.did, guardians: [weakDid] });
    expect(() => parseCredential(jwt)).toThrow(/small order/);
  });
});

describe('the R pre-check reads only bytes, and agrees with decoding the point', () => {
  const P = 2n ** 255n - 19n;
  const le = (n: bigint): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
  /** A strict key and a valid S, so that only R decides. */
  const key = ed25519.getPublicKey(new Uint8Array(32).fill(7));
  const withR = (r: Uint8Array): Uint8Array => {
    const sig = new Uint8Array(64);
    sig.set(r);
    sig[32] = 1;
    return sig;
  };
  /** The reference: R decodes strictly (canonical, on the curve) and is not of small order. */
  const decodesStrictly = (r: Uint8Array): boolean | 'off-curve' => {
    try {
      return !ed25519.ExtendedPoint.fromHex(r, false).isSmallOrder();
    } catch {
      return 'off-curve';
    }
  };
  /** The eight small-order points, from a point of order 8. */
  const torsion = (() => {
    const t = ed25519.ExtendedPoint.fromHex(ORDER_8, false);
    const out = [ed25519.ExtendedPoint.ZERO];
    for (let i = 1; i < 8; i++) out.push(out[i - 1]!.add(t));
    return out;
  })();

  it('every encoding of a small-order point is refused: both signs of x, and y + p where that fits in 255 bits', () => {
    const ys = [...new Set(torsion.map((q) => q.toAffine().y))];
    expect(ys).toHaveLength(5);
    for (const y of ys) {
      for (const yy of y + P < 2n ** 255n ? [y, y + P] : [y]) {
        for (const sign of [0n, 1n]) expect(ed25519StrictPrecheck(withR(le(yy | (sign << 255n))), key)).toBe(false);
      }
    }
  });

  it('on points of the curve (random, mixed order, non-canonical y) it gives the decoder\'s answer', () => {
    const cases: Uint8Array[] = [];
    for (let i = 1; i <= 64; i++) {
      const q = ed25519.ExtendedPoint.BASE.multiply(BigInt(i) * 0x1234567890abcdefn);
      cases.push(q.toRawBytes(), q.add(torsion[i % 8]!).toRawBytes());
    }
    for (let y = 0n; y < 19n; y++) cases.push(le(y + P), le((y + P) | (1n << 255n)));
    for (const r of cases) {
      const reference = decodesStrictly(r);
      if (reference !== 'off-curve') expect(ed25519StrictPrecheck(withR(r), key)).toBe(reference);
    }
  });

  it('S is refused from L up, accepted below it', () => {
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const r = ed25519.ExtendedPoint.BASE.multiply(5n).toRawBytes();
    const withS = (sv: bigint): Uint8Array => {
      const sig = new Uint8Array(64);
      sig.set(r);
      sig.set(le(sv), 32);
      return sig;
    };
    expect([L - 1n, L, L + 1n, 2n ** 256n - 1n, 0n].map((sv) => ed25519StrictPrecheck(withS(sv), key))).toEqual([true, false, false, false, true]);
  });

  it('an R that is no point at all passes the pre-check, and every verifier still refuses the signature', async () => {
    let r: Uint8Array | undefined;
    for (let y = 2n; r === undefined; y++) if (decodesStrictly(le(y)) === 'off-curve') r = le(y);
    const message = utf8Encode('payload');
    const valid = ed25519.sign(message, new Uint8Array(32).fill(7));
    const forged = Uint8Array.from(valid);
    forged.set(r);
    expect(ed25519StrictPrecheck(forged, key)).toBe(true);
    for (const verifier of [nodeSignatureVerifier, webCryptoSignatureVerifier, nobleSignatureVerifier]) {
      expect(await verifier.verify('EdDSA', keyOf(key), message, valid)).toBe(true);
      expect(await verifier.verify('EdDSA', keyOf(key), message, forged)).toBe(false);
    }
  });

  it('a key\'s verdict is remembered without mixing keys up: a weak key after a strong one is still refused', () => {
    expect(isStrictEd25519PublicKey(key)).toBe(true);
    expect(isStrictEd25519PublicKey(IDENTITY)).toBe(false);
    expect(isStrictEd25519PublicKey(key)).toBe(true);
    expect(isStrictEd25519PublicKey(ORDER_8)).toBe(false);
  });
});
