import { createHash, verify as nodeVerify } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { codeOf } from './helpers/code-of.js';
import { base45Encode } from '../src/base45.js';
import { CradleError } from '../src/errors.js';
import { TYP_VC_JWT, TYP_VP_JWT, decodeJws } from '../src/jose.js';
import { QR_PAYLOAD_PREFIX, QR_PAYLOAD_PREFIX_V1, QR_PAYLOAD_PREFIX_V2, QR_PAYLOAD_PREFIX_V3, QR_PAYLOAD_PREFIX_V4, decodeQrPayload, encodeQrPayload, primeQrPayloadReader, qrPayloadSegments } from '../src/qr-payload.js';
import { QR_DICTIONARY_V2, QR_DICTIONARY_V3, QR_DICTIONARY_V4 } from '../src/qr-dictionary.js';
import { encodeFrame } from '../src/qr-frame.js';
import { ATOM_HEX } from '../src/qr-atoms.js';
import { decimalDecode, decimalEncode } from '../src/decimal-groups.js';
import { ByteReader, ByteWriter } from '../src/codec/bytes.js';
import { base64UrlDecode } from '../src/base64url.js';
import { buildQrDictionaryV3, buildQrDictionaryV4 } from './fixtures/qr-dictionary-template.js';
import { signJws } from '../src/jose.js';
import {
  CRADLE5_PRESENTATION_QR,
  LEGACY_CRADLE2_JWS,
  LEGACY_CRADLE2_PRESENTATION_JWS,
  LEGACY_CRADLE2_PRESENTATION_QR,
  LEGACY_CRADLE2_QR,
  LEGACY_CRADLE3_PRESENTATION_QR,
  LEGACY_CRADLE4_PRESENTATION_QR,
} from './fixtures/legacy-artefacts.js';
import { contextEncode } from '../src/context-coder.js';
import { ed25519PublicKeyOfDidKey } from '../src/did-key.js';
import { GUARDIAN_DID, guardianKeys, registrarKeys, signedBirthCredential, signedCheckpointPresentation, signedPresentationWithAlertEntry } from './fixtures/credentials.js';

/** QR bits of a payload drawn with its segments (mode and count headers of QR versions 10-26 included). */
function qrBits(payload: string): number {
  return qrPayloadSegments(payload).reduce((bits, seg) => {
    const n = seg.data.length;
    if (seg.mode === 'numeric') return bits + 4 + 12 + 10 * Math.floor(n / 3) + [0, 4, 7][n % 3]!;
    if (seg.mode === 'alphanumeric') return bits + 4 + 11 + 11 * Math.floor(n / 2) + 6 * (n % 2);
    return bits + 4 + 16 + 8 * seg.data.length;
  }, 0);
}

/** sha256 of QR_DICTIONARY_V4 (frozen, like the bytes). */
const DICTIONARY_V4_SHA256 = 'f21b474c8b7726f51ea77e12e109d540cc84ccb158dc844d462f2562952c737b';

// QR alphanumeric mode: 0-9, A-Z, space and $ % * + - . / :
const QR_ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]*$/;

/** What the version 4 encoder wrote (before version 5): the frame with a DEFLATEd body. */
const cradle4 = (jws: string): string => QR_PAYLOAD_PREFIX_V4 + decimalEncode(encodeFrame(jws, QR_DICTIONARY_V4, 4));


