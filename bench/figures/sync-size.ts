import { generateKeyPairSync, randomInt, sign } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { StatusList, decodeStatusListPack, encodeStatusListPack, signJws } from '@cradle/core';
import { figure, round } from '../lib/results.js';
import type { Figure } from '../lib/results.js';

const CREDENTIALS = 1_000_000;
const LIST = 131_072;
const ISSUER = 'did:ethr:0x7a69:0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc';

/**
 * Bytes a checkpoint downloads for the revocation status of 1,000,000 credentials with 1% revoked,
 * versus gzip -9 of the raw bitstrings; and a re-sync after 100 more revocations (a delta pack, as
 * `GET /status-pack?since=` serves it), versus the full sync. Lists are compressed as the issuer does
 * (the reference compressor, `StatusList.encode()`).
 */
export async function syncSizeFigures(): Promise<Figure[]> {
  const { privateKey } = generateKeyPairSync('ed25519');
  const signer = (d: Uint8Array) => new Uint8Array(sign(null, d, privateKey));
  const listCount = Math.ceil(CREDENTIALS / LIST);
  const lists = Array.from({ length: listCount }, () => StatusList.create({ length: LIST }));
  // Random allocation: 1,000,000 credentials spread over the lists, 1% of them revoked.
  const used = lists.map((_, i) => (i < listCount - 1 ? LIST : CREDENTIALS - LIST * (listCount - 1)));
  for (const [i, list] of lists.entries()) {
    for (let k = 0; k < Math.round(used[i]! * 0.01); k++) list.set(randomInt(LIST), 1);
  }
  const urls = lists.map((_, i) => `https://registrar.example/status/${i.toString(16).padStart(16, '0')}`);
  const signAll = async (version: number) =>
    Promise.all(
      lists.map(async (list, i) =>
        signJws(
          { alg: 'EdDSA', typ: 'vc+jwt', kid: `${ISSUER}#delegate-1` },
          {
            '@context': ['https://www.w3.org/ns/credentials/v2'],
            id: urls[i],
            type: ['VerifiableCredential', 'BitstringStatusListCredential'],
            issuer: ISSUER,
            validFrom: '2026-11-23T10:00:00Z',
            credentialSubject: { id: `${urls[i]}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: await list.encode() },
            iss: ISSUER,
            iat: 1_795_000_000,
            nbf: 1_795_000_000,
            cradleListVersion: version,
          },
          signer,
        ),
      ),
    );

  const gzipRaw = lists.reduce((n, l) => n + gzipSync(l.bytes, { level: 9 }).length, 0);
  const jws = await signAll(1);
  const jwsBytes = jws.reduce((n, j) => n + j.length, 0);
  const httpGzip = jws.reduce((n, j) => n + gzipSync(j, { level: 9 }).length, 0);
  const pack = encodeStatusListPack(jws).length;

  for (let k = 0; k < 100; k++) lists[randomInt(listCount)]!.set(randomInt(LIST), 1);
  const jws2 = await signAll(2);
  const fullResync = encodeStatusListPack(jws2).length;
  const deltaPack = encodeStatusListPack(jws2.map((j, i) => ({ jws: j, base: jws[i]! })));
  // The delta must rebuild the signed lists byte for byte, or the figure means nothing.
  const rebuilt = decodeStatusListPack(deltaPack, { bases: jws });
  if (rebuilt.length !== jws2.length || rebuilt.some((j, i) => j !== jws2[i])) throw new Error('bench: the delta pack did not rebuild the signed lists');
  const resync = deltaPack.length;

  return [
    figure({
      name: 'Sync size: 1,000,000 credentials, 1% revoked (status-list pack)',
      value: pack,
      unit: 'bytes',
      baseline: 'gzip -9 of the raw bitstrings',
      baselineValue: gzipRaw,
      notes: `${listCount} signed lists; as plain vc+jwt ${jwsBytes} B (${round(jwsBytes / gzipRaw, 2)}x), with HTTP gzip ${httpGzip} B (${round(httpGzip / gzipRaw, 2)}x)`,
    }),
    figure({
      name: 'Re-sync after 100 more revocations (status-list pack)',
      value: resync,
      unit: 'bytes',
      baseline: 'full sync (status-list pack)',
      baselineValue: pack,
      notes: `random indices spread 100 revocations over the ${listCount} lists; each changed list travels as a delta against the version held (the full pack of the new versions: ${fullResync} B)`,
    }),
  ];
}
