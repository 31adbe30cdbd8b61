/**
 * Draws a check's result into the verdict screen, in the officer's language: headline (colour, symbol and
 * words say the same thing), alerts, what failed in plain words, the facts an officer compares with the
 * child and the papers (names, not identifiers), and the technical detail folded away.
 */
import { ALERT_CODES } from '@cradle/core';
import type { AlertCode } from '@cradle/core';
import { el } from './dom.js';
import { countryName, formatAge, formatBirthDate, formatDuration, formatNumber, formatUtc } from './format.js';
import { currentLocale, t } from './i18n/i18n.js';
import type { Messages } from './i18n/messages.js';
import { isVerificationCode } from './i18n/verification-codes.js';
import type { CheckpointResult, ConsentLine, RecordedAdult, RegistrarIdentity } from './verifier-adapter.js';

const isAlertCode = (code: string): code is AlertCode => (ALERT_CODES as readonly string[]).includes(code);

/** What the scanned text looked like, to explain a QR code that is not a document at all. */
export type InputKind = { kind: 'cradle' } | { kind: 'url'; host: string } | { kind: 'other' };

/**
 * Classifies scanned text without keeping it: a Cradle payload or token, a web link (host only), or
 * anything else.
 * @example inputKindOf('https://example.org/x') // { kind: 'url', host: 'example.org' }
 */
export function inputKindOf(text: string): InputKind {
  const trimmed = text.trim();
  if (/^CRADLE\d*:/i.test(trimmed) || /^ey[A-Za-z0-9_-]+\./.test(trimmed)) return { kind: 'cradle' };
  if (/^https?:\/\//i.test(trimmed)) {
    try {
      return { kind: 'url', host: new URL(trimmed).hostname.slice(0, 80) };
    } catch {
      return { kind: 'other' };
    }
  }
  return { kind: 'other' };
}

/** The words of a verdict, for the screen and for screen readers. */
export interface VerdictText {
  symbol: string;
  title: string;
  summary: string;
}

/** Headline, symbol and one-line summary for a result. Colour is never the only signal. */
export function verdictText(result: CheckpointResult, m: Messages = t()): VerdictText {
  if (result.outcome === 'alert') return { symbol: '⚠', title: m.verdictAlert, summary: m.summaryAlert };
  if (result.phoneNotSetUp) return { symbol: '…', title: m.verdictNotSetUp, summary: m.summaryNotSetUp };
  if (result.outcome === 'valid') {
    const summary = result.kind === 'certificate' ? m.summaryValidCertificate : result.bearer ? m.summaryValidBearer : m.summaryValidGuardian;
    return { symbol: '✓', title: m.verdictValid, summary };
  }
  if (result.outcome === 'invalid') return { symbol: '✗', title: m.verdictInvalid, summary: m.summaryInvalid };
  return { symbol: '?', title: m.verdictIndeterminate, summary: m.summaryIndeterminate };
}

/** The officer-facing sentence for a failed check, or undefined when only the verifier's message exists. */
export function plainSentence(code: string, input: InputKind, m: Messages = t()): string | undefined {
  // A QR code that is not a document at all: say what it is, not what the parser disliked.
  if ((code === 'MALFORMED' || code === 'TYP_UNEXPECTED') && input.kind === 'url') return m.urlQr(input.host);
  if ((code === 'MALFORMED' || code === 'TYP_UNEXPECTED') && input.kind === 'other') return m.junkQr;
  return isVerificationCode(code) ? m.plain[code] : undefined;
}

/** "Kisumu Civil Registration Office (Kenya)", or a plain "registrar without a name" (DID in the details). */
export function registrarLabel(registrar: RegistrarIdentity, m: Messages = t(), intl = currentLocale().intl): string {
  const name = registrar.name ?? m.registrarUnnamed;
  return registrar.country ? `${name} (${countryName(registrar.country, intl)})` : name;
}

/** A piece of a fact: our own words, or someone else's (shown as text in a bidi isolate). */
type Part = string | { untrusted: string };

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

/** The elements the verdict is drawn into. */
export interface VerdictElements {
  section: HTMLElement;
  symbol: HTMLElement;
  title: HTMLElement;
  summary: HTMLElement;
  alerts: HTMLElement;
  alertList: HTMLUListElement;
  facts: HTMLDListElement;
  problems: HTMLElement;
  problemList: HTMLUListElement;
  details: HTMLDetailsElement;
  detailList: HTMLDListElement;
  statusAge: HTMLElement;
}

