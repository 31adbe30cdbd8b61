import type { AlertKind, VerificationProblem } from '@cradle/core';
import { isSdJwt } from '@cradle/core';
import { checkClaims } from './claims.js';
import type { CredentialView } from './credential-shape.js';
import { readCredential } from './credential-shape.js';
import { canonicalDid } from './ethr-did.js';
import { checkSignature, decodeToken } from './jws.js';
import type { DecodedToken, SignatureCheck } from './jws.js';
import { checkKeyBinding, readSdJwtCredential } from './sd-jwt-credential.js';
import type { KeyBindingRequest, SdJwtCredential } from './sd-jwt-credential.js';
import { artefactName, humanDuration, humanTime, problem } from './messages.js';
import type { VerifyEnv } from './options.js';
import { checkCredentialStatus } from './status-check.js';
import type { AlertCheck } from './status-check.js';

/** Largest credential token accepted (characters), checked before any decoding. */
export const MAX_CREDENTIAL_BYTES = 32 * 1024;

/** Everything learnt while checking one credential token. */
export interface CredentialCheck {
  readonly problems: VerificationProblem[];
  readonly view?: CredentialView;
  readonly signature: SignatureCheck | 'not-checked';
  readonly trusted: boolean;
  /** Oldest time (unix seconds) of the status or key data relied on. */
  readonly asOf?: number;
  /** Child-protection alerts raised on this credential: only from a genuine credential of a trusted registrar. */
  readonly alerts: readonly AlertKind[];
  readonly alertCheck?: AlertCheck;
}

/**
 * Run every check on one credential token (VCDM 2.0 `vc+jwt`, VCDM 1.1 JWT-VC `JWT`, or an SD-JWT VC):
 * strict JOSE, shape, iss/sub consistency, issuer key + signature, accreditation, validity window, claims
 * schema (of what an SD-JWT VC discloses), status, and an SD-JWT VC's key binding (required, with the
 * checkpoint's nonce and domain, when `binding` is given). Never throws on untrusted input; all problems
 * are collected (not just the first).
 */
export async function checkCredentialToken(token: string, env: VerifyEnv, where: string, binding?: KeyBindingRequest): Promise<CredentialCheck> {
  const problems: VerificationProblem[] = [];
  if (isSdJwt(token)) {
    const sdJwt = readSdJwtCredential(token, MAX_CREDENTIAL_BYTES, where, problems);
    if (sdJwt === undefined) return { problems, signature: 'not-checked', trusted: false, alerts: [] };
    return checkCredentialView(sdJwt.decoded, sdJwt.view, env, where, problems, { sdJwt, binding });
  }
  return checkDecodedCredential(decodeCredentialToken(token, where, problems), env, where, problems);
}

/** Decode a credential token under the strict rules (problems pushed; undefined when unreadable). */
export function decodeCredentialToken(token: string, where: string, problems: VerificationProblem[]): DecodedToken | undefined {
  return decodeToken(token, ['vc+jwt', 'JWT'], MAX_CREDENTIAL_BYTES, where, problems);
}

/**
 * {@link checkCredentialToken} on a token already decoded by {@link decodeCredentialToken} (a presentation
 * decodes each enclosed token once, to tell credentials from travel consents); `problems` holds what
 * decoding found.
 */
export async function checkDecodedCredential(decoded: DecodedToken | undefined, env: VerifyEnv, where: string, problems: VerificationProblem[]): Promise<CredentialCheck> {
  if (decoded === undefined) return { problems, signature: 'not-checked', trusted: false, alerts: [] };
  const view = readCredential(decoded.payload, decoded.typ === 'vc+jwt' ? 'vc+jwt' : 'jwt-vc', where, problems);
  if (view === undefined) return { problems, signature: 'not-checked', trusted: false, alerts: [] };
  return checkCredentialView(decoded, view, env, where, problems);
}

