import { outcomeOf } from '@cradle/core';
import type { VerificationOutcome, VerificationProblem } from '@cradle/core';
import { checkCredentialToken } from './check-credential.js';
import type { CredentialCheck } from './check-credential.js';
import { credentialKind, listedGuardians } from './claims.js';
import { normalizeInput } from './input.js';
import { problem } from './messages.js';
import { recordedGuardian } from './presenter.js';
import type { VerifyOptions } from './options.js';
import { resolveEnv } from './options.js';
import type { AlertNotice, VerificationFacts } from './result.js';
import { alertNotices, credentialFacts } from './verify-credential.js';

/** Most seals read from one certificate (a birth seal and a guardianship seal, with room for a spare). */
export const MAX_CERTIFICATE_SEALS = 4;

/** An adult the guardianship seal allows to travel with the child, and what to check for them. */
export interface AccompanyingAdult {
  readonly did: string;
  /** The recorded role (`mother`, `father`, `legal-guardian`...), when it is one Cradle knows. */
  readonly role?: string;
  /** The recorded full name (untrusted text: sanitize before display). */
  readonly name?: string;
  /** The recorded identity document to compare (untrusted text: sanitize before display). */
  readonly document?: { readonly type: string; readonly country: string; readonly number: string };
}

/** One seal of the certificate and what its check found. */
export interface SealResult {
  /** `seal 1`, `seal 2`... in the order they were read (the list itself is birth seal first). */
  readonly where: string;
  readonly kind: 'birth-registration' | 'guardianship' | 'other' | 'unreadable';
  readonly outcome: VerificationOutcome;
  readonly errors: readonly VerificationProblem[];
}

/**
 * The answer for a printed certificate. Always a bearer check (`bearer: true`): the paper proves the
 * record is genuine and current, not that the person holding it is the child or a guardian. `outcome`
 * is the worst of the seals': a revoked guardianship seal makes the whole certificate invalid, since
 * the adults it names may no longer travel with the child.
 */
export interface CertificateVerificationResult {
  readonly outcome: VerificationOutcome;
  readonly verified: boolean;
  readonly kind: 'certificate';
  readonly bearer: true;
  /** Every failed check of every seal; `where` names the seal. */
  readonly errors: readonly VerificationProblem[];
  /** The child and registrar, from a birth seal whose signature verified. */
  readonly facts?: VerificationFacts;
  readonly seals: readonly SealResult[];
  /** Child-protection alerts raised on the birth seal (outcome `alert`). Absent when none is raised. */
  readonly alerts?: readonly AlertNotice[];
  /**
   * Adults who may accompany the child: from a guardianship seal for the same child that passed every
   * check, on a certificate whose every seal passed (a failed birth seal means the child the guardianship
   * is matched against is not proved). Empty otherwise.
   */
  readonly accompanying: readonly AccompanyingAdult[];
  readonly statusAge?: { readonly seconds: number; readonly asOf: string };
}

/** The guardians a verified guardianship subject lists, with what the registrar recorded for each. */
function accompanyingAdults(subject: Readonly<Record<string, unknown>>): AccompanyingAdult[] {
  return listedGuardians(subject)
    .slice(0, 8)
    .map((did) => ({ did, ...recordedGuardian(subject, did) }));
}

function relabel(problems: readonly VerificationProblem[], where: string, what: string): VerificationProblem[] {
  return problems.map((p) => ({ ...p, where, message: `${where[0]!.toUpperCase()}${where.slice(1)} (${what}): ${p.message}` }));
}

/**
 * Verify the seals read from a printed birth certificate (e.g. `readQrCodesFromImage` of a photo):
 * each seal is checked as a bare credential (signature, accreditation, validity, claims, status from
 * the synced lists), then the seals are matched: exactly one birth-registration seal, and any
 * guardianship seal must be for the same child. The guardians of a guardianship seal that passed every
 * check are returned as the adults who may accompany the child. Never throws on untrusted input.
 *
 * @example
 * ```ts
 * const r = await verifyCertificate(await readQrCodesFromImage(photo), { store });
 * if (r.outcome === 'valid') show(r.facts?.child, r.accompanying);
 * ```
 */
