// Issuers on did:key (P-256, secp256k1), did:jwk and did:web, their tokens signed by `jose` (a library we
// did not write), verified after `trust add` + sync against a real dev chain and a real HTTP server.
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { base58Encode, base64UrlDecode, base64UrlEncode, utf8Encode } from '@cradle/core';
import { startDevChain } from '@cradle/ledger/devchain';
import type { DevChain } from '@cradle/ledger/devchain';
import { Resolver } from 'did-resolver';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { JWK, CryptoKey as JoseKey } from 'jose';
import { getResolver as keyDidResolver } from 'key-did-resolver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { didJwkKeys } from '../src/did-methods/did-jwk.js';
import { didKeyKeys } from '../src/did-methods/did-key.js';
import { didWebDocumentUrl, fetchDidWebDocument } from '../src/did-methods/did-web.js';
import { MemoryVerifierStore } from '../src/memory-store.js';
import { nodeSignatureVerifier } from '../src/node/node-signature-verifier.js';
import { nobleSignatureVerifier, webCryptoSignatureVerifier } from '../src/signature-verifier.js';
import { sync } from '../src/sync.js';
import { addTrustedIssuer } from '../src/trust.js';
import { verifyCredential } from '../src/verify-credential.js';
import { DAY, birthClaims, makeDidKey } from './helpers/fixtures.js';
import type { ListServer } from './helpers/list-server.js';
import { startListServer } from './helpers/list-server.js';

const NOW = Math.floor(Date.now() / 1000) * 1000;
const NOW_S = NOW / 1000;
const child = makeDidKey(1);

interface JoseIssuer {
  did: string;
  kid: string;
  alg: 'ES256' | 'ES256K' | 'ES384' | 'EdDSA';
  privateKey: JoseKey | KeyObject;
  jwk: JWK;
}

const MULTICODEC = { 'P-256': [0x80, 0x24], 'P-384': [0x81, 0x24], secp256k1: [0xe7, 0x01] } as const;

/** did:key of an EC JWK: multicodec varint + compressed point, base58btc (the did:key spec). */
function didKeyOf(jwk: JWK): string {
  const x = base64UrlDecode(jwk.x!);
  const y = base64UrlDecode(jwk.y!);
  const bytes = new Uint8Array(3 + x.length);
  bytes.set(MULTICODEC[jwk.crv as 'P-256' | 'P-384' | 'secp256k1']);
  bytes[2] = (y[y.length - 1]! & 1) === 1 ? 3 : 2;
  bytes.set(x, 3);
  return `did:key:z${base58Encode(bytes)}`;
}

/** A base64url JWK coordinate left-padded with zero bytes to the curve's length (undefined stays undefined). */
function fullLength(coordinate: string | undefined, bytes: number): string | undefined {
  if (coordinate === undefined) return undefined;
  const value = base64UrlDecode(coordinate);
  if (value.length >= bytes) return coordinate;
  const padded = new Uint8Array(bytes);
  padded.set(value, bytes - value.length);
  return base64UrlEncode(padded);
}

function didJwkOf(jwk: JWK): string {
  const { kty, crv, x, y } = jwk;
  return `did:jwk:${base64UrlEncode(utf8Encode(JSON.stringify(y === undefined ? { crv, kty, x } : { crv, kty, x, y })))}`;
}

// jose (WebCrypto) has no secp256k1: ES256K keys and signatures come from node:crypto (OpenSSL) instead.
async function keyPair(alg: JoseIssuer['alg']): Promise<{ privateKey: JoseKey | KeyObject; jwk: JWK }> {
  if (alg === 'ES256K') {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    return { privateKey, jwk: publicKey.export({ format: 'jwk' }) as JWK };
  }
  const { privateKey, publicKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : {});
  return { privateKey, jwk: await exportJWK(publicKey) };
}

async function didKeyIssuer(alg: 'ES256' | 'ES256K' | 'ES384'): Promise<JoseIssuer> {
  const { privateKey, jwk } = await keyPair(alg);
  const did = didKeyOf(jwk);
  return { did, kid: `${did}#${did.slice('did:key:'.length)}`, alg, privateKey, jwk };
}

async function didJwkIssuer(alg: JoseIssuer['alg']): Promise<JoseIssuer> {
  const { privateKey, jwk } = await keyPair(alg);
  const did = didJwkOf(jwk);
  return { did, kid: `${did}#0`, alg, privateKey, jwk };
}

