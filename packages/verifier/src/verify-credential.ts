import { alertNotice, outcomeOf } from '@cradle/core';
import type { AlertKind, VerificationProblem } from '@cradle/core';
import { checkCredentialToken } from './check-credential.js';
import { childFacts, credentialKind, listedGuardians, registeringOfficeName } from './claims.js';
import { normalizeInput } from './input.js';
import type { VerifyOptions } from './options.js';
import { resolveEnv } from './options.js';
import type { AlertNotice, VerificationFacts, VerificationResult } from './result.js';
import type { CredentialCheck } from './check-credential.js';

/** The officer's notice for each distinct alert kind raised. */
export function alertNotices(kinds: readonly AlertKind[]): AlertNotice[] {
  return [...new Set(kinds)].map((k) => ({ ...alertNotice(k), kind: k }));
}

/** Build the result object from problems (shared by credentials and presentations). */
export function resultOf(
  kind: 'credential' | 'presentation',
  problems: readonly VerificationProblem[],
  extra: { facts?: VerificationFacts; asOf?: number; now: number; alerts?: readonly AlertKind[] },
): VerificationResult {
  const alerts = extra.alerts === undefined || extra.alerts.length === 0 ? undefined : alertNotices(extra.alerts);
  const outcome = alerts !== undefined ? 'alert' : outcomeOf(problems);
  const result: { -readonly [K in keyof VerificationResult]: VerificationResult[K] } = { outcome, verified: outcome === 'valid', kind, bearer: kind === 'credential', errors: problems };
  if (alerts !== undefined) result.alerts = alerts;
  if (extra.facts !== undefined) result.facts = extra.facts;
  if (extra.asOf !== undefined) result.statusAge = { seconds: Math.max(0, extra.now - extra.asOf), asOf: isoTime(extra.asOf) };
  return result;
}

// The time of the status data (one list sync) is the same for every verification until the next sync.
let lastIsoTime = { seconds: Number.NaN, text: '' };

function isoTime(seconds: number): string {
  if (seconds !== lastIsoTime.seconds) lastIsoTime = { seconds, text: new Date(seconds * 1000).toISOString() };
  return lastIsoTime.text;
}

/** Facts from a credential whose signature verified (never from an unverified payload). */
export function credentialFacts(check: CredentialCheck, now: Date): VerificationFacts | undefined {
  const view = check.view;
  if (view === undefined || check.signature !== 'verified') return undefined;
  const registrar = { did: view.issuer, trusted: check.trusted };
  const kind = credentialKind(view);
  if (kind === 'birth-registration') {
    const rn = view.subject.registrationNumber;
    const office = registeringOfficeName(view.subject);
    // Members set one by one, in this order (no object spread per optional member, once per verification).
    const facts: { -readonly [K in keyof VerificationFacts]?: VerificationFacts[K] } = { child: childFacts(view.subject, now) };
    if (view.subjectId !== undefined) facts.childDid = view.subjectId;
    if (typeof rn === 'string') facts.registrationNumber = rn.slice(0, 100);
    if (office !== '') facts.registeringOffice = office;
    facts.registrar = registrar;
    if (check.alertCheck !== undefined) facts.alertCheck = check.alertCheck;
    return facts as VerificationFacts;
  }
  if (kind === 'guardianship') {
    return { ...(view.subjectId === undefined ? {} : { childDid: view.subjectId }), registrar, guardians: listedGuardians(view.subject) };
  }
  return { registrar };
}

/**
 * Verify a bare credential offline: a compact JWS (`vc+jwt` or VCDM 1.1 JWT-VC) or a `CRADLE5:` (or earlier) QR
 * payload. The answer is a bearer check (`bearer: true`): it says nothing about who presents it.
 * Never throws on untrusted input; throws `INVALID_ARGUMENT` for caller mistakes (no store).
 *
 * @example
 * ```ts
 * const r = await verifyCredential(qrText, { store, now: Date.now });
 * if (r.outcome === 'valid') show(r.facts?.child);
 * else for (const e of r.errors) console.log(e.code, e.message);
 * ```
 */
export async function verifyCredential(input: string, opts: VerifyOptions): Promise<VerificationResult> {
  const env = await resolveEnv(opts);
  const normalized = normalizeInput(input);
  if ('problem' in normalized) return resultOf('credential', [normalized.problem], { now: env.now });
  const check = await checkCredentialToken(normalized.token, env, 'credential');
  return resultOf('credential', check.problems, { now: env.now, alerts: check.alerts, facts: credentialFacts(check, env.nowDate), asOf: check.asOf });
}
