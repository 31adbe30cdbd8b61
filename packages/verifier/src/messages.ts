import { displayText } from '@cradle/core';
import type { VerificationCode, VerificationProblem } from '@cradle/core';

/**
 * Build a problem; `where` names the artefact (`credential`, `credential[1]`, `presentation`). Messages
 * embed untrusted text (issuer DIDs, key ids), so they are sanitized here, where they are built: every
 * consumer (CLI, web app, JSON readers that show them) gets text that is safe to show a person.
 */
export function problem(code: VerificationCode, message: string, where?: string): VerificationProblem {
  const safe = displayText(message, { maxLength: 1000 });
  return where === undefined ? { code, message: safe } : { code, message: safe, where: displayText(where, { maxLength: 100 }) };
}

/** "3 hours", "9 days", "45 seconds": ages an officer can read at a glance. */
export function humanDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const unit = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (s < 120) return unit(s, 'second');
  if (s < 7200) return unit(Math.round(s / 60), 'minute');
  if (s % 86_400 === 0) return unit(s / 86_400, 'day');
  if (s < 172_800) return unit(Math.round(s / 3600), 'hour');
  return unit(Math.round(s / 86_400), 'day');
}

/** Date for messages: `2026-11-23 10:00 UTC`. */
export function humanTime(unixSeconds: number): string {
  if (!Number.isFinite(unixSeconds)) return 'an unknown time';
  return `${new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** What the artefact is called in messages. */
export function artefactName(where: string | undefined): string {
  if (where === undefined || where === 'credential') return 'This credential';
  if (where === 'presentation') return 'This presentation';
  return `Credential ${where.replace(/^credential\[(\d+)\]$/, (_, i: string) => `#${Number(i) + 1}`)} in the presentation`;
}

/**
 * The problems found about one artefact (`where`: `presentation`, `credential[1]`): a check reports into
 * it with {@link ProblemReport.add} instead of taking a `problems` array and a `where` string. The array
 * and the name stay readable for calls that take them (`decodeToken`, `checkSignature`).
 *
 * @example
 * ```ts
 * const report = new ProblemReport('presentation');
 * report.add('CHALLENGE_MISMATCH', 'The presentation was made for another request.');
 * ```
 */
export class ProblemReport {
  constructor(
    readonly where: string,
    readonly problems: VerificationProblem[] = [],
  ) {}

  /** What the artefact is called in messages ("This credential", "Credential #2 in the presentation"). */
  get name(): string {
    return artefactName(this.where);
  }

  add(code: VerificationCode, message: string): void {
    this.problems.push(problem(code, message, this.where));
  }
}
