// SD-JWT VC (IETF draft-ietf-oauth-sd-jwt-vc on RFC 9901 SD-JWT): the one module that builds, presents
// and reads Cradle's selectively disclosable credentials. The issuer builds, the wallet presents (chosen
// disclosures + a key-binding JWT), the verifier and OpenID4VC read. Reading never throws.
//
// Choices (docs/formats.md "SD-JWT VC"):
// - `typ` is `dc+sd-jwt` (draft 09 onwards); `vc+sd-jwt` (earlier drafts) is still read.
// - `vct` names the Cradle credential type; `iss` is the registrar's DID and the issuer JWT's `kid` one of
//   its verification methods, so the checkpoint finds the key in the DID document it synced.
// - Always disclosed: `iss`, `sub` (the child's DID, which links birth and guardianship), `vct`, `iat`,
//   `nbf`, `exp`, `cnf`, `status`. Every civil-registration claim is selectively disclosable, one top-level
//   claim per disclosure (SD_JWT_VC_DISCLOSABLE).
// - Status: `status.bitstring_status_list` carries the same W3C BitstringStatusListEntry objects as a
//   vc+jwt credential, so the anchored lists, sync, freshness and herd privacy checkpoints already rely on
//   apply unchanged (a second, IETF Token Status List would need its own anchoring and sync).
// - Holder binding: `cnf.jwk` is the public key of the child's did:key (the wallet holds it); a
//   presentation ends with a `kb+jwt` signed by it over `aud`, `nonce`, `iat` and `sd_hash`.
// The disclosure machinery is written here rather than taken from @sd-jwt/*: the reader must be strict
// (bounded sizes, duplicate JSON members refused, every disclosure referenced exactly once) and never
// throw, and core stays dependency-light for browsers. @sd-jwt/* is the independent implementation the
// tests check against, both ways.
import { sha256 } from '@noble/hashes/sha256';
import { base64UrlDecode, base64UrlEncode, utf8Decode, utf8Encode } from '../base64url.js';
import { parseNumericDate } from '../date-time.js';
import { isDid } from '../did/syntax.js';
import { CradleError, isCradleError } from '../errors.js';
import { isRecord } from '../guards.js';
import { decodeJws, isAllowedAlg, signJws } from '../jose.js';
import type { DecodedJws, JwsAlgorithm } from '../jose.js';
import { parseStrictJson } from '../strict-json.js';
import type { CredentialKind, CredentialView } from './credential.js';
import type { BitstringStatusListEntry } from './credential-types.js';
import { normalizeMediaType } from './media-types.js';

/** `typ` of an SD-JWT VC issuer-signed JWT (draft-ietf-oauth-sd-jwt-vc, since draft 09). */
export const TYP_DC_SD_JWT = 'dc+sd-jwt';
/** `typ` earlier SD-JWT VC drafts used; still read, never written. */
export const TYP_VC_SD_JWT = 'vc+sd-jwt';
/** `typ` of a key-binding JWT (RFC 9901 §4.3). */
export const TYP_KB_JWT = 'kb+jwt';
/** `vct` of a Cradle birth registration in SD-JWT VC form. */
export const VCT_BIRTH_REGISTRATION = 'https://w3id.org/cradle/vct/birth-registration/v1';
/** `vct` of a Cradle guardianship in SD-JWT VC form. */
export const VCT_GUARDIANSHIP = 'https://w3id.org/cradle/vct/guardianship/v1';
/** The member of the `status` claim that carries Cradle's anchored Bitstring Status List entries. */
export const SD_JWT_STATUS_MECHANISM = 'bitstring_status_list';
/** Largest SD-JWT (with disclosures and key binding) read, in characters, before anything is parsed. */
export const SD_JWT_VC_MAX_BYTES = 32 * 1024;
/** Most disclosures one SD-JWT may carry. */
export const SD_JWT_VC_MAX_DISCLOSURES = 64;

/**
 * The claims a Cradle SD-JWT VC makes selectively disclosable, per credential kind (everything else is
 * always disclosed). A guardianship's guardians are one disclosure: the border check needs the complete
 * list (the absent parent's travel consent), so a wallet cannot show one guardian and hide another.
 */
export const SD_JWT_VC_DISCLOSABLE: Readonly<Record<'birth-registration' | 'guardianship', readonly string[]>> = {
  'birth-registration': ['givenName', 'familyName', 'birthDate', 'sex', 'placeOfBirth', 'registrationNumber', 'registrationDate', 'registeringOffice', 'parents'],
  guardianship: ['guardians', 'basis'],
};

