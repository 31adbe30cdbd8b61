/** Verdict: the full-screen answer of a check, announced to screen readers, felt and heard. */
import type { App } from '../app-state.js';
import { byId } from '../dom.js';
import { signalVerdict } from '../feedback.js';
import type { ScreenController } from '../router.js';
import { elapsedText, renderVerdict } from '../verdict-view.js';
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
    alerts: byId('verdict-alerts', HTMLElement),
    alertList: byId('verdict-alert-list', HTMLUListElement),
    facts: byId('verdict-facts', HTMLDListElement),
    problems: byId('verdict-problems', HTMLElement),
    problemList: byId('verdict-problem-list', HTMLUListElement),
    details: byId('verdict-details', HTMLDetailsElement),
    detailList: byId('verdict-detail-list', HTMLDListElement),
    statusAge: byId('verdict-status-age', HTMLElement),
  };
  // "Scan next" continues the flow the officer is in: documents, or guardians' answers.
  byId('verdict-next', HTMLButtonElement).addEventListener('click', () =>
    app.show(app.scanningFor === 'presentation' ? 'challenge' : 'scan'));

  let last: CheckDone | undefined;
  const draw = (done: CheckDone) => {
    const spoken = renderVerdict(ui, done.result, done.now, done.input);
    ui.statusAge.textContent += ` ${elapsedText(done.elapsedMs)}`;
    ui.section.dataset.elapsedMs = String(done.elapsedMs);
    return spoken;
  };
  return {
    showResult(done) {
      last = done;
      const spoken = draw(done);
      app.show('verdict');
      ui.section.scrollTop = 0;
      app.announce(spoken);
      signalVerdict(done.result);
    },
    retranslate() {
      if (last) draw(last);
    },
  };
}
