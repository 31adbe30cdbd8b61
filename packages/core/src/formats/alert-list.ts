// The child-protection alert list (issue #14 item 3): the one module that builds and reads it.
//
// An alert list is a W3C Bitstring Status List with `statusPurpose: "message"` and `statusSize: 2`,
// signed by the registrar like any status list (a `vc+jwt` BitstringStatusListCredential), then
// ENCRYPTED to the checkpoints' alert keys as a General JSON JWE. Only that ciphertext is published and
// anchored (its sha256), so a holder, a trafficker holding the child's papers, or anyone reading the
// ledger sees the same opaque, fixed-size blob whether or not any child is flagged. docs/privacy.md
// ("Child-protection alerts") explains the design and its limits.
import { calculateJwkThumbprint, exportJWK, generalDecrypt, GeneralEncrypt, generateKeyPair, importJWK } from 'jose';
import type { GeneralJWE, JWK } from 'jose';
import { base64UrlDecode, utf8Decode, utf8Encode } from '../base64url.js';
import { CradleError } from '../errors.js';
import { isRecord } from '../guards.js';

/** Bits per alert entry: 0 none, 1 missing, 2 protection order, 3 verify with authority. */
export const ALERT_STATUS_SIZE = 2;
/** `statusPurpose` of alert lists and alert entries. */
export const ALERT_STATUS_PURPOSE = 'message';
/** The kinds of alert a registrar can raise, in the order of their status values (1, 2, 3). */
export const ALERT_KINDS = ['missing', 'protection-order', 'verify-with-authority'] as const;
/** One of {@link ALERT_KINDS}. */
export type AlertKind = (typeof ALERT_KINDS)[number];
/** The stable code of each raised alert, as reported in a verification result's `alerts`. */
export type AlertCode = 'ALERT_MISSING_CHILD' | 'ALERT_PROTECTION_ORDER' | 'ALERT_VERIFY_WITH_AUTHORITY';
/** Every {@link AlertCode} (the checkpoint app translates each). */
export const ALERT_CODES: readonly AlertCode[] = ['ALERT_MISSING_CHILD', 'ALERT_PROTECTION_ORDER', 'ALERT_VERIFY_WITH_AUTHORITY'];

/** What every alert tells the officer to do, whatever its kind. */
export const ALERT_INSTRUCTION = 'Do not let the child leave. Call the child-protection desk.';

const ALERT_TEXT: Record<AlertKind, { code: AlertCode; reason: string }> = {
  missing: { code: 'ALERT_MISSING_CHILD', reason: 'This child is reported missing.' },
  'protection-order': { code: 'ALERT_PROTECTION_ORDER', reason: 'A protection order covers this child.' },
  'verify-with-authority': { code: 'ALERT_VERIFY_WITH_AUTHORITY', reason: 'The child-protection authority asks to verify this child before travel.' },
};

/**
 * The `statusMessage` of every alert entry (W3C Bitstring Status List: required when `statusSize` > 1).
 * It is the same in every credential, so it says nothing about one child.
 */
export const ALERT_STATUS_MESSAGES: readonly { readonly status: string; readonly message: string }[] = [
  { status: '0x0', message: 'none' },
  ...ALERT_KINDS.map((kind, i) => ({ status: `0x${(i + 1).toString(16)}`, message: kind })),
];

/** `typ` of the encrypted alert list (the protected header of its JWE). */
export const TYP_ALERT_LIST = 'cradle-alert-list+jwe';
/** JWE key management: one ECDH-ES key agreement (fresh ephemeral key) per recipient, wrapping one content key. */
export const ALERT_LIST_KEY_ALG = 'ECDH-ES+A256KW';
/** JWE content encryption. */
export const ALERT_LIST_ENC = 'A256GCM';
/** Largest encrypted alert list accepted, checked before parsing. */
export const MAX_ALERT_LIST_BYTES = 4 * 1024 * 1024;
/** The plaintext is padded to a multiple of this, so the ciphertext length does not tell how many alerts are set. */
export const ALERT_LIST_PADDING_BLOCK = 16 * 1024;
/** Most recipients (checkpoint keys) one alert list is encrypted to. */
export const MAX_ALERT_RECIPIENTS = 64;

/**
 * `<baseUrl>/alerts/<name>`: where a registrar serves an alert list (the URL in every alert entry, and
 * the anchored URI). Alert lists have their own path so that a checkpoint without an alert key knows
 * not to fetch what it could not read.
 */
