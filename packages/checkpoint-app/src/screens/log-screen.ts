/** Log: the checks done on this phone (no personal data), newest first. */
import type { App } from '../app-state.js';
import { byId, el } from '../dom.js';
import { formatUtc } from '../format.js';
import type { ScreenController } from '../router.js';

const OUTCOME_WORDS = { valid: 'Valid', invalid: 'Invalid', indeterminate: 'Cannot confirm' } as const;

/** Wires the Log screen. */
export function createLogScreen(app: App): ScreenController {
  const list = byId('log-list', HTMLOListElement);
  const showLog = async () => {
    const entries = await app.log.recent(100);
    list.replaceChildren();
    if (entries.length === 0) list.append(el('li', 'No checks yet.'));
    for (const entry of entries) {
      const li = el('li');
      li.append(el('span', `${OUTCOME_WORDS[entry.outcome]} `, 'outcome'));
      li.append(el('span', `${formatUtc(new Date(entry.at))} · ${entry.bearer ? 'document only' : 'with guardian'}`));
      if (entry.codes.length > 0) li.append(el('div', entry.codes.join(', '), 'muted'));
      list.append(li);
    }
  };
  byId('log-clear', HTMLButtonElement).addEventListener('click', async () => {
    if (!confirm('Delete every entry of the log on this phone?')) return;
    await app.log.clear();
    await showLog();
  });
  return { enter: () => void showLog() };
}