describe('QR payload', () => {
  it('reads CRADLE2: payloads written before version 3 (a credential and a presentation), byte for byte', () => {
    expect(decodeQrPayload(LEGACY_CRADLE2_QR)).toBe(LEGACY_CRADLE2_JWS);
    expect(decodeQrPayload(LEGACY_CRADLE2_PRESENTATION_QR)).toBe(LEGACY_CRADLE2_PRESENTATION_JWS);
  });

  it('CRADLE3: payloads are smaller than CRADLE2: ones (birth credential 10%, presentation 15%)', async () => {
    const encodeQrPayload = (jws: string) => QR_PAYLOAD_PREFIX_V3 + base45Encode(encodeFrame(jws, QR_DICTIONARY_V3, 3));
    const v3 = encodeQrPayload(LEGACY_CRADLE2_JWS);
    expect(v3.startsWith('CRADLE3:')).toBe(true);
    expect(decodeQrPayload(v3)).toBe(LEGACY_CRADLE2_JWS);
    const birth = await signedBirthCredential();
    const v2Birth = QR_PAYLOAD_PREFIX_V2 + base45Encode(new Uint8Array(deflateRawSync(plainFrame(birth), { level: 9, memLevel: 9, dictionary: QR_DICTIONARY_V2 })));
    const v3Birth = encodeQrPayload(birth);
    expect(decodeQrPayload(v2Birth)).toBe(birth);
    const vp = encodeQrPayload(LEGACY_CRADLE2_PRESENTATION_JWS);
    console.info(`birth credential: CRADLE2 ${v2Birth.length} chars, CRADLE3 ${v3Birth.length}; presentation: CRADLE2 ${LEGACY_CRADLE2_PRESENTATION_QR.length}, CRADLE3 ${vp.length}`);
    expect(v3Birth.length).toBeLessThan(v2Birth.length * 0.9);
    expect(vp.length).toBeLessThan(LEGACY_CRADLE2_PRESENTATION_QR.length * 0.85);
  });

  it('the CRADLE3 dictionary is the frozen output of its documented template', () => {
    expect(Buffer.from(QR_DICTIONARY_V3).equals(Buffer.from(buildQrDictionaryV3()))).toBe(true);
    expect(createHash('sha256').update(QR_DICTIONARY_V3).digest('hex')).toBe('e7bfe5b9e71b5c0b65bee8f9bb15c1367b42c8ec97657c62048e9113462f3eb0');
  });

  it('the CRADLE4 dictionary is the frozen output of its documented template', () => {
    expect(Buffer.from(QR_DICTIONARY_V4).equals(Buffer.from(buildQrDictionaryV4()))).toBe(true);
    expect(createHash('sha256').update(QR_DICTIONARY_V4).digest('hex')).toBe(DICTIONARY_V4_SHA256);
  });

  it('reads CRADLE3: payloads written before version 4, byte for byte', () => {
    expect(LEGACY_CRADLE3_PRESENTATION_QR.startsWith(QR_PAYLOAD_PREFIX_V3)).toBe(true);
    expect(decodeQrPayload(LEGACY_CRADLE3_PRESENTATION_QR)).toBe(LEGACY_CRADLE2_PRESENTATION_JWS);
  });

  it('reads CRADLE4: payloads written before version 5, byte for byte', () => {
    expect(LEGACY_CRADLE4_PRESENTATION_QR.startsWith(QR_PAYLOAD_PREFIX_V4)).toBe(true);
    expect(decodeQrPayload(LEGACY_CRADLE4_PRESENTATION_QR)).toBe(LEGACY_CRADLE2_PRESENTATION_JWS);
    expect(cradle4(LEGACY_CRADLE2_PRESENTATION_JWS)).toBe(LEGACY_CRADLE4_PRESENTATION_QR);
  });

  it('primeQrPayloadReader readies the CRADLE5: reader once and changes nothing it reads or writes', () => {
    primeQrPayloadReader();
    expect(primeQrPayloadReader()).toBe(false);
    expect(decodeQrPayload(CRADLE5_PRESENTATION_QR)).toBe(LEGACY_CRADLE2_PRESENTATION_JWS);
    expect(encodeQrPayload(LEGACY_CRADLE2_PRESENTATION_JWS)).toBe(CRADLE5_PRESENTATION_QR);
  });

  it('writes exactly the frozen CRADLE5: payload, and reads it back (the context coder may never change under this prefix)', () => {
    expect(encodeQrPayload(LEGACY_CRADLE2_PRESENTATION_JWS)).toBe(CRADLE5_PRESENTATION_QR);
    expect(decodeQrPayload(CRADLE5_PRESENTATION_QR)).toBe(LEGACY_CRADLE2_PRESENTATION_JWS);
  });

  it('writes CRADLE5: payloads in fewer QR bits than CRADLE4: ones (the body: primed context mixing instead of DEFLATE)', async () => {
    const bits: string[] = [];
    for (const jws of [await signedBirthCredential(), await signedCheckpointPresentation(), await signedPresentationWithAlertEntry(), LEGACY_CRADLE2_PRESENTATION_JWS]) {
      const v5 = encodeQrPayload(jws);
      expect(v5.startsWith('CRADLE5:')).toBe(true);
      expect(decodeQrPayload(v5)).toBe(jws);
      expect(decodeQrPayload(cradle4(jws))).toBe(jws);
      bits.push(`${qrBits(cradle4(jws))} -> ${qrBits(v5)}`);
      // Each payload carries ~190-370 bytes of signatures and atoms the coder cannot shrink; of the rest
      // (the DEFLATEd body), the context coder saves over 12% on every one of these.
      expect(qrBits(v5)).toBeLessThan(qrBits(cradle4(jws)) - 200);
    }
    console.info(`QR bits, CRADLE4 -> CRADLE5: ${bits.join(', ')}`);
  });

  it('writes CRADLE4: payloads in fewer QR bits than CRADLE3: ones, most of all with the alert entry (presentation 25%)', async () => {
    const v3 = (jws: string) => QR_PAYLOAD_PREFIX_V3 + base45Encode(encodeFrame(jws, QR_DICTIONARY_V3, 3));
    for (const jws of [await signedBirthCredential(), await signedCheckpointPresentation(), await signedPresentationWithAlertEntry()]) {
      const v4 = cradle4(jws);
      expect(v4.startsWith('CRADLE4:')).toBe(true);
      expect(decodeQrPayload(v4)).toBe(jws);
      expect(decodeQrPayload(v3(jws))).toBe(jws);
      console.info(`CRADLE3 ${qrBits(v3(jws))} QR bits, CRADLE4 ${qrBits(v4)}`);
      expect(qrBits(v4)).toBeLessThan(qrBits(v3(jws)));
    }
    const withAlert = await signedPresentationWithAlertEntry();
    expect(qrBits(cradle4(withAlert))).toBeLessThan(qrBits(v3(withAlert)) * 0.75);
  });

  it('keeps the signatures outside the compressed body, raw, in token order, followed by the atoms', async () => {
    const vp = await signedCheckpointPresentation();
    const frame = decimalDecode(encodeQrPayload(vp).slice(QR_PAYLOAD_PREFIX.length), 'QR_INVALID');
    const tail = new ByteReader(frame, { code: 'QR_INVALID', what: 'frame' }).field();
    expect(tail.length).toBeGreaterThan(192); // three 64-byte Ed25519 signatures, then the atoms' data
    expect(Buffer.from(tail.subarray(0, 64)).equals(Buffer.from(base64UrlDecode(vp.split('.')[2]!, 'QR_INVALID')))).toBe(true);
    // The guardian's 32-byte key is in the atoms, raw, once (it is in the VP's kid twice, holder, iss, guardians).
    const guardianKey = Buffer.from(ed25519PublicKeyOfDidKey(GUARDIAN_DID)!);
    const atoms = Buffer.from(tail.subarray(192));
    expect(atoms.indexOf(guardianKey)).toBeGreaterThanOrEqual(0);
    expect(atoms.indexOf(guardianKey, atoms.indexOf(guardianKey) + 1)).toBe(-1);
  });

  it('sends JSON holding raw marker bytes (0x10-0x1f, never in valid JSON) as a raw segment, exact', async () => {
    const sign = (d: Uint8Array): Uint8Array => new Uint8Array(64).fill(d.length & 255);
    const raw = new Uint8Array([...Buffer.from('{"x":"'), ATOM_HEX, 0, 8, ...Buffer.from('5b0c3f1e9a7d42c8b61e0f3a9d2c7b84"}')]);
    const token = `eyJhbGciOiJFZERTQSJ9.${Buffer.from(raw).toString('base64url')}.${Buffer.from(sign(raw)).toString('base64url')}`;
    expect(decodeQrPayload(encodeQrPayload(token))).toBe(token);
  });

  it('round-trips a real signed birth credential byte for byte, and the signature still verifies', async () => {
    const jwt = await signedBirthCredential();
    const qr = encodeQrPayload(jwt);
    expect(qr.startsWith(QR_PAYLOAD_PREFIX)).toBe(true);
    const back = decodeQrPayload(qr);
    expect(back).toBe(jwt);
    const d = decodeJws(back, { expectedTyp: TYP_VC_JWT });
    expect(nodeVerify(null, d.signingInput, registrarKeys.publicKey, d.signature)).toBe(true);
  });
  it('uses only QR alphanumeric characters', async () => {
    expect(encodeQrPayload(await signedBirthCredential())).toMatch(QR_ALPHANUMERIC);
  });
  it('is smaller than the JWS in QR bits (numeric mode 3.33 bits/digit vs 8 bits/byte)', async () => {
    const jwt = await signedBirthCredential();
    const qr = encodeQrPayload(jwt);
    console.info(`birth credential: JWS ${jwt.length} bytes (${jwt.length * 8} QR bits in byte mode); QR payload ${qr.length} chars (${qrBits(qr)} bits, ${(qrBits(qr) / (jwt.length * 8)).toFixed(2)}x)`);
    expect(qrBits(qr)).toBeLessThan(jwt.length * 8 * 0.8);
  });
  it('is deterministic', async () => {
    const jwt = await signedBirthCredential();
    expect(encodeQrPayload(jwt)).toBe(encodeQrPayload(jwt));
  });
  it('ignores trailing newlines', async () => {
    const jwt = await signedBirthCredential();
    expect(decodeQrPayload(encodeQrPayload(jwt) + '\r\n')).toBe(jwt);
  });
  it('accepts a bare compact JWS unchanged', async () => {
    const jwt = await signedBirthCredential();
    expect(decodeQrPayload(jwt)).toBe(jwt);
    expect(decodeQrPayload(jwt + '\n')).toBe(jwt);
  });
  it('still reads version 1 payloads (CRADLE1:, no dictionary)', async () => {
    const jwt = await signedBirthCredential();
    const v1 = QR_PAYLOAD_PREFIX_V1 + base45Encode(new Uint8Array(deflateRawSync(plainFrame(jwt), { level: 9 })));
    expect(decodeQrPayload(v1)).toBe(jwt);
  });
  it('rejects text that is neither a CRADLE payload nor a compact JWS', () => {
    for (const s of ['', 'hello', 'a.b', 'a.b.c.d', 'a..c', 'a.b.c=', 'https://example.com/x.y.z']) {
      expect(codeOf(() => decodeQrPayload(s)), s).toBe('QR_INVALID');
    }
  });
  it('refuses to encode non-canonical base64url (it could not be reproduced exactly)', async () => {
    const jwt = await signedBirthCredential();
    const [h, p] = jwt.split('.') as [string, string, string];
    // 'Zh' decodes to the same byte as 'Zg' but is not canonical.
    expect(codeOf(() => encodeQrPayload(`${h}.${p}.Zh`))).toBe('QR_INVALID');
    expect(codeOf(() => encodeQrPayload(`${h}.${p}`))).toBe('QR_INVALID');
  });
  it('rejects corrupt digits, base45 and a cut frame', async () => {
    const qr = encodeQrPayload(await signedBirthCredential());
    expect(codeOf(() => decodeQrPayload(qr + 'a'))).toBe('QR_INVALID'); // lower case is not base45
    expect(codeOf(() => decodeQrPayload(QR_PAYLOAD_PREFIX + 'abc'))).toBe('QR_INVALID');
    expect(codeOf(() => decodeQrPayload(QR_PAYLOAD_PREFIX + base45Encode(Uint8Array.of(0xff, 0xff, 0xff))))).toBe('QR_INVALID');
    expect(codeOf(() => decodeQrPayload(qr.slice(0, qr.length - 30)))).toBe('QR_INVALID');
  });
  it('rejects CRADLE2 frames with bad lengths or no signature', () => {
    const frame = (bytes: number[]): string => QR_PAYLOAD_PREFIX_V2 + base45Encode(new Uint8Array(deflateRawSync(Uint8Array.from(bytes))));
    expect(codeOf(() => decodeQrPayload(frame([0, 1, 65, 66])))).toBe('QR_INVALID'); // empty header
    expect(codeOf(() => decodeQrPayload(frame([1, 65, 1, 66])))).toBe('QR_INVALID'); // no signature
    expect(codeOf(() => decodeQrPayload(frame([9, 65, 1, 66, 67])))).toBe('QR_INVALID'); // header overruns
    expect(codeOf(() => decodeQrPayload(frame([0x81, 0x00, 65, 1, 66, 67])))).toBe('QR_INVALID'); // non-minimal varint
    expect(decodeQrPayload(frame([1, 65, 1, 66, 67]))).toBe('QQ.Qg.Qw');
  });
  it('bounds decompression (a DEFLATE bomb fails with DECOMPRESSION_LIMIT, in every version that inflates)', () => {
    const bomb = new Uint8Array(deflateRawSync(new Uint8Array(50 * 1024 * 1024), { level: 9 }));
    for (const text of [QR_PAYLOAD_PREFIX_V2 + base45Encode(bomb), QR_PAYLOAD_PREFIX_V3 + base45Encode(Uint8Array.from([0, ...bomb])), QR_PAYLOAD_PREFIX_V4 + decimalEncode(Uint8Array.from([0, ...bomb]))]) {
      expect(text.length).toBeLessThan(160_000);
      expect(codeOf(() => decodeQrPayload(text))).toBe('DECOMPRESSION_LIMIT');
    }
  });
  it('refuses a CRADLE5: body longer than the token limit before decoding it (TOO_LARGE), and reads a body at the limit from a few bytes without more than a QR error', () => {
    const frame = (length: number, coded: number[]) => QR_PAYLOAD_PREFIX + decimalEncode(Uint8Array.from([0, ...new ByteWriter().varint(length).finish(), ...coded]));
    expect(codeOf(() => decodeQrPayload(frame(64 * 1024 + 1, [1, 2, 3])))).toBe('TOO_LARGE');
    expect(codeOf(() => decodeQrPayload(frame(2_000_000, [])))).toBe('TOO_LARGE');
    expect(codeOf(() => decodeQrPayload(frame(4096, [1, 2, 3]), { maxBytes: 4095 }))).toBe('TOO_LARGE');
    // Whatever body a few bytes decode to, it is refused as a frame, not thrown as something else.
    expect(codeOf(() => decodeQrPayload(frame(64 * 1024, [1, 2, 3])))).toMatch(/^(QR_INVALID|TOO_LARGE)$/);
  });
  it('bounds the input size before decoding (TOO_LARGE)', async () => {
    expect(codeOf(() => decodeQrPayload(QR_PAYLOAD_PREFIX + '0'.repeat(200_000)))).toBe('TOO_LARGE');
    const jwt = await signedBirthCredential();
    expect(codeOf(() => decodeQrPayload(jwt, { maxBytes: 100 }))).toBe('TOO_LARGE');
    expect(codeOf(() => decodeQrPayload(encodeQrPayload(jwt), { maxBytes: 500 }))).toMatch(/TOO_LARGE|DECOMPRESSION_LIMIT/);
  });

  it('round-trips a checkpoint presentation with enveloped credentials, lifting them out as raw bytes', async () => {
    const vp = await signedCheckpointPresentation();
    const qr = encodeQrPayload(vp);
    expect(qr).toMatch(QR_ALPHANUMERIC);
    expect(decodeQrPayload(qr)).toBe(vp);
    const d = decodeJws(decodeQrPayload(qr), { expectedTyp: TYP_VP_JWT });
    expect(nodeVerify(null, d.signingInput, guardianKeys.publicKey, d.signature)).toBe(true);
    // The embedded credentials come back intact and still verify too.
    const embedded = (d.payload.verifiableCredential as { id: string }[]).map((c) => c.id.slice('data:application/vc+jwt,'.length));
    for (const jwt of embedded) {
      const e = decodeJws(jwt, { expectedTyp: TYP_VC_JWT });
      expect(nodeVerify(null, e.signingInput, registrarKeys.publicKey, e.signature)).toBe(true);
    }
    console.info(`checkpoint presentation: JWS ${vp.length} bytes; QR payload ${qr.length} chars`);
    // Fits a version 40 QR code at error correction M (3391 alphanumeric characters) with room to spare.
    expect(qr.length).toBeLessThan(2_600);
  });
  it('keeps payloads with their own 0x00 bytes or non-canonical embedded tokens exact', async () => {
    const sign = (d: Uint8Array): Uint8Array => new Uint8Array(64).fill(d.length & 255);
    const embeddedLike = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.' + 'A'.repeat(85) + 'B'; // last char: non-canonical bits
    for (const payload of [{ nul: 'a\u0000b', x: 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.' + 'A'.repeat(86) }, { x: embeddedLike }, { x: 'aaaaaaaa.bbbbbbbb.' + 'c'.repeat(20) }]) {
      const jws = await signJws({ alg: 'EdDSA', typ: 'vp+jwt' }, payload, sign);
      expect(decodeQrPayload(encodeQrPayload(jws))).toBe(jws);
    }
    // A raw 0x00 byte in the payload (not valid JSON, but the codec is structural) disables lifting.
    const raw = new Uint8Array([...new TextEncoder().encode('{"x":"eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.' + 'A'.repeat(86) + '"'), 0, 0x7d]);
    const token = `eyJhbGciOiJFZERTQSJ9.${Buffer.from(raw).toString('base64url')}.${'A'.repeat(86)}`;
    expect(decodeQrPayload(encodeQrPayload(token))).toBe(token);
  });
  it('rejects nested CRADLE2 frames whose placeholders and embedded tokens disagree', () => {
    const frame = (bytes: number[]): string => QR_PAYLOAD_PREFIX_V2 + base45Encode(new Uint8Array(deflateRawSync(Uint8Array.from(bytes))));
    const tok = [1, 65, 1, 66, 1, 67]; // one embedded token 'QQ.Qg.Qw'
    // marker, header 'A', template '{', 0x00, '}', 1 token, signature 'S'
    expect(decodeQrPayload(frame([0, 1, 65, 3, 123, 0, 125, 1, ...tok, 83]))).toBe('QQ.' + Buffer.from('{QQ.Qg.Qw}').toString('base64url') + '.Uw');
    expect(codeOf(() => decodeQrPayload(frame([0, 1, 65, 3, 123, 0, 0, 1, ...tok, 83])))).toBe('QR_INVALID'); // 2 placeholders
    expect(codeOf(() => decodeQrPayload(frame([0, 1, 65, 3, 123, 125, 125, 1, ...tok, 83])))).toBe('QR_INVALID'); // none
    expect(codeOf(() => decodeQrPayload(frame([0, 1, 65, 3, 123, 0, 125, 0, 83])))).toBe('QR_INVALID'); // count 0
    expect(codeOf(() => decodeQrPayload(frame([0, 1, 65, 3, 123, 0, 125, 17, ...tok, 83])))).toBe('QR_INVALID'); // too many
    expect(codeOf(() => decodeQrPayload(frame([0, 1, 65, 3, 123, 0, 125, 1, ...tok])))).toBe('QR_INVALID'); // no signature
  });
  it('encodes payloads with long base64url strings in linear time (no regex backtracking blow-up)', async () => {
    // Compare 8x more input against the time it takes: linear code takes ~8x, quadratic ~64x. A ratio
    // stays meaningful on a loaded CI machine, where absolute times do not.
    const sign = (): Uint8Array => new Uint8Array(64);
    const make = (n: number) => signJws({ alg: 'EdDSA', typ: 'vc+jwt' }, { photo: 'A'.repeat(n), dots: 'xxxxxxxxxx.'.repeat(n / 30) }, sign);
    const small = await make(6_000);
    const large = await make(48_000);
    // CPU time of this process (not wall time: on a loaded machine a longer run is preempted more often,
    // which inflates wall-time ratios), the fastest of 7 runs.
    const time = (jws: string): number => {
      const runs = Array.from({ length: 7 }, () => {
        const t0 = process.cpuUsage();
        encodeQrPayload(jws);
        const d = process.cpuUsage(t0);
        return (d.user + d.system) / 1000;
      });
      return Math.min(...runs);
    };
    // Warm both sizes first: the first large run compiles paths the small one never takes (DEFLATE's
    // window sliding past 32 KiB), which is start-up cost, not growth.
    time(small);
    time(large);
    const ratio = time(large) / Math.max(time(small), 0.5);
    expect(ratio).toBeLessThan(32);
    expect(decodeQrPayload(encodeQrPayload(large), { maxBytes: 256 * 1024 })).toBe(large);
  });
});

/** A version 1/2 plain frame (no lifting): `field header ‖ field payload ‖ signature`. */
function plainFrame(jws: string): Uint8Array {
  const [h, p, sig] = jws.split('.').map((x) => base64UrlDecode(x, 'QR_INVALID')) as [Uint8Array, Uint8Array, Uint8Array];
  return new ByteWriter().field(h).field(p).raw(sig).finish();
}

describe('QR payload version 3: hostile frames', () => {
  /** A CRADLE3 payload from a signature block and a body (DEFLATEd with the v3 dictionary). */
  const v3 = (signatures: number[], body: number[]): string =>
    QR_PAYLOAD_PREFIX_V3 + base45Encode(new Uint8Array([signatures.length, ...signatures, ...deflateRawSync(Uint8Array.from(body), { dictionary: QR_DICTIONARY_V3 })]));
  // One token: raw header 'A', JSON payload shape {"k":<string>}, signature length 1; then the value 'v'.
  const shape = [...Buffer.from('{"k":'), 1, 0x7d];
  const good = [1, 0, 1, 65, 1, shape.length, ...shape, 1, 8 + 1, 118];

  it('a well-formed hand-built frame decodes to the token it describes', () => {
    expect(decodeQrPayload(v3([83], good))).toBe(`QQ.${Buffer.from('{"k":"v"}').toString('base64url')}.Uw`);
  });
  it('refuses a token count of 0 or over 17, an unknown segment kind, a missing value, and trailing bytes', () => {
    expect(codeOf(() => decodeQrPayload(v3([83], [0])))).toBe('QR_INVALID');
    expect(codeOf(() => decodeQrPayload(v3([83], [18])))).toBe('QR_INVALID');
    expect(codeOf(() => decodeQrPayload(v3([83], [1, 7, 1, 65])))).toBe('QR_INVALID');
    expect(codeOf(() => decodeQrPayload(v3([83], good.slice(0, -2))))).toBe('QR_INVALID');
    expect(codeOf(() => decodeQrPayload(v3([83], [...good, 9])))).toBe('QR_INVALID');
  });
  it('refuses a repeat of a value never given, and a signature block that does not match the lengths', () => {
    expect(codeOf(() => decodeQrPayload(v3([83], [...good.slice(0, -2), 3])))).toBe('QR_INVALID');
    expect(codeOf(() => decodeQrPayload(v3([83, 84], good)))).toBe('QR_INVALID');
    expect(codeOf(() => decodeQrPayload(v3([], good)))).toBe('QR_INVALID');
  });
  it('refuses embedded-token markers that do not match the tokens (too many, too few, pointing back)', () => {
    const marker = [0, 1, 65, 1, shape.length, ...shape, 1];
    const inner = [0, 1, 66, 0, 1, 67, 1];
    // Token 0 holds one marker for token 1: fine.
    expect(decodeQrPayload(v3([83, 84], [2, ...marker, ...inner, 8 + 1, 0]))).toBe(`QQ.${Buffer.from('{"k":"Qg.Qw.VA"}').toString('base64url')}.Uw`);
    expect(codeOf(() => decodeQrPayload(v3([83, 84], [2, ...marker, ...inner, 8 + 2, 0, 0])))).toBe('QR_INVALID'); // two markers
    expect(codeOf(() => decodeQrPayload(v3([83, 84], [2, ...marker, ...inner, 8 + 1, 118])))).toBe('QR_INVALID'); // none
    // Token 1 whose own payload points at token 1 (itself) or back to 0.
    const selfRef = [2, ...marker, 0, 1, 66, 1, shape.length, ...shape, 1, 8 + 1, 0, 8 + 1, 0];
    expect(codeOf(() => decodeQrPayload(v3([83, 84], selfRef)))).toBe('QR_INVALID');
  });
  it('bounds what repeated values rebuild (TOO_LARGE), however small the frame', () => {
    const big = 'x'.repeat(1000);
    const many = [...Buffer.from('{"k":['), ...Array.from({ length: 200 }, (_, i) => (i === 0 ? [1] : [0x2c, 1])).flat(), 0x5d, 0x7d];
    const values = [...new ByteWriter().varint(big.length + 8).finish(), ...Buffer.from(big), ...Array.from({ length: 199 }, () => 0)];
    const body = [1, 0, 1, 65, 1, ...new ByteWriter().varint(many.length).finish(), ...many, 1, ...values];
    expect(codeOf(() => decodeQrPayload(v3([83], body), { maxBytes: 64 * 1024 }))).toBe('TOO_LARGE');
  });
});

describe.each([
  {
    version: 4,
    /** A CRADLE4 payload from a tail (signatures, then atom data) and a body (DEFLATEd with the v4 dictionary). */
    v4: (tail: number[], body: number[]): string =>
      QR_PAYLOAD_PREFIX_V4 + decimalEncode(new Uint8Array([...new ByteWriter().varint(tail.length).finish(), ...tail, ...deflateRawSync(Uint8Array.from(body), { dictionary: QR_DICTIONARY_V4 })])),
  },
  {
    version: 5,
    /** A CRADLE5 payload: the same tail, the body's length and the body through the primed context coder. */
    v4: (tail: number[], body: number[]): string =>
      QR_PAYLOAD_PREFIX +
      decimalEncode(
        new Uint8Array([
          ...new ByteWriter().varint(tail.length).finish(),
          ...tail,
          ...new ByteWriter().varint(body.length).finish(),
          ...contextEncode(Uint8Array.from(body), QR_DICTIONARY_V4),
        ]),
      ),
  },
])('QR payload version $version: hostile frames', ({ v4 }) => {
  // One token: raw header 'A', JSON payload shape {"k":<string>}, signature length 1; then the value,
  // closed by its quote.
  const shape = [...Buffer.from('{"k":'), 1, 0x7d];
  const token = (value: number[]) => [1, 0, 1, 65, 1, shape.length, ...shape, 1, ...value, 0x22];
  const hex8 = [1, 2, 3, 4, 5, 6, 7, 8];
  const decoded = (value: string) => `QQ.${Buffer.from(`{"k":"${value}"}`).toString('base64url')}.Uw`;

  it('a hand-built frame with a hex atom, then its repeat, decodes to the text they stand for', () => {
    expect(decodeQrPayload(v4([83, ...hex8], token([0x61, ATOM_HEX, 0, 8, 0x2f, ATOM_HEX, 1])))).toBe(decoded('a0102030405060708/0102030405060708'));
  });
  it('takes an escaped quote as part of the value, and refuses a value with no closing quote', () => {
    expect(decodeQrPayload(v4([83], token([0x61, 0x5c, 0x22, 0x62])))).toBe(decoded('a\\"b'));
    expect(codeOf(() => decodeQrPayload(v4([83], token([0x61]).slice(0, -1))))).toBe('QR_INVALID');
  });
  it('refuses atom data left over or missing, and an atom repeat never given', () => {
    expect(codeOf(() => decodeQrPayload(v4([83, ...hex8, 9], token([ATOM_HEX, 0, 8]))))).toBe('QR_INVALID');
    expect(codeOf(() => decodeQrPayload(v4([83, 1, 2], token([ATOM_HEX, 0, 8]))))).toBe('QR_INVALID');
    expect(codeOf(() => decodeQrPayload(v4([83], token([ATOM_HEX, 2]))))).toBe('QR_INVALID');
  });
  it('refuses value codes that point at nothing: a repeat, "same as before", a part of a value without #, an extension', () => {
    const only = (code: number[]) => v4([83], [1, 0, 1, 65, 1, shape.length, ...shape, 1, ...code]);
    for (const code of [[0x01], [0x0f, 3], [0x0c], [0x0d, 0], [0x0e, 0], [0x0b, 0, 0x61, 0x22]]) {
      expect(codeOf(() => decodeQrPayload(only(code))), String(code)).toBe('QR_INVALID');
    }
  });
  it('bounds what atoms rebuild (TOO_LARGE): a few bytes of references cannot expand without limit', () => {
    const repeats = Array.from({ length: 400 }, () => [ATOM_HEX, 1]).flat();
    const big = Array.from({ length: 255 }, (_, i) => i);
    expect(codeOf(() => decodeQrPayload(v4([83, ...big], token([ATOM_HEX, 0, 0xff, 0x01, ...repeats])), { maxBytes: 64 * 1024 }))).toBe('TOO_LARGE');
  });
});

describe.each([
  { version: 4, prefix: QR_PAYLOAD_PREFIX_V4, encode: cradle4 },
  { version: 5, prefix: QR_PAYLOAD_PREFIX, encode: encodeQrPayload },
])('QR payload version $version: damaged frames', ({ prefix, encode }) => {
  it('a frame with any byte changed decodes to some token or is refused with a QR code, never another error', async () => {
    const frame = decimalDecode(encode(await signedPresentationWithAlertEntry()).slice(prefix.length), 'QR_INVALID');
    // A fixed-seed generator: the same 400 damaged frames on every run.
    let seed = 0x2545f491;
    const next = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0);
    const codes = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const damaged = Uint8Array.from(frame);
      for (let k = 0; k <= (i % 3); k++) damaged[next() % damaged.length] = next() & 255;
      try {
        decodeQrPayload(prefix + decimalEncode(damaged));
      } catch (e) {
        expect(e, String(e)).toBeInstanceOf(CradleError);
        codes.add((e as CradleError).code);
      }
    }
    expect([...codes].every((c) => ['QR_INVALID', 'TOO_LARGE', 'DECOMPRESSION_LIMIT'].includes(c)), [...codes].join()).toBe(true);
  });
});

