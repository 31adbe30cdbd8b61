import type { AlertKind, VerificationProblem } from '@cradle/core';
import { CradleError, ISO_3166_ALPHA2, TYP_VP_JWT, isSdJwt, parseNumericDate, readEnvelopedCredential } from '@cradle/core';
import type { CredentialCheck } from './check-credential.js';
import { checkCredentialToken, checkDecodedCredential, decodeCredentialToken } from './check-credential.js';
import { credentialKind, listedGuardians } from './claims.js';
import { normalizeInput } from './input.js';
import { checkSignature, decodeToken } from './jws.js';
import type { DecodedToken, SignatureCheck } from './jws.js';
import { ProblemReport, humanTime } from './messages.js';
import type { VerifyEnv, VerifyOptions } from './options.js';
import { resolveEnv } from './options.js';
import { recordedGuardian } from './presenter.js';
import { isDecodedTravelConsent, judgeConsents, readDecodedConsent } from './travel-consent.js';
import type { ReadConsent, TravelConsentFacts, TravelConsentStatus } from './travel-consent.js';
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
  const policy = presentationPolicy(opts, env);
  const normalized = normalizeInput(input);
  if ('problem' in normalized) return resultOf('presentation', [normalized.problem], { now: env.now });
  const report = new ProblemReport('presentation');
  const answer = (extra: { facts?: VerificationFacts; asOf?: number; alerts?: readonly AlertKind[] } = {}): VerificationResult =>
    resultOf('presentation', report.problems, { now: env.now, ...extra });

  // 1. The presentation itself: readable, signed by its presenter, made for this checkpoint's challenge, now.
  const vp = readPresentation(normalized.token, report);
  if (vp === undefined) return answer();
  const signature = await checkSignature(vp.token, vp.holder, 'authentication', env.keysOf, env.verifier, report.where, report.problems);
  checkChallenge(vp.token.payload, policy, env, report);

  // 2. Every credential in it (and beside it) checked in full; travel consents read.
  const enclosed = await checkEnclosed(vp.token.payload, policy, env, report);
  if (enclosed === undefined) return answer();

  // 3. Who presents: a guardian listed for the child of the one birth credential, with the other parents' consent where required.
  const family = judgePresenter(enclosed.checks, vp.holder, report);
  const travel = judgeConsents(
    {
      consents: enclosed.consents,
      childDid: family.childDid,
      presenter: vp.holder,
      validGuardianships: family.guardianships.filter((g) => g.problems.length === 0).map((g) => g.view!.subject),
      isListedGuardian: family.isListedGuardian,
      destination: policy.destination,
      required: policy.requireConsent,
      env,
    },
    report.problems,
  );

  // 4. The verdict: an alert on any genuine birth credential in it stops the child, whoever presents it.
  const facts = presentationFacts(family, { holder: vp.holder, signature, travel }, env);
  const asOfs = enclosed.checks.map((c) => c.asOf).filter((a): a is number => a !== undefined);
  return answer({
    alerts: enclosed.checks.flatMap((c) => c.alerts),
    ...(facts === undefined ? {} : { facts }),
    ...(asOfs.length > 0 ? { asOf: Math.min(...asOfs) } : {}),
  });
}

/** This checkpoint's challenge and rules for one presentation (caller mistakes throw `INVALID_ARGUMENT`). */
interface PresentationPolicy {
  readonly nonce: string | undefined;
  readonly domain: string | undefined;
  /** Seconds. */
  readonly maxAge: number;
  readonly destination: string | undefined;
  readonly requireConsent: boolean;
  readonly boundCredentials: readonly string[];
}

function presentationPolicy(opts: VerifyPresentationOptions, env: VerifyEnv): PresentationPolicy {
  const maxAge = opts.maxPresentationAge ?? 600;
  if (typeof maxAge !== 'number' || !(maxAge > 0)) throw new CradleError('INVALID_ARGUMENT', 'maxPresentationAge must be a positive number of seconds');
  const destination = destinationOf(opts.destination);
  const requireConsent = opts.requireTravelConsent ?? env.ctx.state.config?.requireTravelConsent ?? false;
  if (typeof requireConsent !== 'boolean') throw new CradleError('INVALID_ARGUMENT', 'requireTravelConsent must be true or false');
  return { nonce: opts.nonce, domain: opts.domain, maxAge, destination, requireConsent, boundCredentials: opts.boundCredentials ?? [] };
}

function destinationOf(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  const code = typeof v === 'string' ? v.trim().toUpperCase() : '';
  if (!ISO_3166_ALPHA2.includes(code)) throw new CradleError('INVALID_ARGUMENT', 'destination must be a two-letter ISO 3166-1 country code (for example UG).');
  return code;
}

