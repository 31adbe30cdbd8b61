import { CradleError, clockOption } from '@cradle/core';
import type { Clock } from '@cradle/core';
import type { SignatureVerifier } from './signature-verifier.js';
import { webCryptoSignatureVerifier } from './signature-verifier.js';
import type { VerifierStore } from './store.js';
import type { KeyResolver, VerificationContext } from './verification-context.js';
import { loadVerificationContext } from './verification-context.js';

/** Default limit on the age of status data that may answer `valid` (one day). */
export const DEFAULT_MAX_STATUS_AGE = 86_400;
/** Default allowed clock difference in seconds. */
export const DEFAULT_CLOCK_SKEW = 300;

/** Options every verification takes. */
export interface VerifyOptions {
  /** The checkpoint's synced data. */
  readonly store: VerifierStore;
  /**
   * The clock (`() => ms since the epoch`, Cradle's one convention); default `Date.now`. A `Date` or a
   * number of milliseconds is still accepted (the earlier shape; deprecated).
   */
  readonly now?: Clock | Date | number;
  /** Seconds; default: the store's checkpoint config, else one day. */
  readonly maxStatusAge?: number;
  /** Seconds of allowed clock difference; default: the store's config, else 300. */
  readonly clockSkew?: number;
  /** Signature backend; default WebCrypto with a pure-JS fallback. Node: `nodeSignatureVerifier`. */
  readonly signatureVerifier?: SignatureVerifier;
  /** Extra key source consulted before the store (e.g. `staticKeyResolver`). */
  readonly keyResolver?: KeyResolver;
  /**
   * Policy: a registrar credential must carry a revocation entry (a `BitstringStatusListEntry` with
   * `statusPurpose: "revocation"`), else it is refused with `STATUS_MISSING`: it could never be revoked.
   * Default: the store's checkpoint config (`requireRevocationEntry`), else `true`. Pass `false` only for
   * a deliberate policy that accepts credentials their registrar can never revoke.
   */
  readonly requireRevocationEntry?: boolean;
}

/** Resolved environment of one verification. */
export interface VerifyEnv {
  readonly ctx: VerificationContext;
  readonly keysOf: KeyResolver;
  readonly now: number;
  readonly nowDate: Date;
  readonly maxStatusAge: number;
  readonly clockSkew: number;
  readonly verifier: SignatureVerifier;
  readonly requireRevocationEntry: boolean;
}

function seconds(name: string, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new CradleError('INVALID_ARGUMENT', `${name} must be a non-negative number of seconds`);
  }
  return v;
}

/** Check options (caller mistakes throw) and load the store snapshot. */
export async function resolveEnv(opts: VerifyOptions): Promise<VerifyEnv> {
  if (opts === undefined || opts === null || typeof opts.store?.load !== 'function') {
    throw new CradleError('INVALID_ARGUMENT', 'verification needs { store }: the checkpoint store to verify against');
  }
  const ctx = await loadVerificationContext(opts.store);
  const nowMs = clockOption('now', opts.now)();
  const extra = opts.keyResolver;
  const requireRevocationEntry = opts.requireRevocationEntry ?? ctx.state.config?.requireRevocationEntry ?? true;
  if (typeof requireRevocationEntry !== 'boolean') throw new CradleError('INVALID_ARGUMENT', 'requireRevocationEntry must be true or false');
  return {
    ctx,
    keysOf: extra === undefined ? ctx.keysOf : (did) => extra(did) ?? ctx.keysOf(did),
    now: Math.floor(nowMs / 1000),
    nowDate: new Date(nowMs),
    maxStatusAge: seconds('maxStatusAge', opts.maxStatusAge) ?? ctx.state.config?.maxStatusAge ?? DEFAULT_MAX_STATUS_AGE,
    clockSkew: seconds('clockSkew', opts.clockSkew) ?? ctx.state.config?.clockSkew ?? DEFAULT_CLOCK_SKEW,
    verifier: opts.signatureVerifier ?? webCryptoSignatureVerifier,
    requireRevocationEntry,
  };
}