/** A VCDM 2.0 birth credential secured with VC-JOSE-COSE, signed by jose. */
async function joseCredential(issuer: JoseIssuer, opts: { alg?: string; kid?: string; claims?: Record<string, unknown> } = {}): Promise<string> {
  const validFrom = NOW_S - 30 * DAY;
  const id = `urn:uuid:${crypto.randomUUID()}`;
  const header = { alg: opts.alg ?? issuer.alg, typ: 'vc+jwt', kid: opts.kid ?? issuer.kid };
  const payload = {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/cradle/v1'],
    id,
    type: ['VerifiableCredential', 'BirthRegistrationCredential'],
    issuer: issuer.did,
    validFrom: new Date(validFrom * 1000).toISOString().replace('.000Z', 'Z'),
    credentialSubject: { id: child.did, ...(opts.claims ?? birthClaims()) },
    iss: issuer.did,
    sub: child.did,
    jti: id,
    iat: validFrom,
    nbf: validFrom,
  };
  if (issuer.privateKey instanceof Object && 'asymmetricKeyType' in issuer.privateKey) {
    const input = `${base64UrlEncode(utf8Encode(JSON.stringify(header)))}.${base64UrlEncode(utf8Encode(JSON.stringify(payload)))}`;
    const sig = nodeSign('sha256', Buffer.from(input), { key: issuer.privateKey as KeyObject, dsaEncoding: 'ieee-p1363' });
    return `${input}.${base64UrlEncode(sig)}`;
  }
  return new SignJWT(payload).setProtectedHeader(header).sign(issuer.privateKey as JoseKey);
}

/** Flip one character of the payload: the signature no longer covers it. */
function tamper(jwt: string): string {
  const [h, p, s] = jwt.split('.') as [string, string, string];
  const payload = JSON.parse(new TextDecoder().decode(base64UrlDecode(p))) as Record<string, Record<string, unknown>>;
  payload.credentialSubject!.birthDate = '2019-01-01';
  return `${h}.${base64UrlEncode(utf8Encode(JSON.stringify(payload)))}.${s}`;
}

describe('did:key with P-256, P-384 and secp256k1 is derived from the DID', () => {
  const resolver = new Resolver(keyDidResolver());

  it.each(['ES256', 'ES256K', 'ES384'] as const)('the %s did:key key equals what key-did-resolver (third party) derives', async (alg) => {
    const issuer = await didKeyIssuer(alg);
    const key = didKeyKeys(issuer.did);
    expect(key?.type).toBe({ ES256: 'P-256', ES256K: 'secp256k1', ES384: 'P-384' }[alg]);
    expect(key?.id).toBe(issuer.kid);
    const theirs = await resolver.resolve(issuer.did);
    const vm = theirs.didDocument?.verificationMethod?.[0];
    expect(vm?.id).toBe(key?.id);
    const half = (key!.publicKey!.length - 1) / 2;
    // key-did-resolver renders P-256 and P-384 as publicKeyJwk, secp256k1 as publicKeyBase58 (compressed).
    // It drops a coordinate's leading zero bytes (about 1 key in 100 for P-384), where RFC 7518 wants the
    // full length: its coordinates are compared as numbers, ours (and jose's, below) byte for byte.
    if (vm?.publicKeyJwk !== undefined) {
      expect(base64UrlEncode(key!.publicKey!.subarray(1, 1 + half))).toBe(fullLength(vm.publicKeyJwk.x, half));
      expect(base64UrlEncode(key!.publicKey!.subarray(1 + half))).toBe(fullLength(vm.publicKeyJwk.y, half));
    }
    expect(base64UrlEncode(key!.publicKey!.subarray(1, 1 + half))).toBe(issuer.jwk.x);
    expect(base64UrlEncode(key!.publicKey!.subarray(1 + half))).toBe(issuer.jwk.y);
  });

  it('a did:key whose bytes are not a point of the curve has no key', () => {
    const bytes = new Uint8Array(35);
    bytes.set([0x80, 0x24, 0x02]);
    bytes.fill(0xff, 3);
    expect(didKeyKeys(`did:key:z${base58Encode(bytes)}`)).toBeUndefined();
  });

  it('an unknown multicodec or an uncompressed point is not a did:key Cradle verifies', () => {
    const bytes = new Uint8Array(35);
    bytes.set([0x81, 0x24, 0x02]); // the P-384 multicodec (0x1201) with a 33-byte (P-256-sized) point
    expect(didKeyKeys(`did:key:z${base58Encode(bytes)}`)).toBeUndefined();
    expect(didKeyKeys('did:key:z')).toBeUndefined();
    expect(didKeyKeys('did:key:zDnae!!')).toBeUndefined();
  });
});