/** The decoded presentation and its presenter, or undefined (reported) when it is not a checkpoint presentation. */
function readPresentation(jwt: string, report: ProblemReport): { token: DecodedToken; holder: string } | undefined {
  const token = decodeToken(jwt, TYP_VP_JWT, MAX_PRESENTATION_BYTES, report.where, report.problems);
  if (token === undefined) return undefined;
  const p = token.payload;
  const types = Array.isArray(p.type) ? p.type : [p.type];
  const holder = p.holder;
  if (!types.includes('VerifiablePresentation') || typeof holder !== 'string') {
    report.add('MALFORMED', 'This is not a checkpoint presentation (it names no presenter): it is rejected.');
    return undefined;
  }
  if (p.iss !== holder) report.add('ISSUER_MISMATCH', 'The presentation names two different presenters: it is rejected.');
  return { token, holder };
}

/** Replay protection: the nonce and domain this checkpoint issued, and a short lifetime. */
function checkChallenge(p: Readonly<Record<string, unknown>>, policy: PresentationPolicy, env: VerifyEnv, report: ProblemReport): void {
  if (policy.nonce === undefined || policy.nonce === '') {
    report.add('CHALLENGE_MISMATCH', 'No nonce was given: a presentation can only be checked against the nonce this checkpoint issued for it.');
  } else if (p.nonce !== policy.nonce) {
    report.add('CHALLENGE_MISMATCH', 'The presentation was made for another request (wrong nonce): it may be a replay. Ask the guardian to present again.');
  }
  const aud = p.aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.slice(0, 8) : [];
  if (policy.domain === undefined || policy.domain === '') {
    report.add('DOMAIN_MISMATCH', "No checkpoint domain was given: a presentation can only be checked against this checkpoint's domain.");
  } else if (!audiences.includes(policy.domain)) {
    report.add('DOMAIN_MISMATCH', 'The presentation was made for another checkpoint (wrong domain): it may be a replay. Ask the guardian to present again.');
  }
  const iat = p.iat === undefined ? undefined : parseNumericDate(p.iat);
  const exp = p.exp === undefined ? undefined : parseNumericDate(p.exp);
  const skew = env.clockSkew;
  if (iat === null || exp === null || (iat === undefined && exp === undefined)) {
    report.add('PRESENTATION_EXPIRED', 'The presentation has no readable time: ask the guardian to present again.');
  } else if (exp !== undefined && env.now - skew >= exp) {
    report.add('PRESENTATION_EXPIRED', `The presentation expired at ${humanTime(exp)}: ask the guardian to present again.`);
  } else if (iat !== undefined && (env.now - skew > iat + policy.maxAge || iat > env.now + skew)) {
    report.add('PRESENTATION_EXPIRED', `The presentation was made at ${humanTime(iat)}, which is not now: ask the guardian to present again.`);
  }
}

/**
 * Check every credential the presentation encloses, and the SD-JWT VCs sent beside it (one identical to
 * an enclosed credential counts once); undefined (reported) when there are too many to check.
 */
async function checkEnclosed(
  p: Readonly<Record<string, unknown>>,
  policy: PresentationPolicy,
  env: VerifyEnv,
  report: ProblemReport,
): Promise<{ checks: CredentialCheck[]; consents: ReadConsent[] } | undefined> {
  const enclosed: unknown[] = Array.isArray(p.verifiableCredential) ? p.verifiableCredential : p.verifiableCredential === undefined ? [] : [p.verifiableCredential];
  const beside = policy.boundCredentials.filter((t) => !enclosed.some((e) => readEnvelopedCredential(e) === t));
  const all: unknown[] = [...enclosed, ...beside];
  if (all.length > MAX_CREDENTIALS) {
    report.add('MALFORMED', `The presentation carries too many credentials (${all.length}): it is rejected.`);
    return undefined;
  }
  const checks: CredentialCheck[] = [];
  const consents: ReadConsent[] = [];
  for (let i = 0; i < all.length; i++) {
    const found = await checkOneEnclosed(all[i], { index: i, beside: i >= enclosed.length, policy, env, report });
    if (found?.check !== undefined) checks.push(found.check);
    if (found?.consent !== undefined) consents.push(found.consent);
  }
  return { checks, consents };
}

/**
 * One enclosed item: an SD-JWT VC (its key binding must answer this checkpoint's challenge), a
 * registrar credential, or a guardian's travel consent (judged against the guardianship later).
 */
