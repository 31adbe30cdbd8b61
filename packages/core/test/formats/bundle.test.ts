// The trust bundle format (formats/bundle.ts): built and read by one module. The reader never throws on
// hostile bytes and answers a stable code per kind of damage; the signed envelope is a JWS that a JOSE
// library we did not write (jose) verifies.
import { createPublicKey, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { compactVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { base64UrlDecode, base64UrlEncode, utf8Decode, utf8Encode } from '../../src/base64url.js';
import { didKeyFromEd25519PublicKey, didKeyVerificationMethodId } from '../../src/did-key.js';
import { BUNDLE_TYPE, MAX_BUNDLE_BYTES, TYP_BUNDLE, buildBundle, buildSignedBundle, readBundle, readSignedBundlePayload } from '../../src/formats/bundle.js';
import type { BundleContents, BundleRead, BundleReadCode } from '../../src/formats/bundle.js';
import { decodeJws } from '../../src/jose.js';
import { encodeStatusListPack } from '../../src/status-list-pack.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const GOV = didKeyFromEd25519PublicKey(base64UrlDecode(createPublicKey(privateKey).export({ format: 'jwk' }).x!));
const signer = { did: GOV, kid: didKeyVerificationMethodId(GOV), sign: (d: Uint8Array) => new Uint8Array(nodeSign(null, d, privateKey)) };
const REGISTRAR = 'did:ethr:0x7a69:0x5fbdb2315678afecb367f032d93f642f64180aa3';

const anchor = { identity: `0x${'ab'.repeat(20)}`, listId: `0x${'01'.repeat(32)}`, version: 4, digest: `0x${'ef'.repeat(32)}`, uri: 'https://registrar.example/status/1', blockNumber: 150, blockTime: 1_795_000_000 };
const contents: BundleContents = {
  createdAt: 1_795_000_100,
  chainId: 31337,
  governanceDid: GOV,
  syncedBlock: 160,
  trustedIssuers: [REGISTRAR],
  governanceList: { jwt: 'aaa.bbb.ccc', anchor: { ...anchor, listId: `0x${'02'.repeat(32)}` } },
  didDocuments: [{ did: REGISTRAR, document: { id: REGISTRAR, verificationMethod: [] }, fetchedAt: 1_795_000_050, blockNumber: 150 }],
  statusLists: [{ jwt: 'hdr.payload.sig', anchor, checkedAt: 1_795_000_060, checkedBlock: 160 }],
  alertLists: [{ jwt: '{"protected":"x"}', anchor: { ...anchor, listId: `0x${'03'.repeat(32)}` }, checkedAt: 1_795_000_060 }],
  anchors: [anchor],
};

/** The JSON object of an unsigned bundle, to damage one member at a time. */
function bundleJson(): Record<string, unknown> {
  return JSON.parse(utf8Decode(buildBundle(contents))) as Record<string, unknown>;
}
const bytesOf = (value: unknown): Uint8Array => utf8Encode(JSON.stringify(value));
const codeOf = (r: BundleRead): BundleReadCode | undefined => ('problem' in r ? r.problem.code : undefined);

/** A small deterministic PRNG (xorshift32): the same "random" bytes on every run. */
function prng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('trust bundle format: built and read by formats/bundle.ts', () => {
  it('an unsigned bundle reads back to exactly what was built', () => {
    const bytes = buildBundle(contents);
    expect(utf8Decode(bytes).endsWith('}\n')).toBe(true);
    expect(bundleJson()).toMatchObject({ type: BUNDLE_TYPE, format: 1 });
    expect(readBundle(bytes)).toEqual({ signed: false, contents });
  });

  it('equal contents give equal bytes, whatever order the caller listed the members in', () => {
    const reordered = Object.fromEntries(Object.entries(contents).reverse()) as unknown as BundleContents;
    expect(buildBundle(reordered)).toEqual(buildBundle(contents));
    // No alert lists: the member is left out (bundles from checkpoints without alerts never had it).
    expect(bundleJson()).toHaveProperty('alertLists');
    expect(JSON.parse(utf8Decode(buildBundle({ ...contents, alertLists: [] })))).not.toHaveProperty('alertLists');
  });

  it('a signed bundle is a cradle-bundle+jwt that jose verifies with the signer key, and its payload reads back to the contents', async () => {
    const read = readBundle(await buildSignedBundle(contents, signer));
    if (!('jws' in read)) throw new Error(`not read as signed: ${JSON.stringify(read)}`);
    const verified = await compactVerify(read.jws, publicKey);
    expect(verified.protectedHeader).toEqual({ alg: 'EdDSA', typ: TYP_BUNDLE, kid: signer.kid });
    const payload = JSON.parse(utf8Decode(verified.payload)) as Record<string, unknown>;
    expect(payload.iss).toBe(GOV);
    expect(readSignedBundlePayload(payload)).toEqual({ contents });
    expect(readSignedBundlePayload(decodeJws(read.jws, { expectedTyp: TYP_BUNDLE, maxBytes: MAX_BUNDLE_BYTES }).payload)).toEqual({ contents });
  });
});

describe('readBundle on hostile input: never throws, a stable code per kind of damage', () => {
  it('TOO_LARGE: over 32 MiB is refused before it is decoded', () => {
    const huge = new Uint8Array(MAX_BUNDLE_BYTES + 1).fill(0xff); // not UTF-8 either: size is checked first
    expect(readBundle(huge)).toEqual({ problem: { code: 'TOO_LARGE', reason: `it is ${MAX_BUNDLE_BYTES + 1} bytes, over the ${MAX_BUNDLE_BYTES} limit` } });
  });

  it('NOT_TEXT: binary data, such as a status-list pack, is not a bundle', () => {
    expect(codeOf(readBundle(encodeStatusListPack([])))).toBe('NOT_TEXT');
    expect(codeOf(readBundle(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])))).toBe('NOT_TEXT');
    expect(codeOf(readBundle('{"type":"CradleTrustBundle"}'))).toBe('NOT_TEXT'); // a string is not the file's bytes
  });

  it('NOT_JSON: a truncated bundle, at any length, is refused as not complete JSON', () => {
    const bytes = buildBundle(contents);
    // Only the final newline may go missing (a text editor may drop it).
    expect(readBundle(bytes.subarray(0, bytes.length - 1))).toEqual({ signed: false, contents });
    for (let keep = 0; keep < bytes.length - 1; keep += 7) {
      const r = readBundle(bytes.subarray(0, keep));
      expect(codeOf(r), `cut to ${keep} bytes`).toBe('NOT_JSON');
      if ('problem' in r) expect(r.problem.reason).toMatch(/^it is not complete JSON \(cut short or altered\?\)/);
    }
  });

  it('NOT_JSON: duplicate member names are refused (two parsers could read two different bundles)', () => {
    const text = utf8Decode(buildBundle(contents)).replace('"createdAt":', '"chainId":1,"createdAt":');
    expect(codeOf(readBundle(utf8Encode(text)))).toBe('NOT_JSON');
  });

  it('NOT_A_BUNDLE: JSON without "type": "CradleTrustBundle" (another Cradle artefact, an array, a number)', () => {
    for (const value of [{ ...bundleJson(), type: 'CradleTrustList' }, { ...bundleJson(), type: undefined }, [bundleJson()], 42, null, 'CradleTrustBundle']) {
      const r = readBundle(bytesOf(value));
      expect(codeOf(r), JSON.stringify(value).slice(0, 60)).toBe('NOT_A_BUNDLE');
      if ('problem' in r) expect(r.problem.reason).toBe('it is not a Cradle trust bundle (format 1)');
    }
  });

  it('FORMAT_UNSUPPORTED: a bundle of another format number, or none, says which format it is and which this software reads', () => {
    for (const format of [2, 0, '1', undefined, 1.5]) {
      const r = readBundle(bytesOf({ ...bundleJson(), format }));
      expect(codeOf(r), String(format)).toBe('FORMAT_UNSUPPORTED');
    }
    const r = readBundle(bytesOf({ ...bundleJson(), format: 2 }));
    expect('problem' in r && r.problem.reason).toMatch(/format 2; this software reads format 1/);
  });

  it('MALFORMED: a member that is missing or of the wrong type is named in the reason', () => {
    const json = bundleJson();
    const list = (json.statusLists as Record<string, unknown>[])[0]!;
    const doc = (json.didDocuments as Record<string, unknown>[])[0]!;
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['createdAt as text', { ...json, createdAt: '2026-11-30' }, /^createdAt is not a valid number$/],
      ['createdAt missing', { ...json, createdAt: undefined }, /^createdAt is not a valid number$/],
      ['negative chainId', { ...json, chainId: -1 }, /^chainId is not a valid number$/],
      ['syncedBlock as text', { ...json, syncedBlock: '160' }, /^syncedBlock is not a valid number$/],
      ['governanceDid not a DID', { ...json, governanceDid: 'governance' }, /^governanceDid is not a DID$/],
      ['trustedIssuers an object', { ...json, trustedIssuers: { 0: REGISTRAR } }, /^trustedIssuers is missing or not a list$/],
      ['trustedIssuers with a number', { ...json, trustedIssuers: [REGISTRAR, 7] }, /^trustedIssuers\[1\] is not text$/],
      ['didDocuments missing', { ...json, didDocuments: undefined }, /^didDocuments is missing or not a list$/],
      ['didDocuments an object', { ...json, didDocuments: doc }, /^didDocuments is missing or not a list$/],
      ['a DID document entry that is a string', { ...json, didDocuments: ['did:web:x'] }, /^didDocuments\[0\] is malformed$/],
      ['a DID document without did', { ...json, didDocuments: [{ ...doc, did: undefined }] }, /^didDocuments\[0\]\.did is missing or too long$/],
      ['fetchedAt as text', { ...json, didDocuments: [{ ...doc, fetchedAt: '1795000050' }] }, /^didDocuments\[0\]\.fetchedAt is not a valid number$/],
      ['statusLists missing', { ...json, statusLists: undefined }, /^statusLists is missing or not a list$/],
      ['a list jwt that is a number', { ...json, statusLists: [{ ...list, jwt: 5 }] }, /^statusLists\[0\]\.jwt is missing or too long$/],
      ['a list without anchor', { ...json, statusLists: [{ ...list, anchor: undefined }] }, /^statusLists\[0\]\.anchor is not an anchor$/],
      ['an anchor digest that is not 32 bytes of hex', { ...json, statusLists: [{ ...list, anchor: { ...anchor, digest: '0x1234' } }] }, /^statusLists\[0\]\.anchor is malformed$/],
      ['a fractional anchor version', { ...json, anchors: [{ ...anchor, version: 1.5 }] }, /^anchors\[0\]\.version is not a valid number$/],
      ['checkedBlock as text', { ...json, statusLists: [{ ...list, checkedBlock: 'latest' }] }, /^statusLists\[0\]\.checkedBlock is not a valid number$/],
      ['alertLists a string', { ...json, alertLists: 'none' }, /^alertLists is malformed$/],
      ['anchors an object', { ...json, anchors: anchor }, /^anchors is missing or not a list$/],
      ['governanceList a string', { ...json, governanceList: 'aaa.bbb.ccc' }, /^governanceList is malformed$/],
      ['governanceList without jwt', { ...json, governanceList: { anchor } }, /^governanceList\.jwt is missing or too long$/],
    ];
    for (const [what, value, reason] of cases) {
      const r = readBundle(bytesOf(value));
      expect(codeOf(r), what).toBe('MALFORMED');
      if ('problem' in r) expect(r.problem.reason, what).toMatch(reason);
    }
  });

  it('MALFORMED: the same checks apply to the contents inside a signed bundle', () => {
    const payload = (value: unknown) => ({ iss: GOV, bundle: base64UrlEncode(bytesOf(value)) });
    expect(readSignedBundlePayload(payload({ ...bundleJson(), statusLists: [{ jwt: 5 }] }))).toEqual({ problem: { code: 'MALFORMED', reason: 'statusLists[0].jwt is missing or too long' } });
    expect(readSignedBundlePayload(payload({ ...bundleJson(), type: 'CradleTrustList' }))).toEqual({ problem: { code: 'MALFORMED', reason: 'its signed content is not a bundle' } });
    expect(readSignedBundlePayload(payload({ ...bundleJson(), format: 3 }))).toMatchObject({ problem: { code: 'FORMAT_UNSUPPORTED' } });
    for (const bad of [{ iss: GOV }, { iss: GOV, bundle: 7 }, { iss: GOV, bundle: '***' }, { iss: GOV, bundle: base64UrlEncode(utf8Encode('{"type":')) }, null, []]) {
      expect(readSignedBundlePayload(bad), JSON.stringify(bad)).toMatchObject({ problem: { code: 'MALFORMED' } });
    }
    // A signed envelope whose jws is not a string is not signed at all.
    expect(codeOf(readBundle(bytesOf({ type: BUNDLE_TYPE, format: 1, jws: { alg: 'none' } })))).toBe('MALFORMED');
  });

  it('SIGNATURE_REQUIRED: an unsigned bundle is refused, unread, where the reader asks for a signed one; a signed one is not', async () => {
    expect(readBundle(buildBundle(contents), { requireSigned: true })).toEqual({ problem: { code: 'SIGNATURE_REQUIRED', reason: 'it is not signed' } });
    // Refused before its contents are read: damaged contents give the same answer.
    expect(codeOf(readBundle(bytesOf({ ...bundleJson(), didDocuments: 'x' }), { requireSigned: true }))).toBe('SIGNATURE_REQUIRED');
    expect(readBundle(await buildSignedBundle(contents, signer), { requireSigned: true })).toMatchObject({ signed: true });
  });

  it('trusted registrars that are not DIDs were never trusted by anyone: dropped, the rest is read', () => {
    const r = readBundle(bytesOf({ ...bundleJson(), trustedIssuers: [REGISTRAR, 'not a did', 'did:ethr:', ''] }));
    expect(r).toMatchObject({ signed: false, contents: { trustedIssuers: [REGISTRAR] } });
  });

  it('never throws: every flipped bit of a signed bundle, and random bytes, give a result', async () => {
    const bytes = await buildSignedBundle(contents, signer);
    for (let i = 0; i < bytes.length; i += 3) {
      const copy = bytes.slice();
      copy[i] = copy[i]! ^ (1 << (i % 8));
      const r = readBundle(copy);
      expect('problem' in r || 'jws' in r || 'contents' in r, `bit flipped at ${i}`).toBe(true);
    }
    const random = prng(0x5eed);
    for (let n = 0; n < 200; n++) {
      const junk = Uint8Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256));
      expect('problem' in readBundle(junk)).toBe(true);
      expect('problem' in readSignedBundlePayload({ bundle: base64UrlEncode(junk) })).toBe(true);
    }
  });
});