export function alertListUrl(baseUrl: string, name: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/alerts/${name}`;
}

/** True when `url` is an alert list's URL (see {@link alertListUrl}); never throws. */
export function isAlertListUrl(url: string): boolean {
  return typeof url === 'string' && /^https?:\/\/[^?#]*\/alerts\/[0-9a-f]{32}$/.test(url);
}

/** The status value of an alert kind (1..3); 0 means no alert. */
export function alertValue(kind: AlertKind): number {
  return ALERT_KINDS.indexOf(kind) + 1;
}

/** The alert kind of a status value, or undefined for 0 (none). */
export function alertKindOf(value: number): AlertKind | undefined {
  return value >= 1 && value <= ALERT_KINDS.length ? ALERT_KINDS[value - 1] : undefined;
}

/** True for `missing`, `protection-order` and `verify-with-authority`. */
export function isAlertKind(value: unknown): value is AlertKind {
  return typeof value === 'string' && (ALERT_KINDS as readonly string[]).includes(value);
}

/**
 * What the officer is told for an alert: its code and a sentence that ends with {@link ALERT_INSTRUCTION}.
 *
 * @example
 * ```ts
 * alertNotice('missing') // { code: 'ALERT_MISSING_CHILD', message: 'This child is reported missing. Do not let the child leave. Call the child-protection desk.' }
 * ```
 */
export function alertNotice(kind: AlertKind): { code: AlertCode; message: string } {
  const t = ALERT_TEXT[kind];
  return { code: t.code, message: `${t.reason} ${ALERT_INSTRUCTION}` };
}

/** An alert key as {@link readAlertKey} returns it: a P-256 JWK with `kid` = its RFC 7638 thumbprint. */
export type AlertKeyJwk = JWK & { kid: string };

/** A checkpoint's alert key pair (EC P-256 JWKs): the public one goes to registrars, the private one stays on the checkpoint. */
export interface AlertKeyPair {
  /** The key's id: its RFC 7638 JWK thumbprint (also `kid` in both JWKs). */
  readonly kid: string;
  readonly publicJwk: JWK;
  readonly privateJwk: JWK;
}

/**
 * Generate a checkpoint alert key pair (ECDH on P-256, which every WebCrypto has).
 *
 * @example
 * ```ts
 * const { kid, publicJwk, privateJwk } = await generateAlertKeyPair();
 * ```
 */
export async function generateAlertKeyPair(): Promise<AlertKeyPair> {
  const { publicKey, privateKey } = await generateKeyPair(ALERT_LIST_KEY_ALG, { crv: 'P-256', extractable: true });
  const pub = await exportJWK(publicKey);
  const priv = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(pub);
  return { kid, publicJwk: { ...pub, kid, use: 'enc', alg: ALERT_LIST_KEY_ALG }, privateJwk: { ...priv, kid, use: 'enc', alg: ALERT_LIST_KEY_ALG } };
}

/**
 * Check a JWK given as an alert key (a caller/config mistake throws `CONFIG_INVALID` saying what is
 * wrong) and return its canonical form with `kid` = its thumbprint. `kind` says which half is expected:
 * a registrar is configured with PUBLIC keys only (a private one is refused, so it is never copied to a
 * registrar by mistake); a checkpoint needs the PRIVATE one.
 *
 * @example
 * ```ts
 * const key = await readAlertKey(JSON.parse(text), 'public');
 * ```
 */
export async function readAlertKey(jwk: unknown, kind: 'public' | 'private'): Promise<AlertKeyJwk> {
  const bad = (why: string): never => {
    throw new CradleError('CONFIG_INVALID', `Not a usable ${kind} alert key: ${why}. Generate one with \`cradle checkpoint alert-key\`.`);
  };
  if (!isRecord(jwk)) return bad('it is not a JSON object (a JWK)');
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') return bad('it must be an EC P-256 key (kty "EC", crv "P-256")');
  for (const f of ['x', 'y'] as const) if (typeof jwk[f] !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(jwk[f])) bad(`"${f}" is missing or not a 32-byte base64url value`);
  if (kind === 'public' && jwk.d !== undefined) bad('it holds the private part ("d"): give the registrar the PUBLIC key only');
  if (kind === 'private' && (typeof jwk.d !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(jwk.d))) bad('it has no private part ("d")');
  const pub: JWK = { kty: 'EC', crv: 'P-256', x: jwk.x as string, y: jwk.y as string };
  try {
    // Refuses a point that is not on the curve.
    await importJWK({ ...pub, ...(kind === 'private' ? { d: jwk.d as string } : {}) }, ALERT_LIST_KEY_ALG);
  } catch (e) {
    bad(`it is not a valid P-256 key (${(e as Error).message})`);
  }
  const kid = await calculateJwkThumbprint(pub);
  return { ...pub, ...(kind === 'private' ? { d: jwk.d as string } : {}), kid, use: 'enc', alg: ALERT_LIST_KEY_ALG };
}

/**
 * Encrypt a signed alert list (the compact JWS of its BitstringStatusListCredential) to every
 * recipient key: a General JSON JWE (`ECDH-ES+A256KW` per recipient with a fresh ephemeral key,
 * `A256GCM` content with a fresh content key and IV), plaintext padded to a multiple of
 * {@link ALERT_LIST_PADDING_BLOCK}. Two calls on the same list give unrelated ciphertexts. Returns the
 * JSON text that is published and anchored (its sha256 is the anchored digest).
 *
 * @example
 * ```ts
 * const sealed = await sealAlertList(signedListJws, [checkpointPublicJwk]);
 * ```
 */
