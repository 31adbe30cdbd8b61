/**
 * Setup: what the checkpoint trusts and how fresh its data is; trust bundle import, network sync,
 * checkpoint settings, trusting a registrar by hand.
 */
import { displayText } from '@cradle/core';
import { ISO_3166_ALPHA2 } from '@cradle/core';
import type { App } from '../app-state.js';
import { engineSettings } from '../app-state.js';
import { byId, el, errorText, setMessage } from '../dom.js';
import { formatDuration, formatUtc } from '../format.js';
import { currentLocale, t } from '../i18n/i18n.js';
import type { ScreenController } from '../router.js';
import { registrarLabel } from '../verdict-view.js';
import { saveSettings } from '../settings.js';
import type { AlertKeyInfo, LedgerInfo, TrustSummary } from '../verifier-adapter.js';

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
    requireConsent: byId('require-consent', HTMLInputElement),
    destination: byId('destination', HTMLInputElement),
    trustForm: byId('trust-form', HTMLFormElement),
    trustDid: byId('trust-did', HTMLInputElement),
    bundleRegistrars: byId('bundle-registrars', HTMLElement),
    bundleRegistrarList: byId('bundle-registrar-list', HTMLUListElement),
    alertKeyInfo: byId('alert-key-info', HTMLElement),
    alertKeyFile: byId('alert-key-file', HTMLInputElement),
    alertKeyRemove: byId('alert-key-remove', HTMLButtonElement),
  };

  // ---- network indicator (sync needs a link) --------------------------------------------------------
  const showNetwork = () => {
    const offline = !navigator.onLine;
    ui.netStatus.textContent = offline ? t().offline : t().online;
    ui.netStatus.dataset.offline = String(offline);
    ui.syncForm.querySelectorAll('button').forEach((b) => (b.disabled = offline));
  };
  addEventListener('online', showNetwork);
  addEventListener('offline', showNetwork);
  showNetwork();

  // ---- trusted registrars and status data -----------------------------------------------------------
  let lastSummary: TrustSummary | undefined;
  let lastLedger: LedgerInfo | undefined;
  let lastAlertKey: AlertKeyInfo | undefined;
  let offlineReady: boolean | undefined;
  const showSummary = (summary: TrustSummary) => {
    lastSummary = summary;
    const m = t();
    const intl = currentLocale().intl;
    ui.registrarList.replaceChildren();
    if (summary.registrars.length === 0) ui.registrarList.append(el('li', m.noRegistrars));
    for (const r of summary.registrars) {
      const li = el('li');
      const name = el('span', registrarLabel(r), 'name');
      name.dir = 'auto';
      li.append(name);
      // The DID, whole and in one style everywhere: for supervisors comparing with their instructions.
      const did = el('code', r.did, 'did');
      did.dir = 'ltr';
      li.append(did);
      const remove = el('button', m.stopTrusting, 'button button-small');
      remove.type = 'button';
      remove.setAttribute('aria-label', m.stopTrustingLabel(r.name ?? r.did));
      remove.addEventListener('click', () => {
        if (!confirm(t().stopTrustingConfirm(r.name ?? r.did))) return;
        void changeTrust(r.did, false);
      });
      li.append(remove);
      ui.registrarList.append(li);
    }
    if (summary.statusAsOf) {
      const seconds = (Date.now() - new Date(summary.statusAsOf).getTime()) / 1000;
      const stale = seconds > app.settings.maxStatusAgeSeconds;
      ui.statusAge.textContent = `${m.statusData(formatDuration(seconds, intl), formatUtc(new Date(summary.statusAsOf), intl), summary.statusLists)}${stale ? ` ${m.statusTooOld}` : ''}`;
      ui.statusAge.dataset.stale = String(stale);
    } else {
      ui.statusAge.textContent = m.noStatusData;
      ui.statusAge.dataset.stale = 'true';
    }
  };
  const refreshSummary = async () => showSummary(await app.verifier.summary());

  const changeTrust = async (did: string, trusted: boolean) => {
    try {
      showSummary(await app.verifier.setTrusted(did, trusted));
      setMessage(ui.message, trusted ? t().nowTrusted(did) : t().noLongerTrusted(did));
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
      const code = el('code', did, 'did');
      code.dir = 'ltr';
      li.append(code);
      const trust = el('button', t().trust, 'button button-small');
      trust.type = 'button';
      trust.setAttribute('aria-label', t().trustLabel(did));
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
    setMessage(ui.message, t().importing);
    try {
      const imported = await app.verifier.importBundle(new Uint8Array(await file.arrayBuffer()));
      showSummary(imported.summary);
      const alerts = imported.alertListsNotRead > 0 ? ` ${t().alertListsNotRead(imported.alertListsNotRead, lastAlertKey !== undefined)}` : '';
      setMessage(ui.message, `${t().bundleImported(imported.signed, imported.statusLists, imported.summary.registrars.length)}${alerts}`);
      offerRegistrars(imported.trustNotImported);
    } catch (e) {
      setMessage(ui.message, t().notImported(errorText(e)), 'error');
    }
  });

  // ---- network sync ---------------------------------------------------------------------------------
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
      setMessage(ui.message, t().ledgerSaved);
    } catch (e) {
      setMessage(ui.message, e instanceof SyntaxError ? t().notJson : errorText(e), 'error');
    }
  });

  ui.syncForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const mirrors = ui.mirrors.value.split(/\s+/).filter((m) => m !== '');
    app.settings = { ...app.settings, rpcUrl: ui.rpcUrl.value.trim(), mirrors };
    await saveSettings(app.settingsStore, app.settings);
    setMessage(ui.message, t().syncing);
    try {
      const rpcUrl = app.settings.rpcUrl;
      const outcome = await app.verifier.sync({ mirrors, ...(rpcUrl ? { rpcUrl } : {}) });
      showSummary(outcome.summary);
      if (outcome.ok) setMessage(ui.message, t().syncComplete(outcome.listsUpdated));
      else {
        const first = outcome.failures[0];
        setMessage(ui.message, t().syncIncomplete(outcome.listsUpdated, first ? first.message : '', outcome.failures.length - 1), 'error');
      }
    } catch (e) {
      setMessage(ui.message, t().syncFailed(errorText(e)), 'error');
    }
  });

  // ---- child-protection alert key (stays on this phone) ---------------------------------------------
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
      // A JWK is small: anything much bigger is not one (and is not read whole).
      if (file.size > 16_384) throw new Error('the file is too large to be a key');
      showAlertKey(await app.verifier.setAlertKey(JSON.parse(await file.text()) as unknown));
      setMessage(ui.message, t().alertKeySaved);
    } catch (e) {
      setMessage(ui.message, e instanceof SyntaxError ? t().notJson : t().alertKeyRefused(errorText(e)), 'error');
    }
  });
  ui.alertKeyRemove.addEventListener('click', async () => {
    if (!confirm(t().removeAlertKeyConfirm)) return;
    await app.verifier.removeAlertKey();
    showAlertKey(undefined);
    setMessage(ui.message, t().alertKeyRemoved);
  });

  // ---- checkpoint settings --------------------------------------------------------------------------
  const fillSettings = () => {
    const s = app.settings;
    ui.domain.value = s.domain;
    ui.maxAge.value = String(Math.round(s.maxStatusAgeSeconds / 3600));
    ui.rpcUrl.value = s.rpcUrl;
    ui.mirrors.value = s.mirrors.join('\n');
    ui.governanceDid.value = s.governanceDid;
    ui.requireConsent.checked = s.requireTravelConsent;
    ui.destination.value = s.destination;
  };
  ui.settingsForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const hours = Number(ui.maxAge.value);
    if (!Number.isInteger(hours) || hours < 1) {
      setMessage(ui.message, t().maxAgeInvalid, 'error');
      return;
    }
    const governanceDid = ui.governanceDid.value.trim();
    if (governanceDid !== '' && !/^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/.test(governanceDid)) {
      setMessage(ui.message, t().governanceInvalid, 'error');
      return;
    }
    const destination = ui.destination.value.trim().toUpperCase();
    if (destination !== '' && !ISO_3166_ALPHA2.includes(destination)) {
      setMessage(ui.message, t().destinationInvalid, 'error');
      return;
    }
    app.settings = {
      ...app.settings,
      domain: ui.domain.value.trim() || app.settings.domain,
      maxStatusAgeSeconds: hours * 3600,
      governanceDid,
      requireTravelConsent: ui.requireConsent.checked,
      destination,
    };
    await saveSettings(app.settingsStore, app.settings);
    await app.verifier.configure(engineSettings(app.settings));
    fillSettings();
    const details = ui.settingsForm.closest('details');
    if (details) details.open = false;
    await refreshSummary();
    setMessage(ui.message, t().settingsSaved);
  });

  return {
    enter: () => void refreshSummary(),
    showSummary,
    showLedger,
    showAlertKey,
    fillSettings,
    showOfflineReady(ready) {
      offlineReady = ready;
      ui.offlineReady.textContent = ready ? t().offlineReady : t().offlineUnavailable;
      document.body.dataset.offlineReady = String(ready);
    },
    retranslate() {
      showNetwork();
      if (lastSummary) showSummary(lastSummary);
      showLedger(lastLedger);
      showAlertKey(lastAlertKey);
      if (offlineReady !== undefined) ui.offlineReady.textContent = offlineReady ? t().offlineReady : t().offlineUnavailable;
    },
  };
}
