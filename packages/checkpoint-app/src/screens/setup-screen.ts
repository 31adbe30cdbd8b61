/**
 * Setup: what the checkpoint trusts and how fresh its data is; trust bundle import, network sync,
 * checkpoint settings, trusting a registrar by hand.
 */
import { displayText } from '@cradle/core';
import type { App } from '../app-state.js';
import { engineSettings } from '../app-state.js';
import { byId, el, errorText, setMessage } from '../dom.js';
import { formatDuration, formatUtc, shortDid } from '../format.js';
import type { ScreenController } from '../router.js';
import { saveSettings } from '../settings.js';
import type { LedgerInfo, TrustSummary } from '../verifier-adapter.js';

/** The Setup screen, plus what start-up needs from it. */
export interface SetupScreen extends ScreenController {
  showSummary(summary: TrustSummary): void;
  showLedger(info: LedgerInfo | undefined): void;
  fillSettings(): void;
  /** Whether the service worker will serve the app offline. */
  showOfflineReady(ready: boolean): void;
}

/** Wires the Setup screen. */
export function createSetupScreen(app: App): SetupScreen {
  const ui = {
    netStatus: byId('net-status', HTMLElement),
    registrarList: byId('registrar-list', HTMLUListElement),
    statusAge: byId('status-age', HTMLElement),
    offlineReady: byId('offline-ready', HTMLElement),
    bundleFile: byId('bundle-file', HTMLInputElement),
    message: byId('setup-message', HTMLElement),
    syncForm: byId('sync-form', HTMLFormElement),
    rpcUrl: byId('rpc-url', HTMLInputElement),
    ledgerFile: byId('ledger-file', HTMLInputElement),
    ledgerInfo: byId('ledger-info', HTMLElement),
    mirrors: byId('mirrors', HTMLTextAreaElement),
    settingsForm: byId('settings-form', HTMLFormElement),
    domain: byId('domain', HTMLInputElement),
    maxAge: byId('max-age', HTMLInputElement),
    governanceDid: byId('governance-did', HTMLInputElement),
    trustForm: byId('trust-form', HTMLFormElement),
    trustDid: byId('trust-did', HTMLInputElement),
    bundleRegistrars: byId('bundle-registrars', HTMLElement),
    bundleRegistrarList: byId('bundle-registrar-list', HTMLUListElement),
  };

  // ---- network indicator (sync needs a link) --------------------------------------------------------
  const showNetwork = () => {
    const offline = !navigator.onLine;
    ui.netStatus.textContent = offline ? 'Offline' : 'Online';
    ui.netStatus.dataset.offline = String(offline);
    ui.syncForm.querySelectorAll('button').forEach((b) => (b.disabled = offline));
  };
  addEventListener('online', showNetwork);
  addEventListener('offline', showNetwork);
  showNetwork();

  // ---- trusted registrars and status data -----------------------------------------------------------
  const showSummary = (summary: TrustSummary) => {
    ui.registrarList.replaceChildren();
    if (summary.registrars.length === 0) ui.registrarList.append(el('li', 'None yet. Import a trust bundle.'));
    for (const r of summary.registrars) {
      const li = el('li');
      if (r.name) li.append(el('span', r.name, 'name'));
      li.append(el('span', shortDid(r.did, 8), 'did'));
      li.title = r.did;
      const remove = el('button', 'Stop trusting', 'button button-small');
      remove.type = 'button';
      remove.setAttribute('aria-label', `Stop trusting ${r.name ?? r.did}`);
      remove.addEventListener('click', () => {
        if (!confirm(`Stop trusting ${r.name ?? r.did}? Its documents will be INVALID here.`)) return;
        void changeTrust(r.did, false);
      });
      li.append(remove);
      ui.registrarList.append(li);
    }
    if (summary.statusAsOf) {
      const seconds = (Date.now() - new Date(summary.statusAsOf).getTime()) / 1000;
      const stale = seconds > app.settings.maxStatusAgeSeconds;
      ui.statusAge.textContent = `Status data: ${formatDuration(seconds)} old (from ${formatUtc(new Date(summary.statusAsOf))}), ${summary.statusLists} list${summary.statusLists === 1 ? '' : 's'}.${stale ? ' Too old: answers will be “cannot confirm” until you update it.' : ''}`;
      ui.statusAge.dataset.stale = String(stale);
    } else {
      ui.statusAge.textContent = 'No status data yet.';
      ui.statusAge.dataset.stale = 'true';
    }
  };
  const refreshSummary = async () => showSummary(await app.verifier.summary());

  const changeTrust = async (did: string, trusted: boolean) => {
    try {
      showSummary(await app.verifier.setTrusted(did, trusted));
      setMessage(ui.message, trusted ? `Now trusted: ${shortDid(did, 8)}.` : `No longer trusted: ${shortDid(did, 8)}.`);
      for (const li of Array.from(ui.bundleRegistrarList.children)) if ((li as HTMLElement).dataset.did === did) li.remove();
      ui.bundleRegistrars.hidden = ui.bundleRegistrarList.children.length === 0;
    } catch (e) {
      setMessage(ui.message, errorText(e), 'error');
    }
  };

  /** An unsigned bundle's registrars: the officer decides, one by one. */
  const offerRegistrars = (dids: string[]) => {
    ui.bundleRegistrarList.replaceChildren();
    for (const did of dids) {
      const li = el('li');
      li.dataset.did = did;
      li.append(el('span', shortDid(did, 8), 'did'));
      li.title = did;
      const trust = el('button', 'Trust', 'button button-small');
      trust.type = 'button';
      trust.setAttribute('aria-label', `Trust ${did}`);
      trust.addEventListener('click', () => void changeTrust(did, true));
      li.append(trust);
      ui.bundleRegistrarList.append(li);
    }
    ui.bundleRegistrars.hidden = dids.length === 0;
  };

  ui.trustForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const did = ui.trustDid.value.trim();
    ui.trustDid.value = '';
    void changeTrust(did, true);
  });

  // ---- trust bundle ---------------------------------------------------------------------------------
  ui.bundleFile.addEventListener('change', async () => {
    const file = ui.bundleFile.files?.[0];
    ui.bundleFile.value = '';
    if (!file) return;
    setMessage(ui.message, 'Importing…');
    try {
      const imported = await app.verifier.importBundle(new Uint8Array(await file.arrayBuffer()));
      showSummary(imported.summary);
      const n = imported.summary.registrars.length;
      setMessage(
        ui.message,
        `Trust bundle imported${imported.signed ? ' (signed by your governance authority)' : ''}: ${imported.statusLists} status list${imported.statusLists === 1 ? '' : 's'} updated, ${n} trusted registrar${n === 1 ? '' : 's'}.`,
      );
      offerRegistrars(imported.trustNotImported);
    } catch (e) {
      setMessage(ui.message, `Not imported: ${errorText(e)}`, 'error');
    }
  });

  // ---- network sync ---------------------------------------------------------------------------------
  const showLedger = (info: LedgerInfo | undefined) => {
    ui.ledgerInfo.textContent = info
      ? displayText(`Ledger: ${info.name ?? 'chain'} ${info.chainId}, ${info.rpcUrl}`) // from an imported file
      : 'No ledger settings yet: import the LEDGER.json file your supervisor gave you.';
  };
  ui.ledgerFile.addEventListener('change', async () => {
    const file = ui.ledgerFile.files?.[0];
    ui.ledgerFile.value = '';
    if (!file) return;
    try {
      showLedger(await app.verifier.setLedger(JSON.parse(await file.text()) as unknown));
      setMessage(ui.message, 'Ledger settings saved.');
    } catch (e) {
      setMessage(ui.message, e instanceof SyntaxError ? 'That file is not JSON.' : errorText(e), 'error');
    }
  });

  ui.syncForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const mirrors = ui.mirrors.value.split(/\s+/).filter((m) => m !== '');
    app.settings = { ...app.settings, rpcUrl: ui.rpcUrl.value.trim(), mirrors };
    await saveSettings(app.settingsStore, app.settings);
    setMessage(ui.message, 'Syncing…');
    try {
      const rpcUrl = app.settings.rpcUrl;
      const outcome = await app.verifier.sync({ mirrors, ...(rpcUrl ? { rpcUrl } : {}) });
      showSummary(outcome.summary);
      const updated = `${outcome.listsUpdated} status list${outcome.listsUpdated === 1 ? '' : 's'} updated`;
      if (outcome.ok) setMessage(ui.message, `Sync complete: ${updated}.`);
      else {
        const first = outcome.failures[0];
        setMessage(
          ui.message,
          `Sync incomplete (${updated}; data already on the phone is kept). ${first ? first.message : ''}${outcome.failures.length > 1 ? ` (+${outcome.failures.length - 1} more)` : ''}`,
          'error',
        );
      }
    } catch (e) {
      setMessage(ui.message, `Sync failed: ${errorText(e)}`, 'error');
    }
  });

  // ---- checkpoint settings --------------------------------------------------------------------------
  const fillSettings = () => {
    const s = app.settings;
    ui.domain.value = s.domain;
    ui.maxAge.value = String(Math.round(s.maxStatusAgeSeconds / 3600));
    ui.rpcUrl.value = s.rpcUrl;
    ui.mirrors.value = s.mirrors.join('\n');
    ui.governanceDid.value = s.governanceDid;
  };
  ui.settingsForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const hours = Number(ui.maxAge.value);
    if (!Number.isInteger(hours) || hours < 1) {
      setMessage(ui.message, 'The status data limit must be a whole number of hours.', 'error');
      return;
    }
    const governanceDid = ui.governanceDid.value.trim();
    if (governanceDid !== '' && !/^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/.test(governanceDid)) {
      setMessage(ui.message, 'The governance authority must be a DID, like did:key:z6Mk…', 'error');
      return;
    }
    app.settings = { ...app.settings, domain: ui.domain.value.trim() || app.settings.domain, maxStatusAgeSeconds: hours * 3600, governanceDid };
    await saveSettings(app.settingsStore, app.settings);
    await app.verifier.configure(engineSettings(app.settings));
    fillSettings();
    const details = ui.settingsForm.closest('details');
    if (details) details.open = false;
    await refreshSummary();
    setMessage(ui.message, 'Settings saved.');
  });

  return {
    enter: () => void refreshSummary(),
    showSummary,
    showLedger,
    fillSettings,
    showOfflineReady(ready) {
      ui.offlineReady.textContent = ready
        ? 'Ready to work with no network.'
        : 'Offline use is not available in this browser: keep this page open.';
      document.body.dataset.offlineReady = String(ready);
    },
  };
}