// SD-JWT VC §3.2.2.2: claims that must never be selectively disclosed (a verifier needs them to check the
// credential at all), plus the JWT claims Cradle sets itself.
const REGISTERED_CLAIMS = ['iss', 'sub', 'vct', 'vct#integrity', 'iat', 'nbf', 'exp', 'cnf', 'status', 'jti'] as const;
const NEVER_DISCLOSED: ReadonlySet<string> = new Set(['iss', 'nbf', 'exp', 'cnf', 'vct', 'vct#integrity', 'status']);
const SD_ALG = 'sha-256';
const SALT_BYTES = 16;
const ARRAY_ELEMENT = '...';

/** The public part of a key as a JWK (RFC 7517), e.g. `{ kty: 'OKP', crv: 'Ed25519', x }`. */
export type PublicJwk = Readonly<Record<string, unknown>>;

/** What {@link buildSdJwtVc} signs. */
export interface BuildSdJwtVcInput {
  readonly alg: JwsAlgorithm;
  /** The issuer's verification method (a DID URL of `issuer`). */
  readonly kid: string;
  readonly issuer: string;
  readonly vct: string;
  /** The credential's id (`jti`), e.g. `urn:uuid:…`. */
  readonly id?: string;
  /** The subject's DID (the child). */
  readonly subject?: string;
  /** Unix seconds. */
  readonly issuedAt: number;
  readonly notBefore?: number;
  readonly expiresAt?: number;
  /** The holder's public key (`cnf.jwk`): key-binding JWTs must be signed with it. */
  readonly holderKey?: PublicJwk;
  /** Anchored status entries (revocation, suspension). */
  readonly status?: readonly BitstringStatusListEntry[];
  /** The credential's claims (no registered JWT claim names). */
  readonly claims: Readonly<Record<string, unknown>>;
  /** Which top-level claims become disclosures (when present); the rest are signed in the clear. */
  readonly disclosable: readonly string[];
  /** Signs the JWS signing input: 64-byte Ed25519 or raw `r || s` ECDSA signature. */
  readonly sign: (data: Uint8Array) => Promise<Uint8Array> | Uint8Array;
  /** Salt source (tests); default 128 random bits, base64url. */
  readonly salt?: () => string;
}

/**
 * Build and sign an SD-JWT VC: `<issuer-signed JWT>~<disclosure>~…~` (all disclosures, as the holder
 * receives it). Throws `INVALID_ARGUMENT` for caller mistakes (a registered claim among `claims`, or a
 * claim that must stay in the clear made disclosable).
 *
 * @example
 * ```ts
 * const sdJwt = await buildSdJwtVc({ alg: 'EdDSA', kid, issuer, vct: VCT_BIRTH_REGISTRATION, subject: childDid,
 *   issuedAt, holderKey: childJwk, status, claims, disclosable: SD_JWT_VC_DISCLOSABLE['birth-registration'], sign });
 * ```
 */
export async function buildSdJwtVc(input: BuildSdJwtVcInput): Promise<string> {
  if (!isRecord(input.claims)) throw new CradleError('INVALID_ARGUMENT', 'claims must be an object');
  for (const name of Object.keys(input.claims)) {
    if ((REGISTERED_CLAIMS as readonly string[]).includes(name) || name === '_sd' || name === '_sd_alg' || name === ARRAY_ELEMENT) {
      throw new CradleError('INVALID_ARGUMENT', `"${name}" is set by buildSdJwtVc (or reserved by SD-JWT): remove it from claims`);
    }
  }
  for (const name of input.disclosable) {
    if (NEVER_DISCLOSED.has(name)) throw new CradleError('INVALID_ARGUMENT', `"${name}" must stay in the clear in an SD-JWT VC`);
  }
  const salt = input.salt ?? randomSalt;
  const payload: Record<string, unknown> = { iss: input.issuer };
  if (input.subject !== undefined) payload.sub = input.subject;
  payload.vct = input.vct;
  if (input.id !== undefined) payload.jti = input.id;
  payload.iat = input.issuedAt;
  if (input.notBefore !== undefined) payload.nbf = input.notBefore;
  if (input.expiresAt !== undefined) payload.exp = input.expiresAt;
  if (input.holderKey !== undefined) payload.cnf = { jwk: input.holderKey };
  if (input.status !== undefined && input.status.length > 0) payload.status = { [SD_JWT_STATUS_MECHANISM]: input.status };
  const disclosures: string[] = [];
  const digests: string[] = [];
  for (const [name, value] of Object.entries(input.claims)) {
    if (value === undefined) continue;
    if (!input.disclosable.includes(name)) {
      payload[name] = value;
      continue;
    }
    const disclosure = base64UrlEncode(utf8Encode(JSON.stringify([salt(), name, value])));
    disclosures.push(disclosure);
    digests.push(digestOf(disclosure));
  }
  if (digests.length > 0) {
    payload._sd = digests.sort(); // sorted: the order reveals nothing about which claim is which
    payload._sd_alg = SD_ALG;
  }
  const jwt = await signJws({ alg: input.alg, typ: TYP_DC_SD_JWT, kid: input.kid }, payload, input.sign);
  return `${jwt}~${disclosures.map((d) => `${d}~`).join('')}`;
}

