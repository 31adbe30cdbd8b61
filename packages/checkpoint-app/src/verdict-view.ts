/**
 * Draws a check's result into the verdict screen, in the officer's language: headline (colour, symbol and
 * words say the same thing), alerts, what failed in plain words, the facts an officer compares with the
 * child and the papers (names, not identifiers), and the technical detail folded away.
 */
import { ALERT_CODES } from '@cradle/core';
import type { AlertCode } from '@cradle/core';
import { el } from './dom.js';
import { countryName, formatDuration, formatNumber, formatUtc } from './format.js';
import { currentLocale, t } from './i18n/i18n.js';
import type { Messages } from './i18n/messages.js';
import { isVerificationCode } from './i18n/verification-codes.js';
import { childName, drawFacts } from './verdict-facts.js';
import type { CheckpointResult, RegistrarIdentity } from './verifier-adapter.js';

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

/**
 * Draws `result` into the verdict screen: headline, alerts, facts (verdict-facts.ts), what failed and the
 * technical detail, the age of the status data used. Returns the sentence to announce.
 */
export function renderVerdict(ui: VerdictElements, result: CheckpointResult, now: Date, input: InputKind = { kind: 'cradle' }): string {
  const m = t();
  const intl = currentLocale().intl;
  const text = verdictText(result, m);
  ui.section.dataset.outcome = result.outcome;
  ui.section.dataset.notSetUp = String(result.phoneNotSetUp);
  ui.symbol.textContent = text.symbol;
  ui.title.textContent = text.title;
  ui.summary.textContent = text.summary;
  drawAlerts(ui, result, m);
  drawFacts(ui.facts, result, now, m, intl);
  drawProblems(ui, result, input, m);
  ui.statusAge.textContent = result.statusAge
    ? m.statusAgeUsed(formatDuration(result.statusAge.seconds, intl), formatUtc(new Date(result.statusAge.asOf), intl))
    : m.statusNoneUsed;

  const firstProblem = result.errors[0];
  return [
    text.title,
    childName(result),
    text.summary,
    firstProblem ? plainSentence(firstProblem.code, input, m) ?? firstProblem.message : '',
  ]
    .filter((s) => s !== '')
    .join('. ');
}

/** The alerts, in the officer's language; the verifier's English sentence only for a code this app does not know. */
function drawAlerts(ui: VerdictElements, result: CheckpointResult, m: Messages): void {
  ui.alertList.replaceChildren();
  for (const a of result.alerts) {
    const li = el('li', isAlertCode(a.code) ? m.alertText[a.code] : a.message || a.code);
    li.dataset.code = a.code;
    ui.alertList.append(li);
  }
  ui.alerts.hidden = result.alerts.length === 0;
}

/**
 * What failed, one line per kind of failure in plain words (a presentation with two credentials can fail
 * the same way twice), and the technical detail (registrar DID, each code with the verifier's messages)
 * folded away.
 */
function drawProblems(ui: VerdictElements, result: CheckpointResult, input: InputKind, m: Messages): void {
  ui.problemList.replaceChildren();
  ui.detailList.replaceChildren();
  const detail = (label: string, value: string) => {
    const dd = el('dd', value);
    dd.dir = 'ltr';
    ui.detailList.append(el('dt', label), dd);
  };
  if (result.facts) detail(m.detailRegistrarDid, result.facts.registrar.did);
  const byCode = new Map<string, string[]>();
  for (const p of result.errors) byCode.set(p.code, [...(byCode.get(p.code) ?? []), p.message]);
  for (const [code, messages] of byCode) {
    const li = el('li', guardianshipSealFailed(result, code) ? m.guardianshipCancelled : plainSentence(code, input, m) ?? messages[0]);
    li.dataset.code = code;
    ui.problemList.append(li);
    detail(`${m.detailCode} ${code}`, [...new Set(messages)].join(' '));
  }
  ui.problems.hidden = result.errors.length === 0;
  ui.details.hidden = ui.detailList.children.length === 0;
  ui.details.open = false;
}

/** A cancelled guardianship seal on paper: the adults it names, not the birth, are what is in doubt. */
function guardianshipSealFailed(result: CheckpointResult, code: string): boolean {
  const seals = result.seals ?? [];
  return (code === 'REVOKED' || code === 'SUSPENDED') && seals.some((s) => s.kind === 'guardianship' && s.codes.includes(code))
    && !seals.some((s) => s.kind === 'birth-registration' && s.codes.includes(code));
}

/** "Checked on this phone in 12 ms." */
export function elapsedText(ms: number): string {
  return t().checkedIn(formatNumber(ms, currentLocale().intl));
}
