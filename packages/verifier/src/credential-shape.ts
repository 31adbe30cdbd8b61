import type { JwtCredentialFormat, CredentialReadProblem, CredentialView, VerificationProblem } from '@cradle/core';
import { readCredential as readCredentialFormat } from '@cradle/core';
import { artefactName, problem } from './messages.js';

export type { CredentialView } from '@cradle/core';

function sentence(p: CredentialReadProblem, who: string): string {
  // The rules live in @cradle/core's credential reader; the officer's wording lives here.
  if (p.code === 'ISSUER_MISMATCH') return `${who} names two different issuers (inside and outside the signature): it is rejected.`;
  if (p.code === 'SUBJECT_MISMATCH') return `${who} names two different children (inside and outside the signature): it is rejected.`;
  return `${who} ${p.reason}: it is rejected.`;
}

/**
 * Read a credential payload with `@cradle/core`'s reader. Problems are pushed (`MALFORMED`,
 * `ISSUER_MISMATCH`, `SUBJECT_MISMATCH`) in officer wording; returns `undefined` when the payload is not a
 * credential at all.
 */
export function readCredential(
  payload: Readonly<Record<string, unknown>>,
  format: JwtCredentialFormat,
  where: string,
  problems: VerificationProblem[],
): CredentialView | undefined {
  const read = readCredentialFormat(payload, format);
  const who = artefactName(where);
  for (const p of read.problems) problems.push(problem(p.code, sentence(p, who), where));
  return read.credential;
}
