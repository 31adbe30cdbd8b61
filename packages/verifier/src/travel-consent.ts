import type { CradleErrorCode, GuardianRole, VerificationProblem } from '@cradle/core';
import { isTravelConsentPayload, readTravelConsent } from '@cradle/core';
import { checkSignature } from './jws.js';
import type { DecodedToken } from './jws.js';
import { humanTime, problem } from './messages.js';
import type { VerifyEnv } from './options.js';
import { displayText } from '@cradle/core';
import { recordedGuardian } from './presenter.js';

/** Largest travel consent token accepted (characters). */
export const MAX_TRAVEL_CONSENT_BYTES = 8 * 1024;

/** Roles whose consent the travel-consent policy requires (a custodial organisation is not a parent). */
export const CONSENTING_ROLES: readonly GuardianRole[] = ['mother', 'father', 'parent', 'legal-guardian'];

/** A travel consent shown in a presentation, and whether it counts here. */
export interface TravelConsentFacts {
  readonly id: string;
  /** The consenting guardian's DID (the signer). */
  readonly by: string;
  /** Their role and name as the guardianship credential records them (untrusted text: sanitize). */
  readonly byRole?: GuardianRole;
  readonly byName?: string;
  /** The adult the child may travel with. */
  readonly traveller: string;
  readonly countries: readonly string[];
  /** ISO 8601. */
  readonly validFrom: string;
  readonly validUntil: string;
  /** True when it counts at this checkpoint now: signed by a listed guardian, for this child, this presenter, this destination, in its window. */
  readonly counts: boolean;
  /** Why it does not count. */
  readonly reason?: { readonly code: CradleErrorCode; readonly message: string };
}

/** A listed guardian whose consent the presenter needs, and whether a consent that counts was shown. */
export interface ConsentRequirement {
  readonly did: string;
  readonly role?: GuardianRole;
  readonly name?: string;
  readonly given: boolean;
}

/** The travel-consent part of a presentation's verdict. */
export interface TravelConsentStatus {
  /** True when this checkpoint's policy requires consent from every other listed parent. */
  readonly required: boolean;
  /** The destination checked (ISO 3166-1 alpha-2), when the officer gave one. */
  readonly destination?: string;
  /** The other listed parents (from valid guardianship credentials listing the presenter), and whose consent was shown. */
  readonly from: readonly ConsentRequirement[];
}

/** A consent decoded from a presentation, before the guardianship and presenter checks. */
export interface ReadConsent {
  readonly facts: Omit<TravelConsentFacts, 'counts' | 'reason' | 'byRole' | 'byName'>;
  readonly child: string;
  readonly validFromS: number;
  readonly validUntilS: number;
  readonly signatureOk: boolean;
}

/**
 * True when a credential token in a presentation, already decoded (`decodeCredentialToken`), is a travel
 * consent: a `vc+jwt` of at most {@link MAX_TRAVEL_CONSENT_BYTES} whose payload `type` says so.
 */
export function isDecodedTravelConsent(token: string, decoded: DecodedToken): boolean {
  return token.length <= MAX_TRAVEL_CONSENT_BYTES && decoded.typ === 'vc+jwt' && isTravelConsentPayload(decoded.payload);
}

/**
 * Read a travel consent and check its signature against the consenting guardian's did:key. An
 * unreadable or forged consent is a problem of the presentation (pushed to `problems`); one that reads
 * and verifies is returned for {@link judgeConsents}. `local` holds what decoding the token found.
 */
export async function readDecodedConsent(decoded: DecodedToken, local: VerificationProblem[], env: VerifyEnv, where: string, problems: VerificationProblem[]): Promise<ReadConsent | undefined> {
  const read = readTravelConsent(decoded.payload);
  if (!read.ok) {
    problems.push(problem(read.code, `${read.message} It is rejected.`, where));
    return undefined;
  }
  if (local.length > 0) {
    // Decoding already refused the token (e.g. a header that could smuggle in a key): a guardian's valid
    // signature does not make such a token acceptable, the same rule as for every other token.
    problems.push(...local);
    return undefined;
  }
  const c = read.consent;
  const signature = await checkSignature(decoded, c.by, 'assertionMethod', env.keysOf, env.verifier, where, local);
  if (signature === 'failed') {
    // The presenter carried a consent that is not what its signer signed: the whole presentation is suspect.
    problems.push(
      ...local.map((p) => ({ ...p, message: `The travel consent in the presentation does not carry a valid signature of the guardian it names: it was altered or forged. (${p.code})` })),
    );
    return undefined;
  }
  return {
    facts: {
      id: c.id,
      by: c.by,
      traveller: c.traveller,
      countries: c.countries,
      validFrom: new Date(c.validFrom * 1000).toISOString(),
      validUntil: new Date(c.validUntil * 1000).toISOString(),
    },
    child: c.child,
    validFromS: c.validFrom,
    validUntilS: c.validUntil,
    // 'unknown-issuer': a signer whose keys this checkpoint cannot know (not a did:key): shown, never counted.
    signatureOk: signature === 'verified',
  };
}

