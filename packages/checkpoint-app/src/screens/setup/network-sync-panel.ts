/**
 * Setup, syncing over the network: the online/offline indicator (sync needs a link), the ledger settings
 * file, and the sync form (RPC URL, mirrors).
 */
import { displayText } from '@cradle/core';
import type { App } from '../../app-state.js';
import { byId, errorText, setMessage } from '../../dom.js';
import { t } from '../../i18n/i18n.js';
import { saveSettings } from '../../settings.js';
import type { LedgerInfo } from '../../verifier-adapter.js';
import type { TrustedRegistrars } from './trusted-registrars.js';

/** The network-sync part of the Setup screen. */
export interface NetworkSyncPanel {
  showLedger(info: LedgerInfo | undefined): void;
  retranslate(): void;
}

/** Wires the network indicator, the ledger file and the sync form; messages go to `message`. */
export function createNetworkSyncPanel(app: App, message: HTMLElement, trust: Pick<TrustedRegistrars, 'showSummary'>): NetworkSyncPanel {
  const ui = {
    netStatus: byId('net-status', HTMLElement),
    syncForm: byId('sync-form', HTMLFormElement),
    rpcUrl: byId('rpc-url', HTMLInputElement),
    ledgerFile: byId('ledger-file', HTMLInputElement),
    ledgerInfo: byId('ledger-info', HTMLElement),
    mirrors: byId('mirrors', HTMLTextAreaElement),
  };
  let lastLedger: LedgerInfo | undefined;

  const showNetwork = () => {
    const offline = !navigator.onLine;
    ui.netStatus.textContent = offline ? t().offline : t().online;
    ui.netStatus.dataset.offline = String(offline);
    ui.syncForm.querySelectorAll('button').forEach((b) => (b.disabled = offline));
  };
  addEventListener('online', showNetwork);
  addEventListener('offline', showNetwork);
  showNetwork();

  const showLedger = (info: LedgerInfo | undefined) => {
    lastLedger = info;
    // From an imported file: sanitized before it is shown.
    ui.ledgerInfo.textContent = info ? displayText(t().ledgerInfo(info.name ?? 'chain', info.chainId, info.rpcUrl)) : t().noLedger;
  };
  ui.ledgerFile.addEventListener('change', async () => {
    const file = ui.ledgerFile.files?.[0];
    ui.ledgerFile.value = '';
    if (!file) return;
    try {
      showLedger(await app.verifier.setLedger(JSON.parse(await file.text()) as unknown));
      setMessage(message, t().ledgerSaved);
    } catch (e) {
      setMessage(message, e instanceof SyntaxError ? t().notJson : errorText(e), 'error');
    }
  });

  ui.syncForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const mirrors = ui.mirrors.value.split(/\s+/).filter((m) => m !== '');
    app.settings = { ...app.settings, rpcUrl: ui.rpcUrl.value.trim(), mirrors };
    await saveSettings(app.settingsStore, app.settings);
    setMessage(message, t().syncing);
    try {
      const rpcUrl = app.settings.rpcUrl;
      const outcome = await app.verifier.sync({ mirrors, ...(rpcUrl ? { rpcUrl } : {}) });
      trust.showSummary(outcome.summary);
      if (outcome.ok) setMessage(message, t().syncComplete(outcome.listsUpdated));
      else {
        const first = outcome.failures[0];
        setMessage(message, t().syncIncomplete(outcome.listsUpdated, first ? first.message : '', outcome.failures.length - 1), 'error');
      }
    } catch (e) {
      setMessage(message, t().syncFailed(errorText(e)), 'error');
    }
  });

  return {
    showLedger,
    retranslate() {
      showNetwork();
      showLedger(lastLedger);
    },
  };
}
