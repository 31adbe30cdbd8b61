/**
 * Setup: what the checkpoint trusts and how fresh its data is; trust bundle import, network sync,
 * checkpoint settings, trusting a registrar by hand.
 */
import type { App } from '../app-state.js';
import { byId } from '../dom.js';
import { t } from '../i18n/i18n.js';
import type { ScreenController } from '../router.js';
import type { AlertKeyInfo, LedgerInfo, TrustSummary } from '../verifier-adapter.js';
import { createAlertKeyPanel } from './setup/alert-key-panel.js';
import { wireBundleImport } from './setup/bundle-import.js';
import { createNetworkSyncPanel } from './setup/network-sync-panel.js';
import { createSettingsPanel } from './setup/settings-panel.js';
import { createTrustedRegistrars } from './setup/trusted-registrars.js';

/** The Setup screen, plus what start-up needs from it. */
export interface SetupScreen extends ScreenController {
  showSummary(summary: TrustSummary): void;
  showLedger(info: LedgerInfo | undefined): void;
  /** Whether this phone holds an alert key (alerts checked) or not. */
  showAlertKey(info: AlertKeyInfo | undefined): void;
  fillSettings(): void;
  /** Whether the service worker will serve the app offline. */
  showOfflineReady(ready: boolean): void;
  /** Redraws what this screen wrote, in the current language. */
  retranslate(): void;
}

/**
 * Wires the Setup screen from its parts (screens/setup/): the trusted registrars, a trust bundle, network
 * sync, the alert key and the checkpoint settings. They share one message line.
 */
export function createSetupScreen(app: App): SetupScreen {
  const message = byId('setup-message', HTMLElement);
  const offlineReadyText = byId('offline-ready', HTMLElement);
  const trust = createTrustedRegistrars(app, message);
  const network = createNetworkSyncPanel(app, message, trust);
  const alertKey = createAlertKeyPanel(app, message);
  wireBundleImport(app, message, trust, alertKey.hasAlertKey);
  const settings = createSettingsPanel(app, message, trust.refreshSummary);

  let offlineReady: boolean | undefined;
  const showOfflineReady = (ready: boolean) => {
    offlineReady = ready;
    offlineReadyText.textContent = ready ? t().offlineReady : t().offlineUnavailable;
  };

  return {
    enter: () => void trust.refreshSummary(),
    showSummary: trust.showSummary,
    showLedger: network.showLedger,
    showAlertKey: alertKey.showAlertKey,
    fillSettings: settings.fillSettings,
    showOfflineReady(ready) {
      showOfflineReady(ready);
      document.body.dataset.offlineReady = String(ready);
    },
    retranslate() {
      network.retranslate();
      trust.retranslate();
      alertKey.retranslate();
      if (offlineReady !== undefined) showOfflineReady(offlineReady);
    },
  };
}
