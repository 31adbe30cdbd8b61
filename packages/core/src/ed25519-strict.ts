/**
 * One strict rule set for Ed25519 keys and signatures, applied by every verifier in the project
 * (node:crypto, WebCrypto, @noble/curves) before its own check, so that they all give the same answer.
 *
 * Implementations disagree on edge cases ("Taming the many EdDSAs", Chalkias, Garillot, Nikolaenko,
 * SSR 2020): OpenSSL (Node) accepts the all-zero-S signature of a small-order public key, which would let
 * anyone present for a child whose guardianship names such a key. The rule here is libsodium's: refuse a
 * public key A or a commitment R that is not a canonical encoding or is of small order, refuse S >= L;
 * then verify with the cofactorless equation.
 */
import { ed25519 } from '@noble/curves/ed25519';

/** The order of the Ed25519 base point. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
/**
 * The y-coordinates of the eight points of small order (the torsion subgroup), as 32 little-endian
 * bytes: 0 (the two points of order 4), 1 (the identity), p - 1 (the point of order 2), and the two y
 * values of the four points of order 8. A point is of small order exactly when its y is one of these
 * (ed25519-strict.test.ts derives them from @noble/curves).
 */
const SMALL_ORDER_Y: readonly Uint8Array[] = [
  0n,
  1n,
  2n ** 255n - 20n,
  0x5fc536d880238b13933c6d305acdfd5f098eff289f4c345b027b2c28f95e826n,
  0x7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7n,
].map(littleEndian32);
/** The field prime p = 2^255 - 19 and the group order L, as 32 little-endian bytes. */
const P_BYTES = littleEndian32(2n ** 255n - 19n);
const L_BYTES = littleEndian32(L);
/** Public-key verdicts already computed (a verifier sees the same few registrar and guardian keys again and again). */
const keyVerdicts = new Map<string, boolean>();
const MAX_KEY_VERDICTS = 4096;

/** Decode a point strictly (canonical y < p, no "negative zero" x), or undefined. */
function strictPoint(bytes: Uint8Array): InstanceType<typeof ed25519.ExtendedPoint> | undefined {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) return undefined;
  try {
    return ed25519.ExtendedPoint.fromHex(bytes, false);
  } catch {
    return undefined;
  }
}

/**
 * True when `publicKey` is an Ed25519 public key Cradle accepts anywhere: 32 bytes, a canonical
 * encoding of a curve point, and not of small order (the identity and the other 7 torsion points, in
 * any encoding, are refused). Never throws.
 *
 * @example
 * ```ts
 * isStrictEd25519PublicKey(ed25519.getPublicKey(secret)) // true
 * isStrictEd25519PublicKey(new Uint8Array(32).fill(0).with(0, 1)) // false: the identity point
 * ```
 */
export function isStrictEd25519PublicKey(publicKey: Uint8Array): boolean {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return false;
  // Decoding a point costs a square root in bigint arithmetic (more than OpenSSL's whole verify): once per key.
  const id = String.fromCharCode(...publicKey);
  let verdict = keyVerdicts.get(id);
  if (verdict === undefined) {
    const point = strictPoint(publicKey);
    verdict = point !== undefined && !point.isSmallOrder();
    if (keyVerdicts.size >= MAX_KEY_VERDICTS) keyVerdicts.clear();
    keyVerdicts.set(id, verdict);
  }
  return verdict;
}

/**
 * The pre-checks of a strict Ed25519 verification: a strict public key ({@link isStrictEd25519PublicKey}),
 * a 64-byte signature whose R is canonical and not of small order, and whose S is below the group order
 * L. A signature that passes still has to verify (cofactorless); one that fails is invalid whatever a
 * library says. Never throws.
 *
 * @example
 * ```ts
 * if (!ed25519StrictPrecheck(signature, publicKey)) return false;
 * return nodeVerify(null, data, key, signature);
 * ```
 */
export function ed25519StrictPrecheck(signature: Uint8Array, publicKey: Uint8Array): boolean {
  return isStrictEd25519PublicKey(publicKey) && isStrictEd25519Signature(signature);
}

/**
 * The signature half of {@link ed25519StrictPrecheck}, for a caller that already judged the public key with
 * {@link isStrictEd25519PublicKey} (once per key): 64 bytes, R canonical and not of small order, S below L.
 * Never throws.
 *
 * @example
 * ```ts
 * const keyOk = isStrictEd25519PublicKey(publicKey); // once, when the key is imported
 * if (!keyOk || !isStrictEd25519Signature(signature)) return false;
 * ```
 */
export function isStrictEd25519Signature(signature: Uint8Array): boolean {
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  if (!lessThan(signature, 32, 0xff, L_BYTES)) return false;
  // R from its bytes alone: a canonical y (< p) that is not the y of a small-order point. This refuses
  // every non-canonical or small-order encoding (the "negative zero" x = 0 only exists for y = 1 or
  // p - 1). Whether R is on the curve at all is left to the equation: it holds for no such R (OpenSSL and
  // WebCrypto compare R's bytes with the encoding of a computed point; the pure-JS path decodes R).
  if (!lessThan(signature, 0, 0x7f, P_BYTES)) return false;
  return !SMALL_ORDER_Y.some((y) => sameY(signature, y));
}

/** True when the 32 little-endian bytes at `bytes[at]` (top byte masked with `topMask`) are below `limit`. */
function lessThan(bytes: Uint8Array, at: number, topMask: number, limit: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    const b = i === 31 ? bytes[at + i]! & topMask : bytes[at + i]!;
    if (b !== limit[i]) return b < limit[i]!;
  }
  return false;
}

/** True when the y of the point encoding at `bytes[0..32)` (sign bit ignored) equals `y`. */
function sameY(bytes: Uint8Array, y: Uint8Array): boolean {
  if (bytes[0] !== y[0] || (bytes[31]! & 0x7f) !== y[31]) return false;
  for (let i = 1; i < 31; i++) if (bytes[i] !== y[i]) return false;
  return true;
}

function littleEndian32(n: bigint): Uint8Array {
  return Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
}

function bytesToNumberLE(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

/**
 * Strict Ed25519 verification in pure JS: {@link ed25519StrictPrecheck}, then the cofactorless equation
 * `[S]B = R + [k]A` with `k = SHA-512(R || A || M) mod L` (what OpenSSL and WebCrypto compute; @noble's own
 * `verify` uses the cofactored equation, which accepts more). Never throws.
 *
 * @example
 * ```ts
 * ed25519VerifyStrict(signature, message, publicKey) // true or false
 * ```
 */
export function ed25519VerifyStrict(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    if (!ed25519StrictPrecheck(signature, publicKey) || !(message instanceof Uint8Array)) return false;
    const A = ed25519.ExtendedPoint.fromHex(publicKey, false);
    const R = ed25519.ExtendedPoint.fromHex(signature.subarray(0, 32), false);
    const S = bytesToNumberLE(signature.subarray(32));
    const input = new Uint8Array(64 + message.length);
    input.set(signature.subarray(0, 32));
    input.set(publicKey, 32);
    input.set(message, 64);
    const k = bytesToNumberLE(ed25519.CURVE.hash(input)) % L;
    return ed25519.ExtendedPoint.BASE.multiplyUnsafe(S).equals(R.add(A.multiplyUnsafe(k)));
  } catch {
    return false;
  }
}
