import { createHash, verify as nodeVerify } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { base45Encode } from '../src/base45.js';
import { CradleError } from '../src/errors.js';
import { TYP_VC_JWT, TYP_VP_JWT, decodeJws } from '../src/jose.js';
import { QR_PAYLOAD_PREFIX, QR_PAYLOAD_PREFIX_V1, QR_PAYLOAD_PREFIX_V2, decodeQrPayload, encodeQrPayload } from '../src/qr-payload.js';
import { QR_DICTIONARY_V2, QR_DICTIONARY_V3 } from '../src/qr-dictionary.js';
import { ByteWriter } from '../src/codec/bytes.js';
import { base64UrlDecode } from '../src/base64url.js';
import { buildQrDictionaryV3 } from './fixtures/qr-dictionary-template.js';
import { base45Decode } from '../src/base45.js';
import { signJws } from '../src/jose.js';
import { LEGACY_CRADLE2_JWS, LEGACY_CRADLE2_PRESENTATION_JWS, LEGACY_CRADLE2_PRESENTATION_QR, LEGACY_CRADLE2_QR } from './fixtures/legacy-artefacts.js';
import { guardianKeys, registrarKeys, signedBirthCredential, signedCheckpointPresentation } from './fixtures/credentials.js';

// QR alphanumeric mode: 0-9, A-Z, space and $ % * + - . / :
const QR_ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]*$/;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof CradleError ? e.code : `not a CradleError: ${String(e)}`;
  }
  return undefined;
}

describe('QR payload', () => {
  it('reads CRADLE2: payloads written before version 3 (a credential and a presentation), byte for byte', () => {
    expect(decodeQrPayload(LEGACY_CRADLE2_QR)).toBe(LEGACY_CRADLE2_JWS);
    expect(decodeQrPayload(LEGACY_CRADLE2_PRESENTATION_QR)).toBe(LEGACY_CRADLE2_PRESENTATION_JWS);
  });

  it('writes CRADLE3: payloads that are smaller than CRADLE2: ones (birth credential 10%, presentation 15%)', async () => {
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

  it('keeps the signatures outside DEFLATE, raw, in token order', async () => {
    const vp = await signedCheckpointPresentation();
    const frame = base45Decode(encodeQrPayload(vp).slice(QR_PAYLOAD_PREFIX.length));
    expect(frame[0]).toBe(192); // three 64-byte Ed25519 signatures: varint 192 = 0xc0 0x01
    expect(frame[1]).toBe(1);
    const signatures = Buffer.from(frame.subarray(2, 2 + 192));
    expect(signatures.subarray(0, 64).equals(Buffer.from(base64UrlDecode(vp.split('.')[2]!, 'QR_INVALID')))).toBe(true);
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
  it('is smaller than the JWS in QR bits (5.5 bits/char alphanumeric vs 8 bits/byte)', async () => {
    const jwt = await signedBirthCredential();
    const qr = encodeQrPayload(jwt);
    const qrBits = Math.ceil(qr.length * 5.5);
    console.info(`birth credential: JWS ${jwt.length} bytes (${jwt.length * 8} QR bits in byte mode); QR payload ${qr.length} chars (${qrBits} bits alphanumeric, ${(qrBits / (jwt.length * 8)).toFixed(2)}x)`);
    expect(qrBits).toBeLessThan(jwt.length * 8 * 0.8);
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
  it('rejects corrupt base45 and corrupt DEFLATE', async () => {
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
  it('bounds decompression (a DEFLATE bomb fails with DECOMPRESSION_LIMIT, in every version)', () => {
    const bomb = new Uint8Array(deflateRawSync(new Uint8Array(50 * 1024 * 1024), { level: 9 }));
    for (const text of [QR_PAYLOAD_PREFIX_V2 + base45Encode(bomb), QR_PAYLOAD_PREFIX + base45Encode(Uint8Array.from([0, ...bomb]))]) {
      expect(text.length).toBeLessThan(100_000);
      expect(codeOf(() => decodeQrPayload(text))).toBe('DECOMPRESSION_LIMIT');
    }
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
    QR_PAYLOAD_PREFIX + base45Encode(new Uint8Array([signatures.length, ...signatures, ...deflateRawSync(Uint8Array.from(body), { dictionary: QR_DICTIONARY_V3 })]));
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