describe('did:jwk is derived from the DID', () => {
  it('the key of a did:jwk is its JWK, with the method id #0', async () => {
    const issuer = await didJwkIssuer('ES256');
    const key = didJwkKeys(issuer.did);
    expect(key).toMatchObject({ id: `${issuer.did}#0`, controller: issuer.did, type: 'P-256', assertionMethod: true });
  });

  it('a did:jwk holding a private key, an encryption key, duplicate members or another curve is refused', async () => {
    const { jwk } = await keyPair('ES256');
    const enc = (s: string): string => `did:jwk:${base64UrlEncode(utf8Encode(s))}`;
    expect(didJwkKeys(enc(JSON.stringify({ ...jwk, d: jwk.x })))).toBeUndefined();
    expect(didJwkKeys(enc(JSON.stringify({ ...jwk, use: 'enc' })))).toBeUndefined();
    expect(didJwkKeys(enc(`{"kty":"EC","crv":"P-256","x":"${jwk.x}","y":"${jwk.y}","x":"${jwk.y}"}`))).toBeUndefined();
    expect(didJwkKeys(enc(JSON.stringify({ ...jwk, crv: 'P-384' })))).toBeUndefined(); // P-256-sized coordinates
    expect(didJwkKeys(enc(JSON.stringify({ ...jwk, crv: 'P-521' })))).toBeUndefined();
    expect(didJwkKeys(enc(JSON.stringify({ ...jwk, y: jwk.x })))).toBeUndefined(); // not on the curve
    expect(didJwkKeys('did:jwk:not-base64!')).toBeUndefined();
  });
});

describe('did:web URLs follow the did:web method spec, https only', () => {
  it('maps host, path and port', () => {
    expect(didWebDocumentUrl('did:web:registry.gov.example')).toBe('https://registry.gov.example/.well-known/did.json');
    expect(didWebDocumentUrl('did:web:registry.gov.example:crvs:ke')).toBe('https://registry.gov.example/crvs/ke/did.json');
    expect(didWebDocumentUrl('did:web:registry.gov.example%3A8443')).toBe('https://registry.gov.example:8443/.well-known/did.json');
  });
  it('plain http is used only for 127.0.0.1', () => {
    expect(didWebDocumentUrl('did:web:127.0.0.1%3A9000')).toBe('http://127.0.0.1:9000/.well-known/did.json');
    expect(didWebDocumentUrl('did:web:10.0.0.1')).toBeUndefined();
  });
  it('refuses what is not a host name or a safe path', () => {
    for (const bad of ['did:web:', 'did:web:exa mple.org', 'did:web:example.org:..', 'did:web:example.org%2Fevil', 'did:web:example.org%3A99999', 'did:web:user@host']) {
      expect(didWebDocumentUrl(bad)).toBeUndefined();
    }
  });
});