describe('QR payload digits (CRADLE4 and CRADLE5, numeric mode)', () => {
  it('round-trips every length of a group and beyond, and gives a digit count only one byte length has', () => {
    for (let n = 0; n <= 50; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      const digits = decimalEncode(bytes);
      expect(digits).toMatch(/^[0-9]*$/);
      expect(Buffer.from(decimalDecode(digits, 'QR_INVALID')).equals(Buffer.from(bytes))).toBe(true);
      expect(Buffer.from(decimalDecode(decimalEncode(new Uint8Array(n).fill(255)), 'QR_INVALID')).equals(Buffer.from(new Uint8Array(n).fill(255)))).toBe(true);
    }
    // Every byte value, in every position of a group (each hex digit pair is read back by hand).
    const every = Uint8Array.from({ length: 256 * 3 }, (_, i) => (i * 101) & 255);
    expect(Buffer.from(decimalDecode(decimalEncode(every), 'QR_INVALID')).equals(Buffer.from(every))).toBe(true);
  });
  it('refuses other characters, impossible digit counts, and a group over its bytes (one encoding per byte string)', () => {
    expect(codeOf(() => decimalDecode('12a', 'QR_INVALID'))).toBe('QR_INVALID');
    expect(codeOf(() => decimalDecode('1234', 'QR_INVALID'))).toBe('QR_INVALID'); // 3 digits = 1 byte, 5 = 2: 4 is neither
    expect(codeOf(() => decimalDecode('256', 'QR_INVALID'))).toBe('QR_INVALID'); // one byte holds 0..255
    expect([...decimalDecode('255', 'QR_INVALID')]).toEqual([255]);
  });
  it('is drawn as an alphanumeric prefix and a numeric run; older payloads stay alphanumeric, a bare JWS byte mode', () => {
    expect(qrPayloadSegments('CRADLE5:0123')).toEqual([{ data: 'CRADLE5:', mode: 'alphanumeric' }, { data: '0123', mode: 'numeric' }]);
    expect(qrPayloadSegments('CRADLE4:0123')).toEqual([{ data: 'CRADLE4:', mode: 'alphanumeric' }, { data: '0123', mode: 'numeric' }]);
    expect(qrPayloadSegments(LEGACY_CRADLE3_PRESENTATION_QR)).toEqual([{ data: LEGACY_CRADLE3_PRESENTATION_QR, mode: 'alphanumeric' }]);
    expect(qrPayloadSegments('eyJh.eyJ.abc')).toEqual([{ data: new TextEncoder().encode('eyJh.eyJ.abc'), mode: 'byte' }]);
  });
});
