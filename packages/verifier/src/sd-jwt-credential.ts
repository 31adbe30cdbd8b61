// The checkpoint's side of SD-JWT VC: core's reader gives the structure; this file adds the officer's
// wording and the key-binding checks (signature with the credential's cnf key, the checkpoint's nonce and
// domain, freshness). Issuer signature, trust, validity, claims and status are checked by
// check-credential.ts exactly as for vc+jwt.
import type { SdJwtVcProblemCode, SdJwtVcRead, VerificationProblem } from '@cradle/core';
import { readSdJwtVc } from '@cradle/core';
import type { CredentialView } from './credential-shape.js';
import { verificationKeyOfJwk } from './did-methods/did-jwk.js';
import { tokenOf } from './jws.js';
import type { DecodedToken } from './jws.js';
import { artefactName, humanTime, problem } from './messages.js';
import type { VerifyEnv } from './options.js';
import { KEY_TYPE_OF_ALG } from './verification-key.js';

/** What the checkpoint asked a presentation to be bound to (its challenge). */
export interface KeyBindingRequest {
  readonly nonce?: string;
  readonly domain?: string;
  /** Oldest key-binding JWT accepted, from its `iat` (seconds). */
  readonly maxAge: number;
}

/** An SD-JWT VC read for checking: its issuer JWT as a token, the credential view, and core's full read. */
export interface SdJwtCredential {
  readonly decoded: DecodedToken;
  readonly view: CredentialView;
  readonly read: SdJwtVcRead;
}

function sentence(code: SdJwtVcProblemCode, who: string, reason: string): string {
  switch (code) {
    case 'DISCLOSURE_INVALID':
      return `${who} carries a detail the registrar did not sign (altered, forged or copied from another credential): it is rejected. (${reason})`;
    case 'KEY_BINDING_INVALID':
      return `${who} has a broken proof of who presents it: it is rejected. (${reason})`;
    case 'TOO_LARGE':
      return `${who} is far larger than any genuine one: it is rejected without being read.`;
    case 'ALG_NOT_ALLOWED':
      return `${who} uses a signature method that is not accepted (only EdDSA, ES256K, ES256 and ES384 are): it is rejected. (${reason})`;
    case 'TYP_UNEXPECTED':
      return `${who} is not the kind of signed document expected here: it is rejected. (${reason})`;
    default:
      return `${who} ${reason}: it is rejected.`;
  }
}

/**
 * Read an SD-JWT VC with `@cradle/core`'s reader; problems are pushed in officer wording. Returns
 * `undefined` when nothing further can be checked.
 */
export function readSdJwtCredential(token: string, maxBytes: number, where: string, problems: VerificationProblem[]): SdJwtCredential | undefined {
  const read = readSdJwtVc(token, { maxBytes });
  const who = artefactName(where);
  for (const p of read.problems) problems.push(problem(p.code, sentence(p.code, who, p.reason), where));
  if (read.jws === undefined || read.credential === undefined) return undefined;
  const decoded = tokenOf(read.jws, where, problems);
  return { decoded, view: read.credential, read };
}

/**
 * Check the key-binding JWT of a presented SD-JWT VC. With a `request` (a checkpoint presentation) it is
 * required, must be signed by the credential's `cnf` key, and must carry this checkpoint's nonce and domain
 * and a recent `iat`. Without one (a bare credential scanned as a bearer check) a key binding that is
 * present must still verify.
 */
export async function checkKeyBinding(
  sd: SdJwtCredential,
  request: KeyBindingRequest | undefined,
  env: VerifyEnv,
  where: string,
  problems: VerificationProblem[],
): Promise<void> {
  const who = artefactName(where);
  const kb = sd.read.keyBinding;
  if (kb === undefined) {
    // A broken key binding was already reported by the reader.
    if (request !== undefined && !problems.some((p) => p.code === 'KEY_BINDING_INVALID' && p.where === where)) {
      problems.push(
        problem(
          'KEY_BINDING_INVALID',
          `${who} carries no proof that the person presenting holds it (no key-binding JWT): it could be a copy. Ask the guardian to present again from their wallet.`,
          where,
        ),
      );
    }
    return;
  }
  const holderKey = sd.read.holderKey === undefined ? undefined : verificationKeyOfJwk(sd.read.holderKey, `${sd.view.subjectId ?? 'holder'}#cnf`);
  const alg = kb.jws.header.alg as keyof typeof KEY_TYPE_OF_ALG;
  let signed = false;
  if (holderKey !== undefined && holderKey.type === KEY_TYPE_OF_ALG[alg]) {
    const ok = env.verifier.verify(alg, holderKey, kb.jws.signingInput, kb.jws.signature);
    signed = ok === true || (ok !== false && (await ok));
  }
  if (!signed) {
    problems.push(
      problem(
        'KEY_BINDING_INVALID',
        holderKey === undefined
          ? `${who} names no usable key of its holder (cnf), so nobody can prove they hold it: it is rejected.`
          : `${who} was presented with a proof signed by another key than the one the registrar bound it to: it may be a copy. Do not accept it.`,
        where,
      ),
    );
  }
  if (request === undefined) return;
  if (request.nonce === undefined || request.nonce === '' || kb.nonce !== request.nonce) {
    problems.push(problem('CHALLENGE_MISMATCH', `${who} was presented for another request (wrong nonce): it may be a replay. Ask the guardian to present again.`, where));
  }
  if (request.domain === undefined || request.domain === '' || kb.audience !== request.domain) {
    problems.push(problem('DOMAIN_MISMATCH', `${who} was presented to another checkpoint (wrong domain): it may be a replay. Ask the guardian to present again.`, where));
  }
  const iat = kb.issuedAt;
  if (iat === undefined || env.now - env.clockSkew > iat + request.maxAge || iat > env.now + env.clockSkew) {
    problems.push(
      problem('PRESENTATION_EXPIRED', `${who} was presented at ${iat === undefined ? 'an unknown time' : humanTime(iat)}, which is not now: ask the guardian to present again.`, where),
    );
  }
}
