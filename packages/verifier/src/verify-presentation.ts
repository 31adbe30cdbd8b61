import type { VerificationProblem } from '@cradle/core';
import { CradleError, ISO_3166_ALPHA2 } from '@cradle/core';
import type { CredentialCheck } from './check-credential.js';
import { checkCredentialToken, checkDecodedCredential, decodeCredentialToken } from './check-credential.js';
import { credentialKind, listedGuardians } from './claims.js';
import { TYP_VP_JWT, isSdJwt, parseNumericDate, readEnvelopedCredential } from '@cradle/core';
import { normalizeInput } from './input.js';
import { checkSignature, decodeToken } from './jws.js';
import { humanTime, problem } from './messages.js';
import type { VerifyOptions } from './options.js';
import { resolveEnv } from './options.js';
import { recordedGuardian } from './presenter.js';
import { isDecodedTravelConsent, judgeConsents, readDecodedConsent } from './travel-consent.js';
import type { ReadConsent } from './travel-consent.js';
import type { VerificationFacts, VerificationResult } from './result.js';
import { credentialFacts, resultOf } from './verify-credential.js';

/** Largest presentation token accepted (characters). */
export const MAX_PRESENTATION_BYTES = 96 * 1024;
const MAX_CREDENTIALS = 8;

/** Options of {@link verifyPresentation}: the challenge this checkpoint gave the guardian. */
export interface VerifyPresentationOptions extends VerifyOptions {
  /** The nonce this checkpoint issued for this presentation. */
  readonly nonce?: string;
  /** This checkpoint's domain (the presentation's `aud`). */
  readonly domain?: string;
  /** Oldest presentation accepted, from its `iat` (seconds; default 600). */
  readonly maxPresentationAge?: number;
  /**
   * Require a valid travel consent from every other listed parent when one parent presents
   * (`TRAVEL_CONSENT_MISSING` otherwise). Default: the checkpoint config's `requireTravelConsent`, else false.
   */
  readonly requireTravelConsent?: boolean;
  /** Where the child is travelling to (ISO 3166-1 alpha-2): a consent for other countries does not count. */
  readonly destination?: string;
  /**
   * SD-JWT VCs presented beside the presentation rather than inside it (an OpenID4VP `dc+sd-jwt` answer):
   * checked exactly like enclosed ones, with their key binding required for this nonce and domain. One
   * identical to an enclosed credential counts once.
   */
  readonly boundCredentials?: readonly string[];
}

function destinationOf(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  const code = typeof v === 'string' ? v.trim().toUpperCase() : '';
  if (!ISO_3166_ALPHA2.includes(code)) throw new CradleError('INVALID_ARGUMENT', 'destination must be a two-letter ISO 3166-1 country code (for example UG).');
  return code;
}



/**
 * Verify a checkpoint presentation (`vp+jwt`) offline: the guardian's signature (did:key), the
 * checkpoint's nonce and domain, freshness, every enclosed credential, and that the presenter is a
 * guardian named in a valid guardianship credential for the child of the birth credential.
 *
 * @example
 * ```ts
 * const r = await verifyPresentation(qrText, { store, nonce, domain: 'border-post-7.example' });
 * r.facts?.guardian // { did: 'did:key:z6Mk…', isListedGuardian: true }
 * ```
 */
