/** Scan, first: whether this phone can give real answers (not set up / no status data / stale / ready). */
import type { App } from '../../app-state.js';
import { byId } from '../../dom.js';
import { formatDuration } from '../../format.js';
import { currentLocale, t } from '../../i18n/i18n.js';
import { readinessOf } from '../../readiness.js';

/** Wires the readiness banner; the returned function redraws it from the verifier's current summary. */
export function createReadinessBanner(app: App): () => Promise<void> {
  const ui = {
    readiness: byId('readiness', HTMLElement),
    readinessText: byId('readiness-text', HTMLElement),
    readinessSetup: byId('readiness-setup', HTMLButtonElement),
  };
  return async () => {
    const r = readinessOf(await app.verifier.summary(), app.settings.maxStatusAgeSeconds, Date.now());
    const m = t();
    const intl = currentLocale().intl;
    ui.readiness.dataset.state = r.state;
    ui.readinessSetup.hidden = r.state === 'ready';
    ui.readinessText.textContent =
      r.state === 'not-set-up' ? m.readyNotSetUp
      : r.state === 'no-status' ? m.readyNoStatus
      : r.state === 'stale' ? m.readyStale(formatDuration(r.ageSeconds, intl), formatDuration(r.limitSeconds, intl))
      : m.ready(r.registrars, formatDuration(r.ageSeconds, intl));
  };
}
