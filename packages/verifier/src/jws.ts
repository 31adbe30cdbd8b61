import type { VerificationProblem } from '@cradle/core';
import { decodeJws, isCradleError, isVerificationCode, normalizeMediaType } from '@cradle/core';
import type { DecodedJws } from '@cradle/core';
import { canonicalDid } from './ethr-did.js';
import { problem } from './messages.js';
import type { SignatureVerifier } from './signature-verifier.js';
import type { KeyResolver } from './verification-context.js';
import type { SignatureAlgorithm, VerificationKey } from './verification-key.js';
import { KEY_TYPE_OF_ALG } from './verification-key.js';

/** A compact JWS that parsed under the strict rules, not yet verified. */
export interface DecodedToken {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly alg: SignatureAlgorithm;
  readonly typ: string;
  readonly signingInput: Uint8Array;
  readonly signature: Uint8Array;
}

// RFC 8725 §3.1/§3.11: the verifier decides the key and the processing; the token may not bring its
// own key (jwk, jku, x5u, x5c, x5t), or ask for extensions or processing (crit, b64, zip, enc).
// (core's decodeJws already refuses most of these; this is the second line.)
const FORBIDDEN_HEADERS = ['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'crit', 'b64', 'zip', 'enc'];


/**
 * Decode with `@cradle/core`'s strict JOSE parser and apply the header policy. Problems are pushed to
 * `problems`; returns `undefined` when nothing further can be checked.
 */
export function decodeToken(
  token: string,
  expectedTyp: string | readonly string[],
  maxBytes: number,
  where: string,
  problems: VerificationProblem[],
): DecodedToken | undefined {
  let decoded;
  try {
    decoded = decodeJws(token, { expectedTyp: expectedTyp as string | string[], maxBytes });
  } catch (e) {
    if (isCradleError(e)) {
      const code = isVerificationCode(e.code) ? e.code : 'MALFORMED';
      problems.push(problem(code, plainJoseMessage(code, e.message, where), where));
    } else {
      problems.push(problem('MALFORMED', `${name(where)} could not be read: it is not a valid signed token.`, where));
    }
    return undefined;
  }
  return tokenOf(decoded, where, problems);
}

/**
 * Apply the header policy to a JWS `@cradle/core` already decoded (e.g. the issuer JWT of an SD-JWT VC).
 * Problems are pushed to `problems`; the token is returned either way.
 */
export function tokenOf(decoded: DecodedJws, where: string, problems: VerificationProblem[]): DecodedToken {
  const header = decoded.header as unknown as Record<string, unknown>;
  const payload: Readonly<Record<string, unknown>> = decoded.payload;
  for (const h of FORBIDDEN_HEADERS) {
    if (h in header) {
      problems.push(
        problem(
          'MALFORMED',
          `${name(where)} carries a "${h}" header that is not allowed (it could smuggle in a key or another token): it is rejected.`,
          where,
        ),
      );
    }
  }
  return {
    header,
    payload,
    alg: header.alg as SignatureAlgorithm,
    typ: typeof header.typ === 'string' ? normalizeMediaType(header.typ) : '',
    signingInput: decoded.signingInput,
    signature: decoded.signature,
  };
}


function name(where: string): string {
  return where === 'presentation' ? 'The presentation' : where === 'credential' ? 'The credential' : `Credential ${where}`;
}

function plainJoseMessage(code: string, detail: string, where: string): string {
  switch (code) {
    case 'ALG_NOT_ALLOWED':
      return `${name(where)} uses a signature method that is not accepted (only EdDSA, ES256K, ES256 and ES384 are): it is rejected. (${detail})`;
    case 'TYP_UNEXPECTED':
      return `${name(where)} is not the kind of signed document expected here: it is rejected. (${detail})`;
    case 'TOO_LARGE':
      return `${name(where)} is far larger than any genuine one: it is rejected without being read. (${detail})`;
    default:
      return `${name(where)} could not be read: it is damaged or not a signed token. (${detail})`;
  }
}

/**
 * The key id a token names, with its DID in canonical form (a bare `#fragment` is relative to `did`);
 * undefined when it names no DID URL with a fragment.
 */
function canonicalKeyId(kidRaw: unknown, did: string): string | undefined {
  const raw = typeof kidRaw === 'string' && kidRaw.startsWith('#') ? did + kidRaw : kidRaw;
  const hash = typeof raw === 'string' ? raw.indexOf('#') : -1;
  // did:ethr addresses are case-insensitive (EIP-55 is only a checksum): compare canonical forms.
  return typeof raw === 'string' && hash > 0 ? canonicalDid(raw.slice(0, hash)) + raw.slice(hash) : undefined;
}

/**
 * True when `kid` is already `<did>#<fragment>` with `did` (canonical, as checkSignature is given it) as
 * its DID: then {@link canonicalKeyId} would return `kid` itself, so no string is built (every credential
 * of a registrar names its key this way).
 */
function isKeyIdOf(kid: string, did: string): boolean {
  return did.length > 0 && kid.indexOf('#') === did.length && kid.startsWith(did) && canonicalDid(did) === did;
}

/** Which DID-document relationship a key needs: issuers sign with assertion keys, holders authenticate. */
export type KeyPurpose = 'assertionMethod' | 'authentication';

/** Outcome of checking a token's signature against the keys of `did`. */
export type SignatureCheck = 'verified' | 'failed' | 'unknown-issuer';

/**
 * Check that `token` is signed by a key of `did` (in canonical form, see `canonicalDid`) with the given purpose: the `kid` must name a
 * verification method of `did` itself (RFC 8725 §3.10: keys must belong to the issuer), the method
 * must be listed under `purpose`, its curve must match `alg`, and the signature must verify. Without
 * a `kid` (some VCDM 1.1 issuers omit it), every suitable key of `did` is tried.
 */
export async function checkSignature(
  token: DecodedToken,
  did: string,
  purpose: KeyPurpose,
  keysOf: KeyResolver,
  verifier: SignatureVerifier,
  where: string,
  problems: VerificationProblem[],
): Promise<SignatureCheck> {
  const resolved = keysOf(did);
  const who = purpose === 'assertionMethod' ? 'the registrar' : 'the presenter';
  if (resolved === undefined) {
    problems.push(
      problem(
        'ISSUER_UNKNOWN',
        `The keys of ${who} (${did}) are not on this device, so the signature cannot be checked: sync (or import a trust bundle) before relying on this answer.`,
        where,
      ),
    );
    return 'unknown-issuer';
  }
  const kidRaw = token.header.kid;
  let candidates: readonly VerificationKey[];
  if (kidRaw !== undefined) {
    const kid = typeof kidRaw === 'string' && isKeyIdOf(kidRaw, did) ? kidRaw : canonicalKeyId(kidRaw, did);
    if (kid === undefined || kid.slice(0, kid.indexOf('#')) !== did) {
      problems.push(
        problem('KEY_NOT_ISSUERS', `${name(where)} names a signing key that does not belong to ${who} (${did}): it is rejected.`, where),
      );
      return 'failed';
    }
    let key: VerificationKey | undefined;
    for (const k of resolved.keys) {
      if (k.id === kid) {
        key = k;
        break;
      }
    }
    if (key === undefined) {
      problems.push(
        problem(
          'KEY_NOT_ISSUERS',
          `${name(where)} was signed with a key that ${who} does not have (or no longer has): it is rejected. If the registrar changed keys recently, sync and check again.`,
          where,
        ),
      );
      return 'failed';
    }
    if (!key[purpose]) {
      problems.push(
        problem('KEY_NOT_ISSUERS', `${name(where)} was signed with a key of ${who} that is not allowed to sign this: it is rejected.`, where),
      );
      return 'failed';
    }
    candidates = [key];
  } else {
    candidates = resolved.keys.filter((k) => k[purpose] && k.type === KEY_TYPE_OF_ALG[token.alg]);
  }
  for (const key of candidates) {
    if (key.type !== KEY_TYPE_OF_ALG[token.alg]) continue;
    const ok = verifier.verify(token.alg, key, token.signingInput, token.signature);
    if (ok === true || (ok !== false && (await ok))) return 'verified'; // no microtask hop for sync backends
  }
  problems.push(
    problem(
      'SIGNATURE_INVALID',
      `${name(where)} does not carry a valid signature of ${who}: it was altered or forged.`,
      where,
    ),
  );
  return 'failed';
}
