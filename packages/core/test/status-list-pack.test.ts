import { randomBytes, randomInt } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { StatusList } from '../src/status-list.js';
import { decodeStatusListPack, encodeStatusListPack } from '../src/status-list-pack.js';

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

describe('status-list encoding with an injected compressor', () => {
  it('zlib level 9 gives a smaller, still decodable, deterministic encodedList', async () => {
    const { gzipSync } = await import('node:zlib');
    const list = StatusList.create();
    for (let k = 0; k < 1311; k++) list.set(randomInt(list.length), 1);
    const gzip = (bits: Uint8Array) => new Uint8Array(gzipSync(bits, { level: 9 }));
    const zlib9 = await list.encode({ gzip });
    expect(zlib9.length).toBeLessThan((await list.encode()).length);
    expect(await list.encode({ gzip })).toBe(zlib9);
    const back = await StatusList.decode(zlib9);
    expect(back.bytes).toEqual(list.bytes);
  });
});