/** Inputs of {@link judgeConsents}. */
export interface JudgeConsentsInput {
  readonly consents: readonly ReadConsent[];
  readonly childDid: string | undefined;
  readonly presenter: string;
  /** Subjects of the guardianship credentials for this child that passed every check. */
  readonly validGuardianships: readonly Readonly<Record<string, unknown>>[];
  readonly isListedGuardian: boolean;
  readonly destination: string | undefined;
  readonly required: boolean;
  readonly env: VerifyEnv;
}

function listedIn(subject: Readonly<Record<string, unknown>>, did: string): boolean {
  return Array.isArray(subject.guardians) && subject.guardians.slice(0, 32).some((g: unknown) => typeof g === 'object' && g !== null && (g as { id?: unknown }).id === did);
}

/**
 * Decide which consents count and, under the policy, whether every other listed parent consented.
 * Pushes `TRAVEL_CONSENT_MISSING` (invalid) when the policy requires a consent that was not shown or
 * does not count; without the policy only the facts report them.
 */
export function judgeConsents(input: JudgeConsentsInput, problems: VerificationProblem[]): { consents: TravelConsentFacts[]; status?: TravelConsentStatus } {
  const { env } = input;
  const consents: TravelConsentFacts[] = input.consents.map((c) => {
    const guardianship = input.validGuardianships.find((g) => listedIn(g, c.facts.by));
    const recorded = guardianship === undefined ? {} : recordedGuardian(guardianship, c.facts.by);
    const who = {
      ...c.facts,
      ...(recorded.role === undefined ? {} : { byRole: recorded.role }),
      ...(recorded.name === undefined ? {} : { byName: recorded.name }),
    };
    const reason = ((): TravelConsentFacts['reason'] => {
      if (!c.signatureOk) return { code: 'ISSUER_UNKNOWN', message: "Its signer's keys are not known here, so its signature cannot be checked." };
      if (input.childDid === undefined || c.child !== input.childDid) return { code: 'SUBJECT_MISMATCH', message: 'It is for another child.' };
      if (guardianship === undefined) {
        return { code: 'CONSENT_NOT_FROM_GUARDIAN', message: 'It is signed by someone who is not a listed guardian of this child in a valid guardianship credential.' };
      }
      if (c.facts.traveller !== input.presenter) return { code: 'CONSENT_TRAVELLER_MISMATCH', message: 'It names another adult as the traveller, not the person presenting.' };
      if (c.facts.by === c.facts.traveller) return { code: 'CONSENT_TRAVELLER_MISMATCH', message: 'It is signed by the traveller for themself: a consent comes from the parent who stays behind.' };
      if (env.now + env.clockSkew < c.validFromS) return { code: 'NOT_YET_VALID', message: `It is not valid before ${humanTime(c.validFromS)}.` };
      if (env.now - env.clockSkew >= c.validUntilS) return { code: 'EXPIRED', message: `It expired on ${humanTime(c.validUntilS)}.` };
      if (input.destination !== undefined && !c.facts.countries.includes(input.destination)) {
        return { code: 'CONSENT_DESTINATION_MISMATCH', message: `It is for ${c.facts.countries.join(', ')}, not ${input.destination}.` };
      }
      return undefined;
    })();
    return { ...who, counts: reason === undefined, ...(reason === undefined ? {} : { reason }) };
  });

  if (!input.isListedGuardian) return { consents };
  // The other parents: every guardian listed with the presenter in a valid guardianship credential.
  const from = new Map<string, ConsentRequirement>();
  for (const g of input.validGuardianships) {
    if (!listedIn(g, input.presenter) || !Array.isArray(g.guardians)) continue;
    for (const entry of g.guardians.slice(0, 32) as unknown[]) {
      const did = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
      if (typeof did !== 'string' || did === input.presenter || from.has(did)) continue;
      const recorded = recordedGuardian(g, did);
      if (recorded.role === undefined || !CONSENTING_ROLES.includes(recorded.role)) continue;
      const given = consents.some((c) => c.counts && c.by === did);
      from.set(did, { did, ...(recorded.role === undefined ? {} : { role: recorded.role }), ...(recorded.name === undefined ? {} : { name: recorded.name }), given });
    }
  }
  const status: TravelConsentStatus = {
    required: input.required,
    ...(input.destination === undefined ? {} : { destination: input.destination }),
    from: [...from.values()],
  };
  if (input.required) {
    for (const need of status.from) {
      if (need.given) continue;
      const shown = consents.filter((c) => c.by === need.did && !c.counts);
      const whom = `the ${need.role ?? 'other guardian'}${need.name === undefined ? '' : ` (${displayText(need.name, { maxLength: 200 })})`}`;
      const why = shown.length === 0 ? 'none was shown' : `the one shown does not count: ${shown.map((c) => c.reason?.message ?? '').join(' ')}`;
      problems.push(
        problem(
          'TRAVEL_CONSENT_MISSING',
          `This checkpoint requires the consent of every other parent for a child travelling with one: no valid consent from ${whom} (${why}). Do not let the child leave on this basis.`,
          'presentation',
        ),
      );
    }
  }
  return { consents, status };
}
