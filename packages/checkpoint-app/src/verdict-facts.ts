/**
 * The facts of a verdict: what an officer compares with the child, the adult and the papers in front of
 * them (names, not identifiers). Values from the credential or the trust list are someone else's words:
 * text only, each in its own bidi isolate (`<bdi>`), so a Latin name reads right in Arabic and no string
 * can reorder its neighbours.
 */
import { el } from './dom.js';
import { countryName, formatAge, formatBirthDate } from './format.js';
import type { Messages } from './i18n/messages.js';
import { isVerificationCode } from './i18n/verification-codes.js';
import type { CheckpointResult, ConsentLine, RecordedAdult } from './verifier-adapter.js';

/** A piece of a fact: our own words, or someone else's (shown as text in a bidi isolate). */
type Part = string | { untrusted: string };

/** Appends one fact (`<dt>label</dt><dd data-fact=key>parts</dd>`). */
type Fact = (label: string, key: string, ...parts: Part[]) => void;

/** The facts list `dl` of the verdict screen, written in `m`'s words. */
interface FactContext {
  fact: Fact;
  m: Messages;
  intl: string;
}

function appendParts(dd: HTMLElement, parts: readonly Part[]): void {
  for (const part of parts) dd.append(typeof part === 'string' ? part : el('bdi', part.untrusted));
}

/**
 * "Mother: Grace Akinyi Otieno · passport (Kenya) AK1234567": the recorded adult to compare with the
 * person in front of the officer. With `withRole`, the role leads; with no document, say what to do.
 */
function adultParts(a: RecordedAdult, m: Messages, intl: string, withRole: boolean): Part[] {
  const parts: Part[] = [];
  const role = withRole && a.role ? (m.roles as Record<string, string>)[a.role] : undefined;
  if (role) parts.push(a.name ? `${role}: ` : role);
  if (a.name) parts.push({ untrusted: a.name });
  if (a.document) {
    const type = (m.documentTypes as Record<string, string>)[a.document.type] ?? m.documentTypes.other;
    parts.push(`${parts.length > 0 ? ' · ' : ''}${type} (${countryName(a.document.country, intl)}) `, { untrusted: a.document.number });
  } else if (withRole) parts.push(`${parts.length > 0 ? ' · ' : ''}${m.adultNoDocument}`);
  return parts;
}

/** "Father: Peter Otieno · given, for Uganda, until 30 Jun 2027" (or expired, not counted, not shown). */
function consentParts(line: ConsentLine, m: Messages, intl: string): Part[] {
  const role = (line.role === undefined ? undefined : (m.roles as Record<string, string>)[line.role]) ?? m.roles.parent;
  const until = line.validUntil ? formatBirthDate(line.validUntil.slice(0, 10), intl) : '';
  const countries = new Intl.ListFormat(intl, { type: 'conjunction' }).format((line.countries ?? []).map((c) => countryName(c, intl)));
  const state =
    line.state === 'given' ? m.consentGiven(countries, until)
    : line.state === 'expired' ? m.consentExpired(until)
    : line.state === 'absent' ? m.consentAbsent
    : `${m.consentNotCounted}${line.reason && isVerificationCode(line.reason) ? ` ${m.plain[line.reason]}` : ''}`;
  return line.name ? [`${role}: `, { untrusted: line.name }, ` · ${state}`] : [`${role} · ${state}`];
}

/** The child's full name as the credential records it ('' when there is none). */
export function childName(result: CheckpointResult): string {
  const child = result.facts?.child;
  return child ? `${child.givenName} ${child.familyName}`.trim() : '';
}

/**
 * Who may take the child through, right after the child: the officer compares that adult first. On paper,
 * the adults come only from a certificate that passed: a genuine guardianship seal beside a forged or
 * cancelled birth seal must not read as permission to travel.
 */