async function checkOneEnclosed(
  item: unknown,
  at: { index: number; beside: boolean; policy: PresentationPolicy; env: VerifyEnv; report: ProblemReport },
): Promise<{ check?: CredentialCheck; consent?: ReadConsent } | undefined> {
  const { policy, env } = at;
  const here = new ProblemReport(`credential[${at.index}]`, at.report.problems);
  const token = readEnvelopedCredential(item);
  if (token === undefined) {
    here.add('MALFORMED', `Credential #${at.index + 1} in the presentation is not in a readable form: it is rejected.`);
    return undefined;
  }
  if (at.beside && !isSdJwt(token)) {
    here.add('MALFORMED', `Credential #${at.index + 1} was sent beside the presentation without a key binding (only an SD-JWT VC can be): it is rejected.`);
    return undefined;
  }
  if (isSdJwt(token)) {
    const binding = { ...(policy.nonce === undefined ? {} : { nonce: policy.nonce }), ...(policy.domain === undefined ? {} : { domain: policy.domain }), maxAge: policy.maxAge };
    const check = await checkCredentialToken(token, env, here.where, binding);
    here.problems.push(...check.problems);
    return { check };
  }
  // Decoded once, whether it turns out to be a credential or a travel consent.
  const found: VerificationProblem[] = [];
  const decoded = decodeCredentialToken(token, here.where, found);
  if (decoded !== undefined && isDecodedTravelConsent(token, decoded)) {
    const consent = await readDecodedConsent(decoded, found, env, here.where, here.problems);
    return consent === undefined ? undefined : { consent };
  }
  const check = await checkDecodedCredential(decoded, env, here.where, found);
  here.problems.push(...check.problems);
  return { check };
}

/** The birth credential, the guardianship credentials for its child, and whether the presenter is a guardian listed in a valid one. */
interface Family {
  readonly birth: CredentialCheck | undefined;
  readonly childDid: string | undefined;
  readonly guardianships: readonly CredentialCheck[];
  readonly isListedGuardian: boolean;
}

function judgePresenter(checks: readonly CredentialCheck[], holder: string, report: ProblemReport): Family {
  const births = checks.filter((c) => c.view !== undefined && credentialKind(c.view) === 'birth-registration');
  const birth = births[0];
  if (birth?.view === undefined) {
    report.add('MALFORMED', 'The presentation does not contain a birth registration credential.');
  } else if (births.length > 1) {
    report.add('MALFORMED', 'The presentation contains more than one birth registration: it is rejected.');
  }
  const childDid = birth?.view?.subjectId;
  const guardianships = checks.filter((c) => c.view !== undefined && credentialKind(c.view) === 'guardianship' && childDid !== undefined && c.view.subjectId === childDid);
  let isListedGuardian = false;
  if (birth?.view !== undefined) {
    if (guardianships.length === 0) {
      report.add('GUARDIANSHIP_MISSING', 'The presentation has no guardianship credential for this child, so the presenter cannot be confirmed as a guardian.');
    } else {
      // Only a guardianship credential that passed every check may vouch for the presenter.
      isListedGuardian = guardianships.some((g) => g.problems.length === 0 && listedGuardians(g.view!.subject).includes(holder));
      const listedAnywhere = guardianships.some((g) => listedGuardians(g.view!.subject).includes(holder));
      if (!isListedGuardian && !listedAnywhere) {
        report.add('HOLDER_NOT_GUARDIAN', 'The person presenting is not a listed guardian of this child: do not hand the child over on this basis.');
      }
    }
  }
  return { birth, childDid, guardianships, isListedGuardian };
}

/**
 * The facts shown to the officer: the birth credential's, and the presenter as a guardian (name and
 * document from a guardianship credential whose signature verified, preferring one that passed every
 * check). Only when the presenter's own signature verified.
 */
function presentationFacts(
  family: Family,
  presented: { holder: string; signature: SignatureCheck; travel: { consents: TravelConsentFacts[]; status?: TravelConsentStatus } },
  env: VerifyEnv,
): VerificationFacts | undefined {
  const { birth, guardianships, isListedGuardian } = family;
  const { holder, travel } = presented;
  if (birth === undefined || presented.signature !== 'verified') return undefined;
  const base = credentialFacts(birth, env.nowDate);
  if (base === undefined) return undefined;
  const lists = (g: CredentialCheck): boolean => g.signature === 'verified' && listedGuardians(g.view!.subject).includes(holder);
  const source = guardianships.find((g) => g.problems.length === 0 && lists(g)) ?? guardianships.find(lists);
  const recorded = source === undefined ? {} : recordedGuardian(source.view!.subject, holder);
  return {
    ...base,
    guardian: { did: holder, isListedGuardian, ...recorded },
    ...(travel.consents.length > 0 ? { consents: travel.consents } : {}),
    ...(travel.status === undefined ? {} : { travelConsent: travel.status }),
    ...(birth.alertCheck === undefined ? {} : { alertCheck: birth.alertCheck }),
  };
}
