/** Setup, a trust bundle from a file: imported, summarised, and its unsigned registrars offered. */
import type { App } from '../../app-state.js';
import { byId, errorText, setMessage } from '../../dom.js';
import { t } from '../../i18n/i18n.js';
import type { TrustedRegistrars } from './trusted-registrars.js';

/** Wires the bundle file input; `hasAlertKey` says whether unread alert lists could have been read here. */
export function wireBundleImport(app: App, message: HTMLElement, trust: TrustedRegistrars, hasAlertKey: () => boolean): void {
  const bundleFile = byId('bundle-file', HTMLInputElement);
  bundleFile.addEventListener('change', async () => {
    const file = bundleFile.files?.[0];
    bundleFile.value = '';
    if (!file) return;
    setMessage(message, t().importing);
    try {
      const imported = await app.verifier.importBundle(new Uint8Array(await file.arrayBuffer()));
      trust.showSummary(imported.summary);
      const alerts = imported.alertListsNotRead > 0 ? ` ${t().alertListsNotRead(imported.alertListsNotRead, hasAlertKey())}` : '';
      setMessage(message, `${t().bundleImported(imported.signed, imported.statusLists, imported.summary.registrars.length)}${alerts}`);
      trust.offerRegistrars(imported.trustNotImported);
    } catch (e) {
      setMessage(message, t().notImported(errorText(e)), 'error');
    }
  });
}
