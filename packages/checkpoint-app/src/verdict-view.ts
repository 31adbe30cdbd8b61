/**
 * Draws a check's result into the verdict screen, in the officer's language: headline (colour, symbol and
 * words say the same thing), alerts, what failed in plain words, the facts an officer compares with the
 * child and the papers (names, not identifiers), and the technical detail folded away.
 */
import { el } from './dom.js';
import { countryName, formatAge, formatBirthDate, formatDuration, formatNumber, formatUtc } from './format.js';
import { currentLocale, t } from './i18n/i18n.js';
import type { Messages } from './i18n/messages.js';
import { isVerificationCode } from './i18n/verification-codes.js';
import type { CheckpointResult, RegistrarIdentity } from './verifier-adapter.js';

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
    return { symbol: '✓', title: m.verdictValid, summary: result.bearer ? m.summaryValidBearer : m.summaryValidGuardian };
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
    const li = el('li', a.message || a.code);
    li.dataset.code = a.code;
    ui.alertList.append(li);
  }
  ui.alerts.hidden = result.alerts.length === 0;

  ui.facts.replaceChildren();
  // Values from the credential or the trust list are someone else's words: text only, each in its own
  // bidi isolate (<bdi>), so a Latin name reads right in Arabic and no string can reorder its neighbours.
  type Part = string | { untrusted: string };
  const fact = (label: string, key: string, ...parts: Part[]) => {
    const dd = el('dd');
    for (const part of parts) dd.append(typeof part === 'string' ? part : el('bdi', part.untrusted));
    dd.dataset.fact = key;
    ui.facts.append(el('dt', label), dd);
  };
  const f = result.facts;
  if (f) {
    const child = f.child;
    const name = child ? `${child.givenName} ${child.familyName}`.trim() : '';
    if (name !== '') fact(m.factChild, 'child', { untrusted: name });
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
  if (result.bearer && f) fact(m.factGuardian, 'guardian', m.guardianNotChecked);
  else if (f?.guardian) {
    const g = f.guardian;
    fact(m.factGuardian, 'guardian', g.isListedGuardian ? m.guardianListed : m.guardianNotListed);
    // What to compare with the adult in front of the officer: the recorded name and identity document.
    const parts: Part[] = [];
    if (g.name) parts.push({ untrusted: g.name });
    if (g.document) {
      const type = (m.documentTypes as Record<string, string>)[g.document.type] ?? m.documentTypes.other;
      parts.push(`${parts.length > 0 ? ' · ' : ''}${type} (${countryName(g.document.country, intl)}) `, { untrusted: g.document.number });
    }
    if (parts.length > 0) fact(m.factAdultToCheck, 'adult', ...parts);
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
  for (const [code, messages] of byCode) {
    const li = el('li', plainSentence(code, input, m) ?? messages[0]);
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

  const name = f?.child ? `${f.child.givenName} ${f.child.familyName}`.trim() : '';
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
