import { el } from './dom.js';
import { ageInYears, formatBirthDate, formatDuration, formatUtc, shortDid } from './format.js';
import { plainLanguage } from './plain-language.js';
import type { CheckpointResult } from './verifier-adapter.js';

/** The words of a verdict, for the screen and for screen readers. */
export interface VerdictText {
  symbol: string;
  title: string;
  summary: string;
}

/** Headline, symbol and one-line summary for an outcome. Colour is never the only signal. */
export function verdictText(result: CheckpointResult): VerdictText {
  if (result.outcome === 'valid') {
    return {
      symbol: '✓',
      title: 'VALID',
      summary: result.bearer
        ? 'Genuine birth registration. The person showing it was not checked.'
        : 'Genuine birth registration, shown by a listed guardian.',
    };
  }
  if (result.outcome === 'invalid') {
    return { symbol: '✗', title: 'INVALID', summary: 'Do not accept this document.' };
  }
  return { symbol: '?', title: 'CANNOT CONFIRM', summary: 'This document could not be confirmed. Do not treat it as valid.' };
}

/** The elements the verdict is drawn into. */
export interface VerdictElements {
  section: HTMLElement;
  symbol: HTMLElement;
  title: HTMLElement;
  summary: HTMLElement;
  facts: HTMLDListElement;
  problems: HTMLElement;
  problemList: HTMLUListElement;
  statusAge: HTMLElement;
}

/** Draws `result` into the verdict screen. Returns the sentence to announce. */
export function renderVerdict(ui: VerdictElements, result: CheckpointResult, now: Date): string {
  const text = verdictText(result);
  ui.section.dataset.outcome = result.outcome;
  ui.symbol.textContent = text.symbol;
  ui.title.textContent = text.title;
  ui.summary.textContent = text.summary;

  ui.facts.replaceChildren();
  const fact = (label: string, value: string) => ui.facts.append(el('dt', label), el('dd', value));
  const f = result.facts;
  if (f) {
    const child = f.child;
    const name = child ? `${child.givenName} ${child.familyName}`.trim() : '';
    if (name !== '') fact('Child', name);
    if (child && child.birthDate !== '') {
      fact('Date of birth', formatBirthDate(child.birthDate));
      const age = child.ageYears ?? ageInYears(child.birthDate, now);
      if (age !== undefined) fact('Age', `${age} year${age === 1 ? '' : 's'}`);
    }
    if (f.registrationNumber) fact('Registration', f.registrationNumber);
    const registrar = f.registrar.name ?? shortDid(f.registrar.did);
    fact('Registrar', `${registrar}${f.registrar.trusted ? ' (trusted)' : ' (NOT trusted)'}`);
  }
  if (result.bearer) fact('Guardian', 'Not checked: document shown on its own');
  else if (f?.guardian) fact('Guardian', f.guardian.isListedGuardian ? 'Presenter is a listed guardian' : 'Presenter is NOT a listed guardian');

  // One line per kind of failure: a presentation with two credentials can fail the same way twice.
  ui.problemList.replaceChildren();
  const byCode = new Map<string, string[]>();
  for (const p of result.errors) byCode.set(p.code, [...(byCode.get(p.code) ?? []), p.message]);
  for (const [code, messages] of byCode) {
    const plain = plainLanguage(code);
    const li = el('li', plain ?? messages[0]);
    for (const message of plain === undefined ? messages.slice(1) : messages) li.append(el('span', message, 'detail'));
    li.append(el('span', code, 'code'));
    li.dataset.code = code;
    ui.problemList.append(li);
  }
  ui.problems.hidden = result.errors.length === 0;

  ui.statusAge.textContent = result.statusAge
    ? `Status data: ${formatDuration(result.statusAge.seconds)} old (from ${formatUtc(new Date(result.statusAge.asOf))}).`
    : 'Status data: none used.';

  const name = f?.child ? `${f.child.givenName} ${f.child.familyName}`.trim() : '';
  const firstProblem = result.errors[0];
  return [
    text.title,
    name,
    text.summary,
    firstProblem ? plainLanguage(firstProblem.code) ?? firstProblem.message : '',
  ]
    .filter((s) => s !== '')
    .join('. ');
}
