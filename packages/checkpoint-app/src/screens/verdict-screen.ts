/** Verdict: the full-screen answer of a check, announced to screen readers. */
import type { App } from '../app-state.js';
import { byId } from '../dom.js';
import type { ScreenController } from '../router.js';
import { renderVerdict } from '../verdict-view.js';
import type { CheckDone } from './scan-screen.js';

/** The verdict screen: `showResult` draws a finished check and switches to it. */
export interface VerdictScreen extends ScreenController {
  showResult(done: CheckDone): void;
}

/** Wires the Verdict screen. */
export function createVerdictScreen(app: App): VerdictScreen {
  const ui = {
    section: byId('screen-verdict', HTMLElement),
    symbol: byId('verdict-symbol', HTMLElement),
    title: byId('verdict-title', HTMLElement),
    summary: byId('verdict-summary', HTMLElement),
    facts: byId('verdict-facts', HTMLDListElement),
    problems: byId('verdict-problems', HTMLElement),
    problemList: byId('verdict-problem-list', HTMLUListElement),
    statusAge: byId('verdict-status-age', HTMLElement),
  };
  // "Scan next" continues the flow the officer is in: documents, or guardians' answers.
  byId('verdict-next', HTMLButtonElement).addEventListener('click', () =>
    app.show(app.scanningFor === 'presentation' ? 'challenge' : 'scan'));

  return {
    showResult({ result, now, elapsedMs }) {
      const spoken = renderVerdict(ui, result, now);
      ui.statusAge.textContent += ` Checked on this phone in ${elapsedMs} ms.`;
      ui.section.dataset.elapsedMs = String(elapsedMs);
      app.show('verdict');
      app.announce(spoken);
    },
  };
}
