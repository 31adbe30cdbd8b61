import { StatusList } from '@cradle/core';
import { describe, expect, it } from 'vitest';
import { acceptStatusList } from '../src/status-list-credential.js';
import type { AnchorRecord } from '../src/store.js';
import { nobleSignatureVerifier } from '../src/signature-verifier.js';
import { buildVerificationContext } from '../src/verification-context.js';
import { NOW_S, listUrl, makeDidKey, makeRegistrar, signList } from './helpers/fixtures.js';

const registrar = makeRegistrar(1);
const other = makeRegistrar(2);
const keysOf = buildVerificationContext({
  trust: { operator: [], removed: [] },
  didDocuments: [
    { did: registrar.did, document: registrar.document, fetchedAt: NOW_S },
    { did: other.did, document: other.document, fetchedAt: NOW_S },
  ],
  statusLists: [],
  anchors: [],
}).keysOf;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const accept = (jwt: string, anchor: AnchorRecord, issuer = registrar.did) =>
  acceptStatusList(enc(jwt), { anchor, issuerDid: issuer, keysOf, verifier: nobleSignatureVerifier, checkedAt: NOW_S });

describe('a fetched status list is accepted only when everything matches the anchor', () => {
  it('the current list, signed by the anchoring registrar, is accepted with its bits decoded', async () => {
    const l = await signList({ registrar, url: listUrl('a'), purpose: 'revocation', version: 5, set: [7] });
    const r = await accept(l.jwt, l.anchor);
    expect('list' in r && r.list.bits[0]).toBe(1); // entry 7 = last bit of byte 0
    expect('list' in r && r.list).toMatchObject({ url: l.url, issuer: registrar.did, purpose: 'revocation', checkedAt: NOW_S });
  });

  it('rollback: an older validly signed list is refused (DIGEST_MISMATCH)', async () => {
    const old = await signList({ registrar, url: listUrl('a'), purpose: 'revocation', version: 4 });
    const current = await signList({ registrar, url: listUrl('a'), purpose: 'revocation', version: 5, set: [7] });
    expect(await accept(old.jwt, current.anchor)).toMatchObject({ rejection: { code: 'DIGEST_MISMATCH' } });
  });

  it('a list signed by another registrar is refused even if its digest was anchored (ISSUER_MISMATCH)', async () => {
    const foreign = await signList({ registrar: other, url: listUrl('a'), purpose: 'revocation', version: 1, identity: registrar.address });
    expect(await accept(foreign.jwt, foreign.anchor)).toMatchObject({ rejection: { code: 'ISSUER_MISMATCH' } });
  });

  it('a list claiming the registrar as issuer but signed with another key is refused (SIGNATURE_INVALID)', async () => {
    const thief = makeDidKey(3);
    const forged = await signList({ registrar: { ...thief, did: registrar.did, kid: registrar.kid }, url: listUrl('a'), purpose: 'revocation', version: 1, identity: registrar.address });
    expect(await accept(forged.jwt, forged.anchor)).toMatchObject({ rejection: { code: 'SIGNATURE_INVALID' } });
  });

  it('a list whose id is not the anchored list id is refused (MALFORMED)', async () => {
    const l = await signList({ registrar, url: listUrl('b'), purpose: 'revocation', version: 1 });
    const anchor = { ...l.anchor, listId: (await signList({ registrar, url: listUrl('c'), purpose: 'revocation', version: 1 })).anchor.listId };
    expect(await accept(l.jwt, anchor)).toMatchObject({ rejection: { code: 'MALFORMED' } });
  });

  it('a list whose version is not the anchored version is refused (MALFORMED)', async () => {
    const l = await signList({ registrar, url: listUrl('a'), purpose: 'revocation', version: 3 });
    expect(await accept(l.jwt, { ...l.anchor, version: 4 })).toMatchObject({ rejection: { code: 'MALFORMED' } });
  });

  it('a compression bomb in encodedList is stopped while inflating (TOO_LARGE)', async () => {
    const huge = StatusList.create({ length: 64 * 1024 * 1024 }).encodeSync(); // 8 MiB of zeros, a few KiB gzipped
    expect(huge.length).toBeLessThan(50_000);
    const bomb = await signList({ registrar, url: listUrl('bomb'), purpose: 'revocation', version: 1, encodedList: huge });
    expect(await accept(bomb.jwt, bomb.anchor)).toMatchObject({ rejection: { code: 'TOO_LARGE' } });
  });

  it('an oversized download is refused before hashing (TOO_LARGE)', async () => {
    const l = await signList({ registrar, url: listUrl('a'), purpose: 'revocation', version: 1 });
    const r = await acceptStatusList(new Uint8Array(3 * 1024 * 1024), { anchor: l.anchor, issuerDid: registrar.did, keysOf, verifier: nobleSignatureVerifier, checkedAt: NOW_S });
    expect(r).toMatchObject({ rejection: { code: 'TOO_LARGE' } });
  });

  it('the positional call form (deprecated) still judges exactly like the options object', async () => {
    const l = await signList({ registrar, url: listUrl('a'), purpose: 'revocation', version: 5, set: [7] });
    const old = await signList({ registrar, url: listUrl('a'), purpose: 'revocation', version: 4 });
    for (const jwt of [l.jwt, old.jwt]) {
      const positional = await acceptStatusList(enc(jwt), l.anchor, registrar.did, keysOf, nobleSignatureVerifier, NOW_S, 120);
      expect(positional).toEqual(await acceptStatusList(enc(jwt), { anchor: l.anchor, issuerDid: registrar.did, keysOf, verifier: nobleSignatureVerifier, checkedAt: NOW_S, checkedBlock: 120 }));
    }
    expect(await acceptStatusList(enc(l.jwt), l.anchor, registrar.did, keysOf, nobleSignatureVerifier, NOW_S, 120)).toMatchObject({ list: { checkedAt: NOW_S, checkedBlock: 120 } });
    expect(await acceptStatusList(enc(old.jwt), l.anchor, registrar.did, keysOf, nobleSignatureVerifier, NOW_S)).toMatchObject({ rejection: { code: 'DIGEST_MISMATCH' } });
  });

  it('the time it is checked at is recorded, and without a block number none is recorded', async () => {
    const l = await signList({ registrar, url: listUrl('a'), purpose: 'revocation', version: 5 });
    const r = await accept(l.jwt, l.anchor);
    expect('list' in r && r.list.checkedAt).toBe(NOW_S);
    expect('list' in r && 'checkedBlock' in r.list).toBe(false);
  });
});