/** The key-binding JWT a holder adds to a presentation (RFC 9901 §4.3). */
export interface SdJwtKeyBindingInput {
  readonly alg: JwsAlgorithm;
  /** The verifier (a checkpoint's domain): the KB-JWT's `aud`. */
  readonly audience: string;
  /** The verifier's nonce for this presentation. */
  readonly nonce: string;
  /** Unix seconds. */
  readonly issuedAt: number;
  /** Signs with the private key matching the credential's `cnf.jwk`. */
  readonly sign: (data: Uint8Array) => Promise<Uint8Array> | Uint8Array;
}

/** Options of {@link presentSdJwtVc}. */
export interface PresentSdJwtVcOptions {
  /** The top-level claims to reveal (claims always in the clear may be named too). */
  readonly disclose: readonly string[];
  /** Bind the presentation to a verifier's nonce and audience with the holder's key. */
  readonly keyBinding?: SdJwtKeyBindingInput;
}

/**
 * Make a presentation from a held SD-JWT VC: keep only the disclosures of `disclose` (and those nested
 * inside them), then, with `keyBinding`, append a `kb+jwt` over `aud`, `nonce`, `iat` and `sd_hash`.
 * Throws `INVALID_ARGUMENT` when the held SD-JWT does not read (the wallet should never hold one) or
 * `disclose` names a claim the credential does not have.
 *
 * @example
 * ```ts
 * const presented = await presentSdJwtVc(held, { disclose: ['givenName', 'familyName', 'birthDate'],
 *   keyBinding: { alg: 'EdDSA', audience: domain, nonce, issuedAt: now, sign: (d) => ed25519.sign(d, childKey) } });
 * ```
 */
export async function presentSdJwtVc(sdJwt: string, opts: PresentSdJwtVcOptions): Promise<string> {
  const parts = splitSdJwt(sdJwt);
  const read = readSdJwtVc(sdJwt);
  const broken = read.problems.filter((p) => p.code !== 'KEY_BINDING_INVALID');
  if (parts === undefined || read.claims === undefined || broken.length > 0) {
    throw new CradleError('INVALID_ARGUMENT', `the SD-JWT VC to present does not read: ${broken.map((p) => p.reason).join('; ') || 'malformed'}`);
  }
  const known = new Set(Object.keys(read.claims));
  const missing = opts.disclose.filter((name) => !known.has(name));
  if (missing.length > 0) throw new CradleError('INVALID_ARGUMENT', `the credential has no claim ${missing.map((m) => `"${m}"`).join(', ')} to disclose`);
  // Keep the chosen top-level disclosures and, recursively, the disclosures their values reference.
  const byDigest = new Map(parts.disclosures.map((d) => [digestOf(d), d] as const));
  const keep = new Set<string>();
  const visit = (value: unknown): void => {
    for (const digest of digestsIn(value)) {
      const d = byDigest.get(digest);
      if (d === undefined || keep.has(d)) continue;
      keep.add(d);
      const decoded = decodeDisclosure(d);
      if (decoded !== undefined) visit(decoded.value);
    }
  };
  const payload = read.jws!.payload;
  for (const digest of Array.isArray(payload._sd) ? payload._sd : []) {
    const d = byDigest.get(digest as string);
    const decoded = d === undefined ? undefined : decodeDisclosure(d);
    if (d !== undefined && decoded?.name !== undefined && opts.disclose.includes(decoded.name)) {
      keep.add(d);
      visit(decoded.value);
    }
  }
  for (const [name, value] of Object.entries(payload)) if (name !== '_sd' && opts.disclose.includes(name)) visit(value);
  const kept = parts.disclosures.filter((d) => keep.has(d));
  const withoutKb = `${parts.jwt}~${kept.map((d) => `${d}~`).join('')}`;
  if (opts.keyBinding === undefined) return withoutKb;
  const kb = opts.keyBinding;
  if (!isAllowedAlg(kb.alg)) throw new CradleError('ALG_NOT_ALLOWED', `key binding alg must be EdDSA, ES256K, ES256 or ES384 (got ${String(kb.alg)})`);
  const kbJwt = await signJws(
    { alg: kb.alg, typ: TYP_KB_JWT },
    { iat: kb.issuedAt, aud: kb.audience, nonce: kb.nonce, sd_hash: digestOf(withoutKb) },
    kb.sign,
  );
  return `${withoutKb}${kbJwt}`;
}