describe('third-party credentials verify after trust add + sync; tampered ones do not', () => {
  let chain: DevChain;
  let web: ListServer;
  let webIssuer: JoseIssuer;
  let store: MemoryVerifierStore;
  let p256Key: JoseIssuer;
  let k1Key: JoseIssuer;
  let jwkIssuer: JoseIssuer;
  let p384Key: JoseIssuer;
  let p384JwkIssuer: JoseIssuer;

  beforeAll(async () => {
    [chain, web] = await Promise.all([startDevChain(), startListServer()]);
    const port = new URL(web.url).port;
    const { privateKey, jwk } = await keyPair('ES256');
    const did = `did:web:127.0.0.1%3A${port}:registry`;
    webIssuer = { did, kid: `${did}#key-1`, alg: 'ES256', privateKey, jwk };
    web.files.set(
      '/registry/did.json',
      JSON.stringify({
        '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/jwk/v1'],
        id: did,
        verificationMethod: [{ id: `${did}#key-1`, type: 'JsonWebKey', controller: did, publicKeyJwk: jwk }],
        assertionMethod: [`${did}#key-1`],
      }),
    );
    [p256Key, k1Key, jwkIssuer, p384Key, p384JwkIssuer] = await Promise.all([didKeyIssuer('ES256'), didKeyIssuer('ES256K'), didJwkIssuer('ES256'), didKeyIssuer('ES384'), didJwkIssuer('ES384')]);
    // These third-party issuers publish no status lists: the tests are about DID methods and keys, so this
    // checkpoint's policy accepts credentials without a revocation entry (explicitly).
    store = new MemoryVerifierStore({ config: { maxStatusAge: DAY, ledger: chain.config, requireRevocationEntry: false }, trust: { operator: [], removed: [] }, didDocuments: [], statusLists: [], anchors: [] });
    for (const i of [webIssuer, p256Key, k1Key, jwkIssuer, p384Key, p384JwkIssuer]) await addTrustedIssuer(store, i.did, { now: NOW });
  });
  afterAll(async () => {
    await Promise.all([chain?.stop(), web?.close()]);
  });

  it('before sync, the did:web issuer is unknown (verification never fetches it)', async () => {
    const r = await verifyCredential(await joseCredential(webIssuer), { store, now: NOW });
    expect(r.outcome).toBe('indeterminate');
    expect(r.errors.map((e) => e.code)).toContain('ISSUER_UNKNOWN');
    expect(web.hits).toEqual([]);
  });

  it('sync fetches the did:web document and reports it', async () => {
    const report = await sync({ store, now: NOW });
    expect(report.failures).toEqual([]);
    expect(report.didDocuments).toEqual([{ did: webIssuer.did, outcome: 'updated' }]);
    expect(web.hits).toEqual(['/registry/did.json']);
  });

  const cases = (): [string, JoseIssuer][] => [
    ['did:key P-256 (ES256)', p256Key],
    ['did:key secp256k1 (ES256K)', k1Key],
    ['did:jwk P-256 (ES256)', jwkIssuer],
    ['did:web P-256 (ES256)', webIssuer],
    ['did:key P-384 (ES384)', p384Key],
    ['did:jwk P-384 (ES384)', p384JwkIssuer],
  ];

  for (const verifier of [webCryptoSignatureVerifier, nodeSignatureVerifier, nobleSignatureVerifier]) {
    const name = verifier === webCryptoSignatureVerifier ? 'WebCrypto' : verifier === nodeSignatureVerifier ? 'node:crypto' : 'noble';
    it(`each issuer's jose-signed credential is valid, and tampered is invalid (${name})`, async () => {
      for (const [label, issuer] of cases()) {
        const jwt = await joseCredential(issuer);
        const ok = await verifyCredential(jwt, { store, now: NOW, signatureVerifier: verifier });
        expect({ label, errors: ok.errors, outcome: ok.outcome }).toEqual({ label, errors: [], outcome: 'valid' });
        expect(ok.facts?.registrar).toEqual({ did: issuer.did, trusted: true });
        const bad = await verifyCredential(tamper(jwt), { store, now: NOW, signatureVerifier: verifier });
        expect({ label, outcome: bad.outcome, codes: bad.errors.map((e) => e.code) }).toEqual({ label, outcome: 'invalid', codes: ['SIGNATURE_INVALID'] });
      }
    });
  }

  it('an EdDSA did:jwk issuer verifies too', async () => {
    const ed = await didJwkIssuer('EdDSA');
    await addTrustedIssuer(store, ed.did, { now: NOW });
    const r = await verifyCredential(await joseCredential(ed), { store, now: NOW });
    expect(r.errors).toEqual([]);
  });

  it('a token whose alg does not match the key type is refused', async () => {
    // Same did:key P-256 issuer, but signed with a secp256k1 key under alg ES256K: the key named is P-256.
    const other = await keyPair('ES256K');
    const jwt = await joseCredential({ ...p256Key, alg: 'ES256K', privateKey: other.privateKey });
    const r = await verifyCredential(jwt, { store, now: NOW });
    expect(r.outcome).toBe('invalid');
    expect(r.errors.map((e) => e.code)).toEqual(['SIGNATURE_INVALID']);
  });

  it('an ES384 signature under an ES256 header (or the reverse) is refused before any key is tried', async () => {
    const es384 = await joseCredential(p384Key);
    const [h, p, sig] = es384.split('.') as [string, string, string];
    const relabelled = `${base64UrlEncode(utf8Encode(JSON.stringify({ alg: 'ES256', typ: 'vc+jwt', kid: p384Key.kid })))}.${p}.${sig}`;
    expect(JSON.parse(new TextDecoder().decode(base64UrlDecode(h))).alg).toBe('ES384');
    const r = await verifyCredential(relabelled, { store, now: NOW });
    expect(r.outcome).toBe('invalid');
    expect(r.errors.map((e) => e.code)).toEqual(['MALFORMED']); // a 96-byte signature is not an ES256 signature
    const downgraded = await joseCredential({ ...p384Key, alg: 'ES256', privateKey: (await keyPair('ES256')).privateKey });
    expect((await verifyCredential(downgraded, { store, now: NOW })).errors.map((e) => e.code)).toEqual(['SIGNATURE_INVALID']);
  });

  it('a credential of an issuer that was not trusted is not valid, even with a good signature', async () => {
    const stranger = await didKeyIssuer('ES256');
    const r = await verifyCredential(await joseCredential(stranger), { store, now: NOW });
    expect(r.outcome).toBe('invalid');
    expect(r.errors.map((e) => e.code)).toEqual(['ISSUER_NOT_TRUSTED']);
  });

  it('a did:key or did:jwk document in the store never replaces the key derived from the DID', async () => {
    const attacker = await keyPair('ES256');
    const forgedDoc = (did: string) => ({
      id: did,
      verificationMethod: [{ id: kidOf(did), type: 'JsonWebKey', controller: did, publicKeyJwk: attacker.jwk }],
      assertionMethod: [kidOf(did)],
    });
    const kidOf = (did: string): string => (did === jwkIssuer.did ? jwkIssuer.kid : p256Key.kid);
    await store.write({ didDocuments: [jwkIssuer, p256Key].map((i) => ({ did: i.did, document: forgedDoc(i.did), fetchedAt: NOW_S })) });
    for (const issuer of [jwkIssuer, p256Key]) {
      const forged = await joseCredential({ ...issuer, privateKey: attacker.privateKey });
      const r = await verifyCredential(forged, { store, now: NOW });
      expect(r.outcome).toBe('invalid');
      expect(r.errors.map((e) => e.code)).toEqual(['SIGNATURE_INVALID']);
    }
  });

  it('the cached did:web keys age like ledger keys: stale after the status age limit', async () => {
    const r = await verifyCredential(await joseCredential(webIssuer), { store, now: NOW + 2 * DAY * 1000 });
    expect(r.outcome).toBe('indeterminate');
    expect(r.errors.map((e) => e.code)).toContain('STATUS_STALE');
  });
});

