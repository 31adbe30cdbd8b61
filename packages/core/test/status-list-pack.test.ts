import { randomBytes, randomInt } from 'node:crypto';
import { crc32 as crc32Node, deflateRawSync, gzipSync as gzipSyncNode, inflateRawSync } from 'node:zlib';
import { gzip as pakoGzip } from 'pako';
import { describe, expect, it } from 'vitest';
import { StatusList } from '../src/status-list.js';
import { decodeStatusListPack, encodeStatusListPack, readStatusListPack } from '../src/status-list-pack.js';
import { LEGACY_CSLP1_PACK_BASE64, LEGACY_SIGNED_LIST } from './fixtures/legacy-artefacts.js';

const b64 = (s: string | Uint8Array): string => Buffer.from(s).toString('base64url');

async function signedListLike(revokedFraction: number, url = `https://registrar.example/status/${randomBytes(8).toString('hex')}`): Promise<string> {
  const list = StatusList.create();
  for (let k = 0; k < Math.round(list.length * revokedFraction); k++) list.set(randomInt(list.length), 1);
  const header = { alg: 'EdDSA', typ: 'vc+jwt', kid: 'did:ethr:0x7a69:0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc#delegate-1' };
  const payload = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: 'did:ethr:0x7a69:0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc',
    validFrom: '2026-11-23T10:00:00Z',
    credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: await list.encode() },
    cradleListVersion: 3,
  };
  return `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}.${b64(randomBytes(64))}`;
}

describe('status-list pack', () => {
  it('rebuilds every signed list byte for byte', async () => {
    const lists = [await signedListLike(0.01), await signedListLike(0), await signedListLike(0.2)];
    expect(decodeStatusListPack(encodeStatusListPack(lists))).toEqual(lists);
  });

  it('carries a list whose encodedList is not canonical verbatim, still exact', () => {
    const odd = `${b64('{"alg":"EdDSA"}')}.${b64('{"credentialSubject":{"encodedList":"u-_9"}}')}.${b64(randomBytes(64))}`;
    const noList = `${b64('{"alg":"EdDSA"}')}.${b64('{"hello":"world"}')}.${b64(randomBytes(64))}`;
    expect(decodeStatusListPack(encodeStatusListPack([odd, noList]))).toEqual([odd, noList]);
  });

  it('is much smaller than the JWS strings: close to the gzip data it carries', async () => {
    const lists = await Promise.all(Array.from({ length: 8 }, () => signedListLike(0.01)));
    const pack = encodeStatusListPack(lists);
    const jwsBytes = lists.reduce((n, j) => n + j.length, 0);
    expect(pack.length).toBeLessThan(jwsBytes * 0.6);
  });

  it('rejects input without the magic header', () => {
    expect(() => decodeStatusListPack(new Uint8Array([1, 2, 3]))).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
  });

  it('rejects a decompression bomb with DECOMPRESSION_LIMIT, without inflating it', () => {
    const bomb = new Uint8Array([...Buffer.from('CSLP1'), ...deflateRawSync(Buffer.alloc(64 * 1024 * 1024))]);
    expect(() => decodeStatusListPack(bomb, { maxBytes: 1024 * 1024 })).toThrow(expect.objectContaining({ code: 'DECOMPRESSION_LIMIT' }));
  });

  it('rejects truncated and over-long fields', async () => {
    const body = Buffer.from([1, 0, 0xff, 0xff, 0x03]); // one list, kind split, header length 65535 > rest
    const pack = new Uint8Array([...Buffer.from('CSLP1'), ...deflateRawSync(body)]);
    expect(() => decodeStatusListPack(pack)).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
    const tooMany = new Uint8Array([...Buffer.from('CSLP1'), ...deflateRawSync(Buffer.from([0xff, 0xff, 0xff, 0x7f]))]);
    expect(() => decodeStatusListPack(tooMany)).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
  });

  it('rejects an unknown entry kind and trailing bytes', () => {
    const unknownKind = new Uint8Array([...Buffer.from('CSLP1'), ...deflateRawSync(Buffer.from([1, 7]))]);
    expect(() => decodeStatusListPack(unknownKind)).toThrow(/unknown kind/);
    const trailing = new Uint8Array([...Buffer.from('CSLP1'), ...deflateRawSync(Buffer.from([0, 9]))]);
    expect(() => decodeStatusListPack(trailing)).toThrow(/trailing/);
  });
});