/** What an SD-JWT VC presentation's key-binding JWT says (signature not checked here). */
export interface SdJwtKeyBinding {
  readonly jws: DecodedJws;
  readonly audience?: string;
  readonly nonce?: string;
  readonly issuedAt?: number;
}

/** Stable codes of {@link readSdJwtVc}'s problems (a subset of core's verification codes). */
export type SdJwtVcProblemCode =
  | 'MALFORMED'
  | 'TOO_LARGE'
  | 'TYP_UNEXPECTED'
  | 'ALG_NOT_ALLOWED'
  | 'DISCLOSURE_INVALID'
  | 'KEY_BINDING_INVALID';

/** One rule an SD-JWT VC broke; `reason` is a short technical phrase. */
export interface SdJwtVcProblem {
  readonly code: SdJwtVcProblemCode;
  readonly reason: string;
}

/** What {@link readSdJwtVc} found. Nothing here is verified: signatures are the verifier's job. */
export interface SdJwtVcRead {
  /** The issuer-signed JWT, decoded under core's strict JOSE rules (signature NOT checked). */
  readonly jws?: DecodedJws;
  /** The claims after processing: disclosed claims restored, `_sd`/`_sd_alg`/undisclosed digests removed. */
  readonly claims?: Readonly<Record<string, unknown>>;
  /** Names of the top-level claims revealed by disclosures (not those signed in the clear). */
  readonly disclosed: readonly string[];
  /** `cnf.jwk`: the key a key-binding JWT must be signed with. */
  readonly holderKey?: PublicJwk;
  /** Present when the SD-JWT ends with a key-binding JWT whose `sd_hash` matches. */
  readonly keyBinding?: SdJwtKeyBinding;
  /** The credential as every consumer reads it (Cradle kinds from `vct`). */
  readonly credential?: CredentialView;
  readonly problems: readonly SdJwtVcProblem[];
}

/**
 * True when `text` has the shape of an SD-JWT (a compact JWS followed by `~`): a cheap routing test, not a
 * check. Never throws.
 *
 * @example
 * ```ts
 * isSdJwt('eyJ…~WyJ…~') // true
 * ```
 */
export function isSdJwt(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const tilde = text.indexOf('~');
  return tilde > 0 && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(text.slice(0, tilde));
}

/**
 * Read an untrusted SD-JWT VC (RFC 9901 §7.1 processing, SD-JWT VC claim rules). Never throws. Checks:
 * size; the issuer JWT under core's strict JOSE rules (`typ` `dc+sd-jwt` or `vc+sd-jwt`, alg allow-list);
 * `_sd_alg` is sha-256; every disclosure is well-formed, unique, referenced exactly once, and neither
 * overwrites a claim nor discloses one that must stay in the clear (`DISCLOSURE_INVALID`); a trailing
 * KB-JWT is `kb+jwt` with `iat`, `aud`, `nonce` and the right `sd_hash` (`KEY_BINDING_INVALID`); the
 * claims make a credential (`iss` a DID, `vct` a string, strict NumericDates).
 *
 * @example
 * ```ts
 * const read = readSdJwtVc(scanned);
 * if (read.problems.length === 0) console.log(read.credential?.kind, read.disclosed);
 * ```
 */