describe('did:web documents are fetched with bounds', () => {
  let web: ListServer;
  beforeAll(async () => {
    web = await startListServer();
  });
  afterAll(async () => web?.close());
  const didAt = (path: string): string => `did:web:127.0.0.1%3A${new URL(web.url).port}:${path}`;

  it('a document that is too large is refused before parsing', async () => {
    const did = didAt('big');
    web.files.set('/big/did.json', JSON.stringify({ id: did, pad: 'x'.repeat(70_000) }));
    await expect(fetchDidWebDocument(did, fetch)).rejects.toMatchObject({ code: 'TOO_LARGE' });
  });
  it("a document whose id is another DID, or that has no usable key, is refused", async () => {
    const did = didAt('other');
    web.files.set('/other/did.json', JSON.stringify({ id: 'did:web:evil.example' }));
    await expect(fetchDidWebDocument(did, fetch)).rejects.toMatchObject({ code: 'MALFORMED' });
    const empty = didAt('empty');
    web.files.set('/empty/did.json', JSON.stringify({ id: empty, verificationMethod: [] }));
    await expect(fetchDidWebDocument(empty, fetch)).rejects.toMatchObject({ code: 'MALFORMED' });
  });
  it('a document with duplicate members is refused', async () => {
    const did = didAt('dup');
    web.files.set('/dup/did.json', `{"id":"${did}","id":"${did}"}`);
    await expect(fetchDidWebDocument(did, fetch)).rejects.toMatchObject({ code: 'MALFORMED' });
  });
  it('a missing document is NOT_FOUND, an unreachable host RPC_UNREACHABLE', async () => {
    await expect(fetchDidWebDocument(didAt('nothing'), fetch)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(fetchDidWebDocument('did:web:127.0.0.1%3A1', fetch)).rejects.toMatchObject({ code: 'RPC_UNREACHABLE' });
  });
  it('an https did:web is not fetched over http', async () => {
    const seen: string[] = [];
    const spy = (async (url: string) => {
      seen.push(String(url));
      return new Response('{}', { status: 404 });
    }) as unknown as typeof fetch;
    await expect(fetchDidWebDocument('did:web:registry.gov.example', spy)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(seen).toEqual(['https://registry.gov.example/.well-known/did.json']);
  });
});