describe('status-list encoding: the reference compressor', () => {
  it('is reference zlib level 9 (pako): deterministic, within 1% of Node zlib -9, decodable', async () => {
    const { gzipSync } = await import('node:zlib');
    const list = StatusList.create();
    for (let k = 0; k < 1311; k++) list.set(randomInt(list.length), 1);
    const reference = list.encodeSync();
    expect(await list.encode()).toBe(reference);
    expect(reference).toBe('u' + b64(pakoGzip(list.bytes, { level: 9, memLevel: 9 })));
    const nodeZlib = 'u' + b64(gzipSync(list.bytes, { level: 9, memLevel: 9 }));
    expect(reference.length).toBeLessThanOrEqual(nodeZlib.length * 1.01);
    expect((await StatusList.decode(reference)).bytes).toEqual(list.bytes);
  });

  it('an injected compressor replaces it', async () => {
    const { gzipSync } = await import('node:zlib');
    const list = StatusList.create();
    list.set(5, 1);
    const gzip = (bits: Uint8Array) => new Uint8Array(gzipSync(bits, { level: 1 }));
    expect(await list.encode({ gzip })).toBe('u' + b64(gzip(list.bytes)));
  });
});

/** Every way a pack gets damaged on a USB stick or a flaky link is reported as such, never read as fewer lists. */
describe('status-list pack: a damaged pack is refused whole (MALFORMED, with the reason)', () => {
  const damaged = (pack: Uint8Array, reason: string): void => {
    let error: unknown;
    try {
      decodeStatusListPack(pack);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'MALFORMED', details: { reason } });
  };

  it('a truncated pack (any length) is damaged: checksum', async () => {
    const pack = encodeStatusListPack([await signedListLike(0.01), await signedListLike(0.02)]);
    for (const keep of [pack.length - 1, pack.length - 4, pack.length - 5, Math.floor(pack.length / 2), 9, 6]) damaged(pack.subarray(0, keep), 'checksum');
  });

  it('a single flipped bit anywhere in the pack is detected (every bit of a real pack)', async () => {
    const pack = encodeStatusListPack([await signedListLike(0.01)]);
    for (let bit = 5 * 8; bit < pack.length * 8; bit++) {
      const copy = pack.slice();
      copy[bit >>> 3] = copy[bit >>> 3]! ^ (0x80 >>> (bit & 7));
      damaged(copy, 'checksum');
    }
  });

  it('a file that is not a pack (wrong magic, empty, a JSON bundle) is named as such', () => {
    for (const bytes of [new Uint8Array(0), Buffer.from('CSLP9xxxxxxxx'), Buffer.from('{"type":"CradleTrustBundle"}'), Buffer.from('cslp3')]) damaged(bytes, 'magic');
  });
});

describe('status-list pack: legacy artefacts', () => {
  it('reads a CSLP1 pack written before the shared byte codec, byte for byte', () => {
    expect(decodeStatusListPack(Buffer.from(LEGACY_CSLP1_PACK_BASE64, 'base64'))).toEqual([LEGACY_SIGNED_LIST]);
  });

  it('writes CSLP3: the same entries as before, followed by a CRC-32 of the pack', () => {
    const pack = encodeStatusListPack([LEGACY_SIGNED_LIST]);
    const legacy = Buffer.from(LEGACY_CSLP1_PACK_BASE64, 'base64');
    expect(Buffer.from(pack.subarray(0, 5)).toString()).toBe('CSLP3');
    expect(Buffer.from(pack.subarray(5, -4))).toEqual(legacy.subarray(5));
    expect(Buffer.from(pack.subarray(-4)).readUInt32BE()).toBe(crc32Node(pack.subarray(0, -4)));
  });

  it('refuses a non-minimal varint (one varint rule for every format)', () => {
    const pack = new Uint8Array([...Buffer.from('CSLP1'), ...deflateRawSync(Buffer.from([0x80, 0x00]))]);
    expect(() => decodeStatusListPack(pack)).toThrow(/non-minimal varint/);
  });
});

/** A registrar's list over time: same header and URL, new bits, new timestamps and version each time. */
function listSeries(url = `https://registrar.example/status/${randomBytes(8).toString('hex')}`) {
  const list = StatusList.create();
  for (let k = 0; k < 1311; k++) list.set(randomInt(list.length), 1);
  const header = { alg: 'EdDSA', typ: 'vc+jwt', kid: 'did:ethr:0x7a69:0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc#delegate-1' };
  const signed = (version: number, opts: { gzip?: (b: Uint8Array) => Uint8Array; kid?: string } = {}): string => {
    const at = 1_795_000_000 + version * 3600;
    const payload = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: url,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: 'did:ethr:0x7a69:0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc',
      validFrom: new Date(at * 1000).toISOString().replace('.000', ''),
      credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: 'u' + b64((opts.gzip ?? ((b) => pakoGzip(b, { level: 9, memLevel: 9 })))(list.bytes)) },
      iss: 'did:ethr:0x7a69:0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc',
      iat: at,
      nbf: at,
      cradleListVersion: version,
    };
    return `${b64(JSON.stringify({ ...header, ...(opts.kid ? { kid: opts.kid } : {}) }))}.${b64(JSON.stringify(payload))}.${b64(randomBytes(64))}`;
  };
  return { list, signed };
}