export async function verifyPresentation(input: string, opts: VerifyPresentationOptions): Promise<VerificationResult> {
  const env = await resolveEnv(opts);
  const maxAge = opts.maxPresentationAge ?? 600;
  if (typeof maxAge !== 'number' || !(maxAge > 0)) throw new CradleError('INVALID_ARGUMENT', 'maxPresentationAge must be a positive number of seconds');
  const destination = destinationOf(opts.destination);
  const requireConsent = opts.requireTravelConsent ?? env.ctx.state.config?.requireTravelConsent ?? false;
  if (typeof requireConsent !== 'boolean') throw new CradleError('INVALID_ARGUMENT', 'requireTravelConsent must be true or false');
  const normalized = normalizeInput(input);
  if ('problem' in normalized) return resultOf('presentation', [normalized.problem], { now: env.now });
  const problems: VerificationProblem[] = [];
  const where = 'presentation';
  const decoded = decodeToken(normalized.token, TYP_VP_JWT, MAX_PRESENTATION_BYTES, where, problems);
  if (decoded === undefined) return resultOf('presentation', problems, { now: env.now });
  const p = decoded.payload;

  const types = Array.isArray(p.type) ? p.type : [p.type];
  const holder = p.holder;
  if (!types.includes('VerifiablePresentation') || typeof holder !== 'string') {
    problems.push(problem('MALFORMED', 'This is not a checkpoint presentation (it names no presenter): it is rejected.', where));
    return resultOf('presentation', problems, { now: env.now });
  }
  if (p.iss !== holder) {
    problems.push(problem('ISSUER_MISMATCH', 'The presentation names two different presenters: it is rejected.', where));
  }
  const signature = await checkSignature(decoded, holder, 'authentication', env.keysOf, env.verifier, where, problems);

  // Replay protection: the nonce and domain this checkpoint issued, and a short lifetime.
  if (opts.nonce === undefined || opts.nonce === '') {
    problems.push(problem('CHALLENGE_MISMATCH', 'No nonce was given: a presentation can only be checked against the nonce this checkpoint issued for it.', where));
  } else if (p.nonce !== opts.nonce) {
    problems.push(problem('CHALLENGE_MISMATCH', 'The presentation was made for another request (wrong nonce): it may be a replay. Ask the guardian to present again.', where));
  }
  const aud = p.aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.slice(0, 8) : [];
  if (opts.domain === undefined || opts.domain === '') {
    problems.push(problem('DOMAIN_MISMATCH', 'No checkpoint domain was given: a presentation can only be checked against this checkpoint\'s domain.', where));
  } else if (!audiences.includes(opts.domain)) {
    problems.push(problem('DOMAIN_MISMATCH', 'The presentation was made for another checkpoint (wrong domain): it may be a replay. Ask the guardian to present again.', where));
  }
  const iat = p.iat === undefined ? undefined : parseNumericDate(p.iat);
  const exp = p.exp === undefined ? undefined : parseNumericDate(p.exp);
  const skew = env.clockSkew;
  if (iat === null || exp === null || (iat === undefined && exp === undefined)) {
    problems.push(problem('PRESENTATION_EXPIRED', 'The presentation has no readable time: ask the guardian to present again.', where));
  } else {
    if (exp !== undefined && env.now - skew >= exp) {
      problems.push(problem('PRESENTATION_EXPIRED', `The presentation expired at ${humanTime(exp)}: ask the guardian to present again.`, where));
    } else if (iat !== undefined && (env.now - skew > iat + maxAge || iat > env.now + skew)) {
      problems.push(problem('PRESENTATION_EXPIRED', `The presentation was made at ${humanTime(iat)}, which is not now: ask the guardian to present again.`, where));
    }
  }

  // The enclosed credentials: every one is checked in full.
  const enclosed: unknown[] = Array.isArray(p.verifiableCredential) ? p.verifiableCredential : p.verifiableCredential === undefined ? [] : [p.verifiableCredential];
  const beside = (opts.boundCredentials ?? []).filter((t) => !enclosed.some((e) => readEnvelopedCredential(e) === t));
  const list: unknown[] = [...enclosed, ...beside];
  if (list.length > MAX_CREDENTIALS) {
    problems.push(problem('MALFORMED', `The presentation carries too many credentials (${list.length}): it is rejected.`, where));
    return resultOf('presentation', problems, { now: env.now });
  }
  const checks: CredentialCheck[] = [];
  const consents: ReadConsent[] = [];
  for (let i = 0; i < list.length; i++) {
    const token = readEnvelopedCredential(list[i]);
    const w = `credential[${i}]`;
    if (token === undefined) {
      problems.push(problem('MALFORMED', `Credential #${i + 1} in the presentation is not in a readable form: it is rejected.`, w));
      continue;
    }
    if (i >= enclosed.length && !isSdJwt(token)) {
      problems.push(problem('MALFORMED', `Credential #${i + 1} was sent beside the presentation without a key binding (only an SD-JWT VC can be): it is rejected.`, w));
      continue;
    }
    if (isSdJwt(token)) {
      // An SD-JWT VC: its key binding must answer this checkpoint's challenge.
      const check = await checkCredentialToken(token, env, w, { ...(opts.nonce === undefined ? {} : { nonce: opts.nonce }), ...(opts.domain === undefined ? {} : { domain: opts.domain }), maxAge });
      problems.push(...check.problems);
      checks.push(check);
      continue;
    }
    // Decoded once, whether it turns out to be a credential or a travel consent.
    const found: VerificationProblem[] = [];
    const decoded = decodeCredentialToken(token, w, found);
    if (decoded !== undefined && isDecodedTravelConsent(token, decoded)) {
      // Self-issued by a guardian, not by a registrar: judged against the guardianship below.
      const consent = await readDecodedConsent(decoded, found, env, w, problems);
      if (consent !== undefined) consents.push(consent);
      continue;
    }
    const check = await checkDecodedCredential(decoded, env, w, found);
    problems.push(...check.problems);
    checks.push(check);
  }
  const births = checks.filter((c) => c.view !== undefined && credentialKind(c.view) === 'birth-registration');
  const birth = births[0];
  if (birth?.view === undefined) {
    problems.push(problem('MALFORMED', 'The presentation does not contain a birth registration credential.', where));
  } else if (births.length > 1) {
    problems.push(problem('MALFORMED', 'The presentation contains more than one birth registration: it is rejected.', where));
  }
  const childDid = birth?.view?.subjectId;
  const guardianships = checks.filter(
    (c) => c.view !== undefined && credentialKind(c.view) === 'guardianship' && childDid !== undefined && c.view.subjectId === childDid,
  );
  let isListedGuardian = false;
  if (birth?.view !== undefined) {
    if (guardianships.length === 0) {
      problems.push(problem('GUARDIANSHIP_MISSING', 'The presentation has no guardianship credential for this child, so the presenter cannot be confirmed as a guardian.', where));
    } else {
      // Only a guardianship credential that passed every check may vouch for the presenter.
      isListedGuardian = guardianships.some((g) => g.problems.length === 0 && listedGuardians(g.view!.subject).includes(holder));
      const listedAnywhere = guardianships.some((g) => listedGuardians(g.view!.subject).includes(holder));
      if (!isListedGuardian && !listedAnywhere) {
        problems.push(problem('HOLDER_NOT_GUARDIAN', 'The person presenting is not a listed guardian of this child: do not hand the child over on this basis.', where));
      }
    }
  }

  const validGuardianships = guardianships.filter((g) => g.problems.length === 0).map((g) => g.view!.subject);
  const travel = judgeConsents(
    { consents, childDid, presenter: holder, validGuardianships, isListedGuardian, destination, required: requireConsent, env },
    problems,
  );

  let facts: VerificationFacts | undefined;
  if (birth !== undefined) {
    const base = credentialFacts(birth, env.nowDate);
    if (base !== undefined && signature === 'verified') {
      // The recorded name and document come from a guardianship credential whose signature verified,
      // preferring one that passed every check.
      const lists = (g: CredentialCheck): boolean => g.signature === 'verified' && listedGuardians(g.view!.subject).includes(holder);
      const source = guardianships.find((g) => g.problems.length === 0 && lists(g)) ?? guardianships.find(lists);
      const recorded = source === undefined ? {} : recordedGuardian(source.view!.subject, holder);
      facts = {
        ...base,
        guardian: { did: holder, isListedGuardian, ...recorded },
        ...(travel.consents.length > 0 ? { consents: travel.consents } : {}),
        ...(travel.status === undefined ? {} : { travelConsent: travel.status }),
        ...(birth.alertCheck === undefined ? {} : { alertCheck: birth.alertCheck }),
      };
    }
  }
  const asOfs = checks.map((c) => c.asOf).filter((a): a is number => a !== undefined);
  const asOf = asOfs.length > 0 ? Math.min(...asOfs) : undefined;
  // An alert on any genuine birth credential in the presentation stops the child, whoever presents it.
  const alerts = checks.flatMap((c) => c.alerts);
  return resultOf('presentation', problems, { now: env.now, alerts, ...(facts === undefined ? {} : { facts }), ...(asOf === undefined ? {} : { asOf }) });
}
