import type { VerificationResult } from '@cradle/verifier';

/** One line for the audience: the verdict, whose credential, who presented it, and why not (each reason once). */
export function describe(r: VerificationResult): string {
  const who = r.facts?.child ? `${r.facts.child.givenName} ${r.facts.child.familyName}, born ${r.facts.child.birthDate}` : 'unknown child';
  const headline = r.outcome === 'alert' ? 'CHILD-PROTECTION ALERT' : r.outcome === 'valid' ? 'VALID' : r.outcome === 'invalid' ? 'INVALID' : 'CANNOT CONFIRM';
  // "Not a listed guardian" only when the verifier proved it; stale data leaves guardianship unconfirmed.
  const notGuardian = r.errors.some((e) => e.code === 'HOLDER_NOT_GUARDIAN');
  const guardian = !r.facts?.guardian
    ? ''
    : r.facts.guardian.isListedGuardian
      ? '; presented by a listed guardian'
      : notGuardian
        ? '; presenter is NOT a listed guardian'
        : '; guardianship not confirmed';
  // The same sentence for two credentials of one presentation is said once.
  const messages = [...new Set([...(r.alerts ?? []), ...r.errors].map((e) => e.message))];
  const problems = messages.length > 0 ? ` — ${messages.join(' ')}` : '';
  return `${headline} (${who}${guardian})${problems}`;
}

/** The distinct error codes of a result, comma-separated (what the demo's checks compare). */
export function codes(r: VerificationResult): string {
  return [...new Set(r.errors.map((e) => e.code))].join(',');
}

/** An outbox report with each list replaced by its length. */
export function summarizeOutbox(report: unknown): unknown {
  if (report && typeof report === 'object') {
    const r = report as Record<string, unknown>;
    return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.isArray(v) ? v.length : v]));
  }
  return report;
}

/** A long identifier shortened for narration. */
export function short(s: string): string {
  return s.length > 28 ? `${s.slice(0, 18)}…${s.slice(-6)}` : s;
}
