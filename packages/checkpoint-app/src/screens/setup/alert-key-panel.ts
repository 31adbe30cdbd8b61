/** Setup, the child-protection alert key: installed from a JWK file, removed; it stays on this phone. */
import type { App } from '../../app-state.js';
import { byId, errorText, setMessage } from '../../dom.js';
import { t } from '../../i18n/i18n.js';
import type { AlertKeyInfo } from '../../verifier-adapter.js';

/** A JWK is small: anything much bigger is not one (and is not read whole). */
const MAX_KEY_FILE_BYTES = 16_384;

/** The alert-key part of the Setup screen. */
export interface AlertKeyPanel {
  showAlertKey(info: AlertKeyInfo | undefined): void;
  /** Whether this phone holds an alert key. */
  hasAlertKey(): boolean;
  retranslate(): void;
}

/** Wires the alert key file input and the remove button; messages go to `message`. */
export function createAlertKeyPanel(app: App, message: HTMLElement): AlertKeyPanel {
  const ui = {
    alertKeyInfo: byId('alert-key-info', HTMLElement),
    alertKeyFile: byId('alert-key-file', HTMLInputElement),
    alertKeyRemove: byId('alert-key-remove', HTMLButtonElement),
  };
  let lastAlertKey: AlertKeyInfo | undefined;

  const showAlertKey = (info: AlertKeyInfo | undefined) => {
    lastAlertKey = info;
    ui.alertKeyInfo.textContent = info ? t().alertKeyInstalled(info.kid) : t().alertKeyNone;
    ui.alertKeyInfo.dataset.alertKey = String(info !== undefined);
    ui.alertKeyRemove.hidden = info === undefined;
  };
  ui.alertKeyFile.addEventListener('change', async () => {
    const file = ui.alertKeyFile.files?.[0];
    ui.alertKeyFile.value = '';
    if (!file) return;
    try {
      if (file.size > MAX_KEY_FILE_BYTES) throw new Error('the file is too large to be a key');
      showAlertKey(await app.verifier.setAlertKey(JSON.parse(await file.text()) as unknown));
      setMessage(message, t().alertKeySaved);
    } catch (e) {
      setMessage(message, e instanceof SyntaxError ? t().notJson : t().alertKeyRefused(errorText(e)), 'error');
    }
  });
  ui.alertKeyRemove.addEventListener('click', async () => {
    if (!confirm(t().removeAlertKeyConfirm)) return;
    await app.verifier.removeAlertKey();
    showAlertKey(undefined);
    setMessage(message, t().alertKeyRemoved);
  });

  return {
    showAlertKey,
    hasAlertKey: () => lastAlertKey !== undefined,
    retranslate: () => showAlertKey(lastAlertKey),
  };
}
