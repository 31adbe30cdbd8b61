/** Log: the checks done on this phone (no personal data), newest first, each failed check once. */
import type { App } from '../app-state.js';
import { byId, el } from '../dom.js';
import { formatUtc } from '../format.js';
import { currentLocale, t } from '../i18n/i18n.js';
import type { ScreenController } from '../router.js';

/** Wires the Log screen. */
export function createLogScreen(app: App): ScreenController {
  const list = byId('log-list', HTMLOListElement);
  const showLog = async () => {
    const entries = await app.log.recent(100);
    const m = t();
    list.replaceChildren();
    if (entries.length === 0) list.append(el('li', m.logEmpty));
    for (const entry of entries) {
      const li = el('li');
      li.dataset.outcome = entry.outcome;
      li.append(el('span', `${m.logOutcomes[entry.outcome]} `, 'outcome'));
      li.append(el('span', `${formatUtc(new Date(entry.at), currentLocale().intl)} · ${entry.kind === 'certificate' ? m.logCertificate : entry.bearer ? m.logDocumentOnly : m.logWithGuardian}`));
      const codes = [...new Set(entry.codes)];
      if (codes.length > 0) {
        const line = el('div', codes.join(', '), 'muted codes');
        line.dir = 'ltr';
        li.append(line);
      }
      list.append(li);
    }
  };
  byId('log-clear', HTMLButtonElement).addEventListener('click', async () => {
    if (!confirm(t().logClearConfirm)) return;
    await app.log.clear();
    await showLog();
  });
  let visible = false;
  return {
    enter: () => {
      visible = true;
      void showLog();
    },
    leave: () => (visible = false),
    retranslate: () => void (visible ? showLog() : undefined),
  };
}