function adultFacts(result: CheckpointResult, { fact, m, intl }: FactContext): void {
  const f = result.facts;
  if (result.kind === 'certificate' && f) {
    fact(m.factGuardian, 'guardian', m.guardianNotCheckedPaper);
    if (result.outcome === 'valid') {
      const adults = result.accompanying ?? [];
      if (adults.length === 0) fact(m.factMayTravelWith, 'accompanying', m.accompanyNone);
      for (const adult of adults) fact(m.factMayTravelWith, 'accompanying', ...adultParts(adult, m, intl, true));
    }
  } else if (result.bearer && f) fact(m.factGuardian, 'guardian', m.guardianNotChecked);
  else if (f?.guardian) {
    const g = f.guardian;
    fact(m.factGuardian, 'guardian', g.isListedGuardian ? m.guardianListed : m.guardianNotListed);
    // What to compare with the adult in front of the officer: the recorded name and identity document.
    const parts = adultParts(g, m, intl, false);
    if (parts.length > 0) fact(m.factAdultToCheck, 'adult', ...parts);
  }
}

/** Travel consent: required or not (and where to), then one line per parent whose consent was looked for. */
function consentFacts(result: CheckpointResult, { fact, m, intl }: FactContext): void {
  const consent = result.facts?.travelConsent;
  if (!consent) return;
  const where = consent.destination ? ` · ${m.consentDestination(countryName(consent.destination, intl))}` : '';
  fact(m.factTravelConsent, 'travel-consent', `${consent.required ? m.consentRequired : m.consentNotRequired}${where}`);
  for (const line of consent.from) fact('', 'consent', ...consentParts(line, m, intl));
}

/** Sex, birth date and age, registration, office and registrar (trusted or not). */
function recordFacts(result: CheckpointResult, now: Date, { fact, m, intl }: FactContext): void {
  const f = result.facts;
  if (!f) return;
  const child = f.child;
  if (child?.sex) {
    const known = (m.sexValues as Record<string, string>)[child.sex];
    fact(m.factSex, 'sex', known ?? { untrusted: child.sex });
  }
  if (child && child.birthDate !== '') {
    fact(m.factBirthDate, 'birthDate', formatBirthDate(child.birthDate, intl));
    const age = formatAge(child.birthDate, now, intl);
    if (age !== undefined) fact(m.factAge, 'age', age);
  }
  if (f.registrationNumber) fact(m.factRegistration, 'registration', { untrusted: f.registrationNumber });
  if (f.registeringOffice) fact(m.factOffice, 'office', { untrusted: f.registeringOffice });
  const r = f.registrar;
  fact(
    m.factRegistrar,
    'registrar',
    r.name === undefined ? m.registrarUnnamed : { untrusted: r.name },
    r.country ? ` (${countryName(r.country, intl)})` : '',
    ` (${r.trusted ? m.registrarTrusted : m.registrarNotTrusted})`,
  );
}

/** Certificates: each seal and what its check found, so the officer knows which part of the paper failed. */
function sealFacts(result: CheckpointResult, { fact, m }: FactContext): void {
  for (const [i, seal] of (result.seals ?? []).entries()) {
    const outcome = seal.outcome === 'valid' ? m.logOutcomes.valid : seal.outcome === 'invalid' ? m.logOutcomes.invalid : m.logOutcomes.indeterminate;
    fact(i === 0 ? m.factSeals : '', 'seal', `${m.sealLabel(i + 1, m.sealKinds[seal.kind])}: ${outcome}`);
  }
}

/** Draws every fact of `result` into `list`, in the order an officer checks them. */
export function drawFacts(list: HTMLDListElement, result: CheckpointResult, now: Date, m: Messages, intl: string): void {
  list.replaceChildren();
  const fact: Fact = (label, key, ...parts) => {
    const dd = el('dd');
    appendParts(dd, parts);
    dd.dataset.fact = key;
    list.append(el('dt', label), dd);
  };
  const ctx: FactContext = { fact, m, intl };
  const name = childName(result);
  if (name !== '') fact(m.factChild, 'child', { untrusted: name });
  adultFacts(result, ctx);
  consentFacts(result, ctx);
  // Whether alerts were checked at all: "no alert" on a phone without the alert key must not read as "not flagged".
  const alertCheck = result.facts?.alertCheck;
  if (alertCheck) {
    fact(m.factAlertCheck, 'alert-check', alertCheck === 'checked' && result.alerts.length > 0 ? m.alertCheckText.raised : m.alertCheckText[alertCheck]);
  }
  recordFacts(result, now, ctx);
  sealFacts(result, ctx);
}