export function readSdJwtVc(text: unknown, opts: { readonly maxBytes?: number } = {}): SdJwtVcRead {
  const problems: SdJwtVcProblem[] = [];
  const fail = (code: SdJwtVcProblemCode, reason: string): SdJwtVcRead => ({ disclosed: [], problems: [...problems, { code, reason }] });
  const maxBytes = opts.maxBytes ?? SD_JWT_VC_MAX_BYTES;
  if (typeof text !== 'string') return fail('MALFORMED', 'is not text');
  if (text.length > maxBytes) return fail('TOO_LARGE', `is ${text.length} characters; the limit is ${maxBytes}`);
  const parts = splitSdJwt(text);
  if (parts === undefined) return fail('MALFORMED', 'is not an SD-JWT (issuer JWT, disclosures and an optional key binding, separated by ~)');
  if (parts.disclosures.length > SD_JWT_VC_MAX_DISCLOSURES) return fail('TOO_LARGE', `carries ${parts.disclosures.length} disclosures; the limit is ${SD_JWT_VC_MAX_DISCLOSURES}`);

  let jws: DecodedJws;
  try {
    jws = decodeJws(parts.jwt, { expectedTyp: [TYP_DC_SD_JWT, TYP_VC_SD_JWT], maxBytes });
  } catch (e) {
    return fail(joseCode(e), isCradleError(e) ? e.message : 'the issuer JWT does not read');
  }
  const payload = jws.payload;
  if (payload._sd_alg !== undefined && payload._sd_alg !== SD_ALG) return fail('MALFORMED', `uses digest algorithm ${describe(payload._sd_alg)}; only sha-256 is accepted`);

  // Disclosures: decode each, index by digest, refuse duplicates.
  const byDigest = new Map<string, Disclosure>();
  for (const raw of parts.disclosures) {
    const d = decodeDisclosure(raw);
    if (d === undefined) return fail('DISCLOSURE_INVALID', 'carries a disclosure that does not read (base64url JSON [salt, name, value] or [salt, value])');
    const digest = digestOf(raw);
    if (byDigest.has(digest)) return fail('DISCLOSURE_INVALID', 'carries the same disclosure twice');
    byDigest.set(digest, d);
  }
  const digests: Digests = { seen: new Set(), used: new Set() };
  const disclosed: string[] = [];
  let claims: Record<string, unknown>;
  try {
    claims = processObject(payload, byDigest, digests, 0, (name) => disclosed.push(name), true);
  } catch (e) {
    if (e instanceof DisclosureError) return fail('DISCLOSURE_INVALID', e.message);
    throw e;
  }
  if (digests.used.size !== byDigest.size) return fail('DISCLOSURE_INVALID', 'carries a disclosure the issuer did not sign (altered, forged or taken from another credential)');

  const cnf = payload.cnf;
  const holderKey = isRecord(cnf) && isRecord(cnf.jwk) ? (cnf.jwk as PublicJwk) : undefined;
  if (cnf !== undefined && holderKey === undefined) problems.push({ code: 'MALFORMED', reason: 'has a cnf claim without a public JWK' });

  let keyBinding: SdJwtKeyBinding | undefined;
  if (parts.kb !== undefined) {
    keyBinding = readKeyBinding(parts.kb, text.slice(0, text.length - parts.kb.length), maxBytes, problems);
  }
  const credential = viewOf(claims, problems);
  return {
    jws,
    claims,
    disclosed,
    problems,
    ...(holderKey === undefined ? {} : { holderKey }),
    ...(keyBinding === undefined ? {} : { keyBinding }),
    ...(credential === undefined ? {} : { credential }),
  };
}

/** The Cradle kind a `vct` names. */
export function credentialKindOfVct(vct: unknown): CredentialKind {
  return vct === VCT_BIRTH_REGISTRATION ? 'birth-registration' : vct === VCT_GUARDIANSHIP ? 'guardianship' : 'other';
}

interface Disclosure {
  readonly name?: string;
  readonly value: unknown;
}

class DisclosureError extends Error {}

function randomSalt(): string {
  return base64UrlEncode(globalThis.crypto.getRandomValues(new Uint8Array(SALT_BYTES)));
}

function digestOf(ascii: string): string {
  return base64UrlEncode(sha256(utf8Encode(ascii)));
}