/** The checks every format shares, once the token is decoded and read; an SD-JWT VC adds its key binding. */
async function checkCredentialView(
  decoded: DecodedToken,
  view: CredentialView,
  env: VerifyEnv,
  where: string,
  problems: VerificationProblem[],
  sd?: { sdJwt: SdJwtCredential; binding: KeyBindingRequest | undefined },
): Promise<CredentialCheck> {
  const who = artefactName(where);

  const issuer = canonicalDid(view.issuer);
  const trust = env.ctx.trust(issuer);
  const signature = await checkSignature(decoded, issuer, 'assertionMethod', env.keysOf, env.verifier, where, problems);
  if (!trust.trusted) {
    problems.push(
      problem(
        'ISSUER_NOT_TRUSTED',
        trust.reason === 'de-accredited'
          ? `${who} was issued by a registrar that has lost its accreditation (${view.issuer}): do not accept it.`
          : `${who} was issued by ${view.issuer}, which is not an accredited registrar at this checkpoint: do not accept it.`,
        where,
      ),
    );
  }

  // A newer anchored trust list this device could not fetch may de-accredit this registrar: fail closed.
  const stale = env.ctx.trustListStale;
  if (trust.trusted && stale !== undefined) {
    problems.push(
      problem(
        'TRUST_LIST_STALE',
        `The governance authority has published a newer list of accredited registrars (version ${stale.anchored}) that is not on this device (${stale.cached === undefined ? 'it has none' : `it has version ${stale.cached}`}), so it cannot be confirmed that ${view.issuer} is still accredited: sync before relying on this answer.`,
        where,
      ),
    );
  }

  const skew = env.clockSkew;
  if (view.notBefore !== undefined && env.now + skew < view.notBefore) {
    problems.push(problem('NOT_YET_VALID', `${who} is not valid before ${humanTime(view.notBefore)}: do not accept it yet.`, where));
  }
  if (view.notAfter !== undefined && env.now - skew >= view.notAfter) {
    problems.push(problem('EXPIRED', `${who} expired on ${humanTime(view.notAfter)}.`, where));
  }

  checkClaims(view, env.nowDate, where, problems);
  if (sd !== undefined) await checkKeyBinding(sd.sdJwt, sd.binding, env, where, problems);

  let asOf: number | undefined;
  const status = checkCredentialStatus({ credentialStatus: view.credentialStatus, issuer, env, where }, problems);
  asOf = status.asOf;

  // Keys fetched from the ledger age too: a key the registrar revoked after our last sync still looks valid here.
  const keys = env.keysOf(issuer);
  if (signature === 'verified' && keys?.unconfirmed === true && !problems.some((p) => p.code === 'STATUS_STALE' || p.code === 'REVOKED')) {
    problems.push(
      problem(
        'STATUS_STALE',
        "The registrar's key data on this device came from an unsigned bundle and was never confirmed on the ledger: sync, or import a signed bundle, before relying on this answer.",
        where,
      ),
    );
  }
  if (signature === 'verified' && keys?.fetchedAt !== undefined) {
    const age = env.now - keys.fetchedAt;
    asOf = asOf === undefined ? keys.fetchedAt : Math.min(asOf, keys.fetchedAt);
    if (age > env.maxStatusAge && !problems.some((p) => p.code === 'STATUS_STALE')) {
      problems.push(
        problem(
          'STATUS_STALE',
          `The registrar's key data is ${humanDuration(age)} old (limit ${humanDuration(env.maxStatusAge)}): sync before relying on this answer.`,
          where,
        ),
      );
    }
  }
  // An alert index taken from a forged or unaccredited credential would say nothing about a real child.
  const alerts = signature === 'verified' && trust.trusted ? status.alerts : [];
  const check: { -readonly [K in keyof CredentialCheck]: CredentialCheck[K] } = { problems, view, signature, trusted: trust.trusted, alerts };
  if (status.alertCheck !== undefined) check.alertCheck = status.alertCheck;
  if (asOf !== undefined) check.asOf = asOf;
  return check;
}