const SEAL_ORDER: readonly SealResult['kind'][] = ['birth-registration', 'guardianship', 'other', 'unreadable'];

export async function verifyCertificate(seals: readonly string[], opts: VerifyOptions): Promise<CertificateVerificationResult> {
  const env = await resolveEnv(opts);
  const problems: VerificationProblem[] = [];
  const sealResults: SealResult[] = [];
  const checks: { where: string; check: CredentialCheck; kind: SealResult['kind'] }[] = [];
  if (seals.length > MAX_CERTIFICATE_SEALS) {
    problems.push(problem('TOO_LARGE', `The image holds ${seals.length} codes; a certificate has at most ${MAX_CERTIFICATE_SEALS} seals.`, 'certificate'));
  }
  for (const [i, text] of seals.slice(0, MAX_CERTIFICATE_SEALS).entries()) {
    const where = `seal ${i + 1}`;
    const normalized = normalizeInput(text);
    if ('problem' in normalized) {
      const errs = relabel([normalized.problem], where, 'unreadable');
      problems.push(...errs);
      sealResults.push({ where, kind: 'unreadable', outcome: outcomeOf(errs), errors: errs });
      continue;
    }
    const check = await checkCredentialToken(normalized.token, env, 'credential');
    const kind = check.view === undefined ? 'unreadable' : credentialKind(check.view);
    const errs = relabel(check.problems, where, kind === 'birth-registration' ? 'birth registration' : kind === 'guardianship' ? 'guardianship' : 'unknown credential');
    problems.push(...errs);
    sealResults.push({ where, kind, outcome: outcomeOf(errs), errors: errs });
    checks.push({ where, check, kind });
  }

  const births = checks.filter((c) => c.kind === 'birth-registration');
  if (births.length !== 1) {
    problems.push(
      problem(
        'MALFORMED',
        births.length === 0
          ? 'No birth registration seal was found: scan the whole certificate, with both seals in view.'
          : 'The image holds more than one birth registration seal: scan one certificate at a time.',
        'certificate',
      ),
    );
  }
  const birth = births.length === 1 ? births[0]! : undefined;
  const facts = birth === undefined ? undefined : credentialFacts(birth.check, env.nowDate);
  const childDid = birth?.check.view?.subjectId;
  const accompanying: AccompanyingAdult[] = [];
  for (const g of checks.filter((c) => c.kind === 'guardianship')) {
    if (childDid === undefined || g.check.view?.subjectId !== childDid) {
      problems.push(problem('SUBJECT_MISMATCH', `${g.where[0]!.toUpperCase()}${g.where.slice(1)} (guardianship) is for a different child than the birth seal: this paper was tampered with.`, g.where));
      continue;
    }
    // Only a guardianship seal that passed every check may say who travels with the child.
    if (g.check.problems.length === 0 && g.check.signature === 'verified') accompanying.push(...accompanyingAdults(g.check.view.subject));
  }
  const alerts = alertNotices(checks.flatMap((c) => c.check.alerts));
  const outcome = alerts.length > 0 ? 'alert' : outcomeOf(problems);
  const asOf = checks.reduce<number | undefined>((a, c) => (c.check.asOf === undefined ? a : a === undefined ? c.check.asOf : Math.min(a, c.check.asOf)), undefined);
  return {
    outcome,
    verified: outcome === 'valid',
    kind: 'certificate',
    bearer: true,
    errors: problems,
    ...(alerts.length > 0 ? { alerts } : {}),
    ...(facts === undefined ? {} : { facts }),
    // Seals are listed birth first, then guardianship, whatever order the image reader found them in.
    seals: [...sealResults].sort((a, b) => SEAL_ORDER.indexOf(a.kind) - SEAL_ORDER.indexOf(b.kind)),
    // A paper that is not valid names no adult: the birth seal that says who the child is may be forged.
    accompanying: outcome === 'valid' ? accompanying : [],
    ...(asOf === undefined ? {} : { statusAge: { seconds: Math.max(0, env.now - asOf), asOf: new Date(asOf * 1000).toISOString() } }),
  };
}
