import { generateKeyPairSync, randomInt, sign } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { StatusList, encodeStatusListPack, signJws } from '@cradle/core';
import { figure, round } from '../lib/results.js';
import type { Figure } from '../lib/results.js';

const CREDENTIALS = 1_000_000;
const LIST = 131_072;
// The issuer compresses lists with Node's zlib at level 9 (see @cradle/issuer publish).
const zlib9 = (bits: Uint8Array) => new Uint8Array(gzipSync(bits, { level: 9, memLevel: 9 }));
const ISSUER = 'did:ethr:0x7a69:0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc';

/**
 * Bytes a checkpoint downloads for the revocation status of 1,000,000 credentials with 1% revoked,
 * versus gzip -9 of the raw bitstrings; and a re-sync after 100 more revocations.
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
            credentialSubject: { id: `${urls[i]}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: await list.encode({ gzip: zlib9 }) },
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
  const resync = encodeStatusListPack(await signAll(2)).length;

  return [
    figure({
      name: 'Sync size: 1,000,000 credentials, 1% revoked (status-list pack)',
      value: pack,
      unit: 'bytes',
      baseline: 'gzip -9 of the raw bitstrings',
      baselineValue: gzipRaw,
      target: '<= 1.3x',
      met: pack <= 1.3 * gzipRaw,
      notes: `${listCount} signed lists; as plain vc+jwt ${jwsBytes} B (${round(jwsBytes / gzipRaw, 2)}x), with HTTP gzip ${httpGzip} B (${round(httpGzip / gzipRaw, 2)}x)`,
    }),
    figure({
      name: 'Re-sync after 100 more revocations (status-list pack)',
      value: resync,
      unit: 'bytes',
      baseline: 'gzip -9 of the raw bitstrings',
      baselineValue: gzipRaw,
      target: null,
      notes: 'random indices spread 100 revocations over every list, so each changed list is fetched again',
    }),
  ];
}