function splitSdJwt(text: string): { jwt: string; disclosures: string[]; kb?: string } | undefined {
  const parts = text.split('~');
  if (parts.length < 2) return undefined;
  const jwt = parts[0]!;
  const last = parts[parts.length - 1]!;
  const disclosures = parts.slice(1, -1);
  if (jwt === '' || disclosures.some((d) => d === '')) return undefined;
  return last === '' ? { jwt, disclosures } : { jwt, disclosures, kb: last };
}

function decodeDisclosure(raw: string): Disclosure | undefined {
  let value: unknown;
  try {
    value = parseStrictJson(utf8Decode(base64UrlDecode(raw)), { maxBytes: SD_JWT_VC_MAX_BYTES });
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || typeof value[0] !== 'string' || value[0].length === 0) return undefined;
  if (value.length === 3 && typeof value[1] === 'string') return { name: value[1], value: value[2] };
  if (value.length === 2) return { value: value[1] };
  return undefined;
}

function digestsIn(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 32) return;
    if (Array.isArray(v)) {
      for (const e of v) {
        if (isRecord(e) && Object.keys(e).length === 1 && typeof e[ARRAY_ELEMENT] === 'string') out.push(e[ARRAY_ELEMENT]);
        else walk(e, depth + 1);
      }
    } else if (isRecord(v)) {
      if (Array.isArray(v._sd)) for (const d of v._sd) if (typeof d === 'string') out.push(d);
      for (const [k, e] of Object.entries(v)) if (k !== '_sd') walk(e, depth + 1);
    }
  };
  walk(value, 0);
  return out;
}

/** Digests met while processing: all of them (RFC 9901 §7.1 refuses any seen twice), and those disclosed. */
interface Digests {
  readonly seen: Set<string>;
  readonly used: Set<string>;
}

function claimDigest(digest: unknown, digests: Digests): string {
  if (typeof digest !== 'string') throw new DisclosureError('lists a digest that is not a string');
  if (digests.seen.has(digest)) throw new DisclosureError('references the same digest twice');
  digests.seen.add(digest);
  return digest;
}

// RFC 9901 §7.1 step 3: replace digests with the disclosed claims, recursively; each digest once.
function processObject(
  obj: Readonly<Record<string, unknown>>,
  byDigest: ReadonlyMap<string, Disclosure>,
  digests: Digests,
  depth: number,
  onTopLevel: (name: string) => void,
  topLevel: boolean,
): Record<string, unknown> {
  if (depth > 32) throw new DisclosureError('nests disclosures too deeply');
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === '_sd' || (topLevel && k === '_sd_alg')) continue;
    out[k] = processValue(v, byDigest, digests, depth + 1);
  }
  if (obj._sd === undefined) return out;
  if (!Array.isArray(obj._sd)) throw new DisclosureError('has an _sd member that is not an array');
  for (const raw of obj._sd) {
    const digest = claimDigest(raw, digests);
    const d = byDigest.get(digest);
    if (d === undefined) continue; // undisclosed claim or decoy
    digests.used.add(digest);
    if (d.name === undefined) throw new DisclosureError('uses an array-element disclosure for an object claim');
    if (d.name === '_sd' || d.name === ARRAY_ELEMENT) throw new DisclosureError(`discloses a claim named ${JSON.stringify(d.name)}, which SD-JWT forbids`);
    if (Object.hasOwn(out, d.name)) throw new DisclosureError(`discloses "${d.name.slice(0, 40)}", which is already set (a disclosure may not overwrite a claim)`);
    if (topLevel && NEVER_DISCLOSED.has(d.name)) throw new DisclosureError(`discloses "${d.name}", which an SD-JWT VC must carry in the clear`);
    out[d.name] = processValue(d.value, byDigest, digests, depth + 1);
    if (topLevel) onTopLevel(d.name);
  }
  return out;
}

function processValue(v: unknown, byDigest: ReadonlyMap<string, Disclosure>, digests: Digests, depth: number): unknown {
  if (depth > 32) throw new DisclosureError('nests disclosures too deeply');
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const e of v) {
      if (isRecord(e) && Object.hasOwn(e, ARRAY_ELEMENT)) {
        if (Object.keys(e).length !== 1) throw new DisclosureError('has an array-element digest object with other members');
        const digest = claimDigest(e[ARRAY_ELEMENT], digests);
        const d = byDigest.get(digest);
        if (d === undefined) continue; // undisclosed element or decoy
        digests.used.add(digest);
        if (d.name !== undefined) throw new DisclosureError('uses an object-claim disclosure for an array element');
        out.push(processValue(d.value, byDigest, digests, depth + 1));
      } else {
        out.push(processValue(e, byDigest, digests, depth + 1));
      }
    }
    return out;
  }
  if (isRecord(v)) return processObject(v, byDigest, digests, depth, () => undefined, false);
  return v;
}

