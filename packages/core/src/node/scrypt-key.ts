/// <reference types="node" />
// The one secret -> key derivation (scrypt) of Cradle's Node packages: the registrar's and the wallet's
// key-encryption keys (Veramo SecretBox) and both encrypted backups. Node's native scrypt; the same
// bytes as any RFC 7914 implementation, so records written with @noble/hashes' scrypt still open.
import { scrypt } from 'node:crypto';
import { CradleError } from '../errors.js';

/** scrypt cost parameters (RFC 7914). */
export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** Largest cost accepted from a stored record (2^20: 1 GiB with r = 8), so a tampered file cannot exhaust memory. */
export const SCRYPT_MAX_N = 2 ** 20;

/** True for parameters a stored record may carry: N a power of two up to {@link SCRYPT_MAX_N}, r 1-32, p 1-16. */
export function isSupportedScryptParams(params: unknown): params is ScryptParams {
  if (typeof params !== 'object' || params === null) return false;
  const { N, r, p } = params as Record<string, unknown>;
  const int = (v: unknown, lo: number, hi: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= lo && v <= hi;
  return int(N, 2, SCRYPT_MAX_N) && (N & (N - 1)) === 0 && int(r, 1, 32) && int(p, 1, 16);
}

/**
 * Derive `length` bytes from a secret or passphrase with scrypt (the secret as UTF-8). Throws
 * `CONFIG_INVALID` for parameters outside {@link isSupportedScryptParams}.
 *
 * @example
 * ```ts
 * const key = await scryptKey(process.env.CRADLE_SECRET!, salt, { N: 2 ** 15, r: 8, p: 1 });
 * const box = new SecretBox(Buffer.from(key).toString('hex'));
 * ```
 */
export function scryptKey(secret: string, salt: Uint8Array, params: ScryptParams, length = 32): Promise<Uint8Array> {
  if (!isSupportedScryptParams(params)) throw new CradleError('CONFIG_INVALID', 'Unsupported scrypt parameters (N must be a power of two up to 2^20, r 1-32, p 1-16).');
  // Node refuses anything over `maxmem` (32 MiB by default): scrypt needs 128 * N * r bytes, plus headroom.
  const maxmem = 128 * params.N * params.r * 2 + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, length, { N: params.N, r: params.r, p: params.p, maxmem }, (e, key) => (e === null ? resolve(new Uint8Array(key)) : reject(e)));
  });
}
