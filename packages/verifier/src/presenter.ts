import type { GuardianRole, IdentityDocument, IdentityDocumentType } from '@cradle/core';
import { ISO_3166_ALPHA2, displayText as coreDisplayText } from '@cradle/core';

/**
 * Who presented, as the guardianship credential records them: what a border officer compares with the
 * adult standing in front of them (Schengen Borders Code, Annex VII point 6).
 */
export interface PresenterFacts {
  /** The presenter's DID (the key that signed the presentation). */
  readonly did: string;
  /** True when a guardianship credential that passed every check lists this DID for the child. */
  readonly isListedGuardian: boolean;
  /** The role the registrar recorded (`mother`, `father`, `parent`, `legal-guardian`, `custodial-organisation`). */
  readonly role?: GuardianRole;
  /** The adult's full name as the registrar recorded it (untrusted text: sanitize before display). */
  readonly name?: string;
  /** The identity document to compare (untrusted text: sanitize before display). */
  readonly document?: IdentityDocument;
}

const ROLES: readonly string[] = ['mother', 'father', 'parent', 'legal-guardian', 'custodial-organisation'];
const DOCUMENT_TYPES: readonly string[] = ['passport', 'national-id', 'other'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function boundedText(v: unknown, max: number): string | undefined {
  return typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined;
}

/**
 * The recorded role, name and identity document of guardian `did` in a guardianship credential subject.
 * Reads defensively (every field narrowed and bounded): callers pass subjects whose signature verified,
 * but this never throws on any input.
 */
export function recordedGuardian(subject: Readonly<Record<string, unknown>>, did: string): Omit<PresenterFacts, 'did' | 'isListedGuardian'> {
  const list = Array.isArray(subject.guardians) ? subject.guardians.slice(0, 32) : [];
  const entry = list.find((g: unknown) => isRecord(g) && g.id === did);
  if (!isRecord(entry)) return {};
  const role = typeof entry.role === 'string' && ROLES.includes(entry.role) ? (entry.role as GuardianRole) : undefined;
  const name = boundedText(entry.name, 200);
  const d = entry.document;
  let document: IdentityDocument | undefined;
  if (isRecord(d)) {
    const type = typeof d.type === 'string' && DOCUMENT_TYPES.includes(d.type) ? (d.type as IdentityDocumentType) : undefined;
    const country = typeof d.country === 'string' && ISO_3166_ALPHA2.includes(d.country) ? d.country : undefined;
    const number = boundedText(d.number, 40);
    if (type !== undefined && country !== undefined && number !== undefined) document = { type, country, number };
  }
  return { ...(role === undefined ? {} : { role }), ...(name === undefined ? {} : { name }), ...(document === undefined ? {} : { document }) };
}

/** Untrusted text for a person (recorded names, document numbers): core's one sanitizer, one line, bounded. */
function displayText(text: string, max = 200): string {
  return coreDisplayText(text, { maxLength: max }).trim();
}

const DOCUMENT_WORDS: Record<IdentityDocumentType, string> = { passport: 'passport', 'national-id': 'national ID card', other: 'identity document' };

/**
 * The one sentence that tells the officer what to compare, from the recorded name and document:
 * "Check the adult's passport (KE): number AK1234567, name Grace Akinyi Otieno". Untrusted text is
 * sanitized. `undefined` when the guardianship credential recorded neither.
 *
 * @example
 * ```ts
 * const line = presenterInstruction(result.facts?.guardian);
 * if (line !== undefined) show(line);
 * ```
 */
export function presenterInstruction(presenter: PresenterFacts | undefined): string | undefined {
  if (presenter === undefined) return undefined;
  const name = presenter.name === undefined ? undefined : displayText(presenter.name);
  const doc = presenter.document;
  if (doc !== undefined) {
    const what = `Check the adult's ${DOCUMENT_WORDS[doc.type]} (${displayText(doc.country, 2)}): number ${displayText(doc.number, 40)}`;
    return name === undefined ? what : `${what}, name ${name}`;
  }
  return name === undefined ? undefined : `Check the adult's identity document: name ${name}`;
}