function readKeyBinding(kb: string, presented: string, maxBytes: number, problems: SdJwtVcProblem[]): SdJwtKeyBinding | undefined {
  let jws: DecodedJws;
  try {
    jws = decodeJws(kb, { expectedTyp: TYP_KB_JWT, maxBytes });
  } catch (e) {
    problems.push({ code: 'KEY_BINDING_INVALID', reason: `has a key-binding JWT that does not read (${isCradleError(e) ? e.message : 'malformed'})` });
    return undefined;
  }
  const p = jws.payload;
  const iat = parseNumericDate(p.iat);
  if (iat === null || typeof p.aud !== 'string' || typeof p.nonce !== 'string' || typeof p.sd_hash !== 'string') {
    problems.push({ code: 'KEY_BINDING_INVALID', reason: 'has a key-binding JWT without iat, aud, nonce and sd_hash' });
    return undefined;
  }
  if (p.sd_hash !== digestOf(presented)) {
    problems.push({ code: 'KEY_BINDING_INVALID', reason: 'has a key-binding JWT made for other disclosures (sd_hash does not match)' });
    return undefined;
  }
  return { jws, audience: p.aud, nonce: p.nonce, issuedAt: iat };
}

function viewOf(claims: Readonly<Record<string, unknown>>, problems: SdJwtVcProblem[]): CredentialView | undefined {
  const bad = (reason: string): undefined => {
    problems.push({ code: 'MALFORMED', reason });
    return undefined;
  };
  const { iss, sub, vct, iat, nbf, exp, jti, status } = claims;
  if (!isDid(iss)) return bad(iss === undefined ? 'names no issuer' : 'names an issuer that is not a DID');
  if (typeof vct !== 'string' || vct === '' || vct.length > 512) return bad('has no credential type (vct)');
  if (sub !== undefined && !isDid(sub)) return bad('has a subject that is not a DID');
  if (jti !== undefined && (typeof jti !== 'string' || jti === '' || jti.length > 512)) return bad('has an unreadable id');
  for (const [name, v] of [['iat', iat], ['nbf', nbf], ['exp', exp]] as const) {
    if (v !== undefined && parseNumericDate(v) === null) return bad(`has an unreadable date (${name})`);
  }
  let credentialStatus: unknown;
  if (status !== undefined) {
    if (!isRecord(status)) return bad('has a status claim that is not an object');
    credentialStatus = status[SD_JWT_STATUS_MECHANISM];
    if (credentialStatus !== undefined && !Array.isArray(credentialStatus)) return bad(`has a status.${SD_JWT_STATUS_MECHANISM} that is not an array`);
  }
  const subject: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(claims)) if (!(REGISTERED_CLAIMS as readonly string[]).includes(k)) subject[k] = v;
  if (typeof sub === 'string') subject.id = sub;
  return {
    format: 'sd-jwt-vc',
    types: [vct],
    kind: credentialKindOfVct(vct),
    issuer: iss,
    subject,
    credentialStatus,
    ...(typeof jti === 'string' ? { id: jti } : {}),
    ...(typeof sub === 'string' ? { subjectId: sub } : {}),
    ...(nbf === undefined ? {} : { notBefore: parseNumericDate(nbf)! }),
    ...(exp === undefined ? {} : { notAfter: parseNumericDate(exp)! }),
  };
}

function joseCode(e: unknown): SdJwtVcProblemCode {
  if (isCradleError(e, 'TOO_LARGE') || isCradleError(e, 'TYP_UNEXPECTED') || isCradleError(e, 'ALG_NOT_ALLOWED')) return e.code as SdJwtVcProblemCode;
  return 'MALFORMED';
}

function describe(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : String(v);
}

/** Normalised `typ` test for routing: true for `dc+sd-jwt` and the legacy `vc+sd-jwt`. */
export function isSdJwtVcTyp(typ: unknown): boolean {
  return typeof typ === 'string' && [TYP_DC_SD_JWT, TYP_VC_SD_JWT].includes(normalizeMediaType(typ));
}