export async function sealAlertList(signedList: string, recipients: readonly JWK[]): Promise<string> {
  if (recipients.length === 0) throw new CradleError('CONFIG_INVALID', 'An alert list needs at least one checkpoint alert key to be encrypted to.');
  if (recipients.length > MAX_ALERT_RECIPIENTS) throw new CradleError('CONFIG_INVALID', `At most ${MAX_ALERT_RECIPIENTS} checkpoint alert keys are supported.`);
  const body = JSON.stringify({ list: signedList, padding: '' });
  const padded = Math.ceil((body.length + 1) / ALERT_LIST_PADDING_BLOCK) * ALERT_LIST_PADDING_BLOCK;
  const plaintext = utf8Encode(JSON.stringify({ list: signedList, padding: '0'.repeat(padded - body.length) }));
  const enc = new GeneralEncrypt(plaintext).setProtectedHeader({ enc: ALERT_LIST_ENC, typ: TYP_ALERT_LIST, cty: 'vc+jwt' });
  for (const r of recipients) {
    const key = await readAlertKey(r, 'public');
    enc.addRecipient(await importJWK(key, ALERT_LIST_KEY_ALG)).setUnprotectedHeader({ alg: ALERT_LIST_KEY_ALG, kid: key.kid });
  }
  return JSON.stringify(await enc.encrypt());
}

/** Why {@link openAlertList} could not read an alert list. */
export interface AlertListOpenProblem {
  /** `MALFORMED`: not an alert-list JWE; `ALERT_KEY_MISMATCH`: not encrypted to this key, or altered. */
  readonly code: 'MALFORMED' | 'TOO_LARGE' | 'ALERT_KEY_MISMATCH';
  readonly message: string;
}

/** True when `text` looks like an encrypted alert list (a JSON object), as opposed to a compact JWS. */
export function isSealedAlertList(text: string): boolean {
  return text.trimStart().startsWith('{');
}

/**
 * Decrypt an untrusted alert list with a checkpoint's private alert key. Never throws: returns the
 * signed list (a compact JWS, still to be verified against the registrar's key and the anchor) or a
 * problem. Sizes are bounded before parsing; only `ECDH-ES+A256KW` / `A256GCM` are accepted.
 *
 * @example
 * ```ts
 * const r = await openAlertList(text, privateJwk);
 * if ('list' in r) verifySignedList(r.list);
 * ```
 */
export async function openAlertList(text: string, privateKey: JWK): Promise<{ list: string } | { problem: AlertListOpenProblem }> {
  const fail = (code: AlertListOpenProblem['code'], message: string) => ({ problem: { code, message } });
  if (typeof text !== 'string') return fail('MALFORMED', 'the alert list is not text');
  if (text.length > MAX_ALERT_LIST_BYTES) return fail('TOO_LARGE', `the alert list is ${text.length} bytes, over the ${MAX_ALERT_LIST_BYTES} limit`);
  let jwe: unknown;
  try {
    jwe = JSON.parse(text);
  } catch {
    return fail('MALFORMED', 'the alert list is not JSON');
  }
  if (!isRecord(jwe) || typeof jwe.protected !== 'string' || !Array.isArray(jwe.recipients) || jwe.recipients.length === 0 || jwe.recipients.length > MAX_ALERT_RECIPIENTS) {
    return fail('MALFORMED', 'the alert list is not an encrypted alert list (General JSON JWE)');
  }
  let header: unknown;
  try {
    header = JSON.parse(utf8Decode(base64UrlDecode(jwe.protected)));
  } catch {
    return fail('MALFORMED', 'the alert list has an unreadable protected header');
  }
  if (!isRecord(header) || header.typ !== TYP_ALERT_LIST || header.enc !== ALERT_LIST_ENC) {
    return fail('MALFORMED', `the alert list's header is not typ "${TYP_ALERT_LIST}" with enc "${ALERT_LIST_ENC}"`);
  }
  let key;
  try {
    key = await importJWK(privateKey, ALERT_LIST_KEY_ALG);
  } catch (e) {
    return fail('ALERT_KEY_MISMATCH', `this checkpoint's alert key is unusable (${(e as Error).message})`);
  }
  let plaintext: Uint8Array;
  try {
    ({ plaintext } = await generalDecrypt(jwe as unknown as GeneralJWE, key, {
      keyManagementAlgorithms: [ALERT_LIST_KEY_ALG],
      contentEncryptionAlgorithms: [ALERT_LIST_ENC],
    }));
  } catch {
    return fail('ALERT_KEY_MISMATCH', "the alert list is not encrypted to this checkpoint's alert key (or it was altered)");
  }
  let inner: unknown;
  try {
    inner = JSON.parse(utf8Decode(plaintext));
  } catch {
    return fail('MALFORMED', 'the decrypted alert list is not JSON');
  }
  if (!isRecord(inner) || typeof inner.list !== 'string' || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(inner.list)) {
    return fail('MALFORMED', 'the decrypted alert list does not hold a signed list (compact JWS)');
  }
  return { list: inner.list };
}