describe('status-list pack: deltas (CSLP2)', () => {
  it('a delta rebuilds the new signed list byte for byte from the base the receiver holds', () => {
    const s = listSeries();
    const v1 = s.signed(1);
    for (let k = 0; k < 12; k++) s.list.set(randomInt(s.list.length), 1);
    s.list.set(0, 1);
    s.list.set(s.list.length - 1, 1);
    const v2 = s.signed(2);
    const pack = encodeStatusListPack([{ jws: v2, base: v1 }]);
    expect(Buffer.from(pack.subarray(0, 5)).toString()).toBe('CSLP3');
    // The same entries as a CSLP2 pack (no checksum), as registrars wrote before: still read.
    expect(decodeStatusListPack(new Uint8Array([...Buffer.from('CSLP2'), ...pack.subarray(5, -4)]), { bases: [v1] })).toEqual([v2]);
    expect(decodeStatusListPack(pack, { bases: [v1] })).toEqual([v2]);
  });

  it('a delta is a small fraction of the whole list', () => {
    const lists = Array.from({ length: 8 }, () => listSeries());
    const v1 = lists.map((s) => s.signed(1));
    for (let k = 0; k < 100; k++) lists[randomInt(lists.length)]!.list.set(randomInt(131_072), 1);
    const v2 = lists.map((s) => s.signed(2));
    const full = encodeStatusListPack(v2).length;
    const delta = encodeStatusListPack(v2.map((jws, i) => ({ jws, base: v1[i]! })));
    console.info(`8 lists, 100 revocations: full pack ${full} B, delta pack ${delta.length} B (${((100 * delta.length) / full).toFixed(1)}%)`);
    expect(delta.length).toBeLessThan(full * 0.1);
    expect(decodeStatusListPack(delta, { bases: v1 })).toEqual(v2);
  });

  it('clearing bits (unsuspend) and a changed header travel too', () => {
    const s = listSeries();
    s.list.set(42, 1);
    const v1 = s.signed(1);
    s.list.set(42, 0);
    const v2 = s.signed(2, { kid: 'did:ethr:0x7a69:0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc#delegate-2' });
    expect(decodeStatusListPack(encodeStatusListPack([{ jws: v2, base: v1 }]), { bases: [v1] })).toEqual([v2]);
  });

  it('a list the receiver could not recompress goes whole (another compressor)', () => {
    const s = listSeries();
    const v1 = s.signed(1);
    s.list.set(7, 1);
    const v2 = s.signed(2, { gzip: (b) => new Uint8Array(gzipSyncNode(b, { level: 1 })) });
    const pack = encodeStatusListPack([{ jws: v2, base: v1 }]);
    expect(readStatusListPack(pack, { bases: [] })).toEqual({ lists: [v2], unresolved: [] });
  });

  it('a delta whose base the receiver lacks is reported unresolved, not guessed', () => {
    const s = listSeries();
    const v1 = s.signed(1);
    s.list.set(7, 1);
    const v2 = s.signed(2);
    const other = listSeries().signed(1);
    const pack = encodeStatusListPack([{ jws: v2, base: v1 }, other]);
    expect(readStatusListPack(pack, { bases: [other] })).toEqual({ lists: [other], unresolved: [{ index: 0, reason: 'its base list is not held here' }] });
  });

  it('a delta that flips a bit past the end of its base is unresolved', () => {
    const s = listSeries();
    const v1 = s.signed(1);
    s.list.set(7, 1);
    const pack = encodeStatusListPack([{ jws: s.signed(2), base: v1 }]);
    const body = inflateRawSync(pack.subarray(5));
    // Rewrite the single flip (gap 7) as a gap past 131,072 bits: find the flip count 1 followed by gap 7.
    const at = body.lastIndexOf(Buffer.from([1, 7, 64]));
    expect(at).toBeGreaterThan(0);
    const forged = Buffer.concat([body.subarray(0, at + 1), Buffer.from([0x80, 0x80, 0x08]), body.subarray(at + 2)]);
    const out = readStatusListPack(new Uint8Array([...Buffer.from('CSLP2'), ...deflateRawSync(forged)]), { bases: [v1] });
    expect(out.lists).toEqual([]);
    expect(out.unresolved[0]?.reason).toMatch(/past the end/);
  });

  it('a base serves one delta per pack (a hostile pack cannot multiply the recompression work)', () => {
    const s = listSeries();
    const v1 = s.signed(1);
    s.list.set(7, 1);
    const v2 = s.signed(2);
    const pack = encodeStatusListPack([{ jws: v2, base: v1 }, { jws: v2, base: v1 }, { jws: v2, base: v1 }]);
    const out = readStatusListPack(pack, { bases: [v1] });
    expect(out.lists).toEqual([v2]);
    expect(out.unresolved.map((u) => u.index)).toEqual([1, 2]);
    expect(out.unresolved[0]?.reason).toMatch(/already used its base/);
  });

  it('CSLP1 packs cannot carry delta entries', () => {
    const unknownKind = new Uint8Array([...Buffer.from('CSLP1'), ...deflateRawSync(Buffer.from([1, 2, 0]))]);
    expect(() => decodeStatusListPack(unknownKind)).toThrow(/unknown kind 2/);
  });
});