/** Draws `result` into the verdict screen. Returns the sentence to announce. */
export function renderVerdict(ui: VerdictElements, result: CheckpointResult, now: Date, input: InputKind = { kind: 'cradle' }): string {
  const m = t();
  const intl = currentLocale().intl;
  const text = verdictText(result, m);
  ui.section.dataset.outcome = result.outcome;
  ui.section.dataset.notSetUp = String(result.phoneNotSetUp);
  ui.symbol.textContent = text.symbol;
  ui.title.textContent = text.title;
  ui.summary.textContent = text.summary;

  ui.alertList.replaceChildren();
  for (const a of result.alerts) {
    // In the officer's language; the verifier's English sentence only for a code this app does not know.
    const li = el('li', isAlertCode(a.code) ? m.alertText[a.code] : a.message || a.code);
    li.dataset.code = a.code;
    ui.alertList.append(li);
  }
  ui.alerts.hidden = result.alerts.length === 0;

  ui.facts.replaceChildren();
  // Values from the credential or the trust list are someone else's words: text only, each in its own
  // bidi isolate (<bdi>), so a Latin name reads right in Arabic and no string can reorder its neighbours.
  const fact = (label: string, key: string, ...parts: Part[]) => {
    const dd = el('dd');
    appendParts(dd, parts);
    dd.dataset.fact = key;
    ui.facts.append(el('dt', label), dd);
  };
  const f = result.facts;
  const child = f?.child;
  const name = child ? `${child.givenName} ${child.familyName}`.trim() : '';
  if (name !== '') fact(m.factChild, 'child', { untrusted: name });
  // Who may take the child through comes right after the child: the officer compares that adult first.
  if (result.kind === 'certificate' && f) {
    fact(m.factGuardian, 'guardian', m.guardianNotCheckedPaper);
    // Adults only from a paper that passed: a genuine guardianship seal beside a forged or cancelled birth
    // seal must not read as permission to travel.
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
  const consent = f?.travelConsent;
  if (consent) {
    const where = consent.destination ? ` · ${m.consentDestination(countryName(consent.destination, intl))}` : '';
    fact(m.factTravelConsent, 'travel-consent', `${consent.required ? m.consentRequired : m.consentNotRequired}${where}`);
    for (const line of consent.from) fact('', 'consent', ...consentParts(line, m, intl));
  }
  // Whether alerts were checked at all: "no alert" on a phone without the alert key must not read as "not flagged".
  if (f?.alertCheck) {
    fact(m.factAlertCheck, 'alert-check', f.alertCheck === 'checked' && result.alerts.length > 0 ? m.alertCheckText.raised : m.alertCheckText[f.alertCheck]);
  }
  if (f) {
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
  // Certificates: each seal and what its check found, so the officer knows which part of the paper failed.
  for (const [i, seal] of (result.seals ?? []).entries()) {
    const outcome = seal.outcome === 'valid' ? m.logOutcomes.valid : seal.outcome === 'invalid' ? m.logOutcomes.invalid : m.logOutcomes.indeterminate;
    fact(i === 0 ? m.factSeals : '', 'seal', `${m.sealLabel(i + 1, m.sealKinds[seal.kind])}: ${outcome}`);
  }

  // One line per kind of failure: a presentation with two credentials can fail the same way twice.
  ui.problemList.replaceChildren();
  ui.detailList.replaceChildren();
  const detail = (label: string, value: string) => {
    const dd = el('dd', value);
    dd.dir = 'ltr';
    ui.detailList.append(el('dt', label), dd);
  };
  if (f) detail(m.detailRegistrarDid, f.registrar.did);
  const byCode = new Map<string, string[]>();
  for (const p of result.errors) byCode.set(p.code, [...(byCode.get(p.code) ?? []), p.message]);
  // A cancelled guardianship seal on paper: the adults it names, not the birth, are what is in doubt.
  const guardianshipFailed = (code: string) =>
    (code === 'REVOKED' || code === 'SUSPENDED') && (result.seals ?? []).some((s) => s.kind === 'guardianship' && s.codes.includes(code))
    && !(result.seals ?? []).some((s) => s.kind === 'birth-registration' && s.codes.includes(code));
  for (const [code, messages] of byCode) {
    const li = el('li', guardianshipFailed(code) ? m.guardianshipCancelled : plainSentence(code, input, m) ?? messages[0]);
    li.dataset.code = code;
    ui.problemList.append(li);
    detail(`${m.detailCode} ${code}`, [...new Set(messages)].join(' '));
  }
  ui.problems.hidden = result.errors.length === 0;
  ui.details.hidden = ui.detailList.children.length === 0;
  ui.details.open = false;

  ui.statusAge.textContent = result.statusAge
    ? m.statusAgeUsed(formatDuration(result.statusAge.seconds, intl), formatUtc(new Date(result.statusAge.asOf), intl))
    : m.statusNoneUsed;

  const firstProblem = result.errors[0];
  return [
    text.title,
    name,
    text.summary,
    firstProblem ? plainSentence(firstProblem.code, input, m) ?? firstProblem.message : '',
  ]
    .filter((s) => s !== '')
    .join('. ');
}

/** "Checked on this phone in 12 ms." */
export function elapsedText(ms: number): string {
  return t().checkedIn(formatNumber(ms, currentLocale().intl));
}
