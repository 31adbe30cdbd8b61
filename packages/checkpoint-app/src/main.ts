/**
 * The checkpoint app: wires the screens (Setup, Scan, Check guardian, Verdict, Log) to the verifier,
 * the camera and IndexedDB. No framework: the page is static HTML (index.html) and this module fills it.
 */
import { startCameraScan } from './camera-scanner.js';
import type { CameraScan } from './camera-scanner.js';
import { CHALLENGE_TTL_MS, challengeQrText, newChallenge } from './challenge.js';
import type { IssuedChallenge } from './challenge.js';
import { byId, el } from './dom.js';
import { formatDuration, formatUtc, shortDid } from './format.js';
import { IdbVerifierStore } from './idb-store.js';
import { IdbKeyValue, STORES, openCheckpointDb } from './idb.js';
import { decodeQrFromFile } from './qr-decode.js';
import { renderQrSvg } from './qr-render.js';
import { registerServiceWorker } from './register-service-worker.js';
import { loadSettings, saveSettings } from './settings.js';
import type { Settings } from './settings.js';
import { VerificationLog, logEntryFor } from './verification-log.js';
import { createCheckpointVerifier } from './verifier-adapter.js';
import type { CheckpointResult, LedgerInfo, TrustSummary } from './verifier-adapter.js';
import { renderVerdict } from './verdict-view.js';

type Screen = 'setup' | 'scan' | 'challenge' | 'verdict' | 'log';
const SCREENS: readonly Screen[] = ['setup', 'scan', 'challenge', 'verdict', 'log'];
const TITLES: Record<Screen, string> = {
  setup: 'Setup',
  scan: 'Scan',
  challenge: 'Check a guardian',
  verdict: 'Verdict',
  log: 'Log',
};

async function main(): Promise<void> {
  const db = await openCheckpointDb();
  const settingsStore = new IdbKeyValue(db, STORES.settings);
  const verifier = createCheckpointVerifier(new IdbVerifierStore(new IdbKeyValue(db, STORES.verifier)));
  const log = new VerificationLog(db);
  let settings: Settings = await loadSettings(settingsStore, location.hostname || 'checkpoint.local');

  const ui = {
    main: byId('main', HTMLElement),
    netStatus: byId('net-status', HTMLElement),
    announcer: byId('announcer', HTMLElement),
    registrarList: byId('registrar-list', HTMLUListElement),
    statusAge: byId('status-age', HTMLElement),
    offlineReady: byId('offline-ready', HTMLElement),
    bundleFile: byId('bundle-file', HTMLInputElement),
    setupMessage: byId('setup-message', HTMLElement),
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
    scanTitle: byId('scan-title', HTMLElement),
    scanMode: byId('scan-mode', HTMLElement),
    camera: byId('camera', HTMLVideoElement),
    scanStatus: byId('scan-status', HTMLElement),
    cameraToggle: byId('camera-toggle', HTMLButtonElement),
    qrImage: byId('qr-image', HTMLInputElement),
    pasteForm: byId('paste-form', HTMLFormElement),
    pasteText: byId('paste-text', HTMLTextAreaElement),
    canvas: byId('decode-canvas', HTMLCanvasElement),
    challengeQr: byId('challenge-qr', HTMLElement),
    challengeNonce: byId('challenge-nonce', HTMLElement),
    challengeDomain: byId('challenge-domain', HTMLElement),
    challengeExpiry: byId('challenge-expiry', HTMLElement),
    logList: byId('log-list', HTMLOListElement),
    verdict: {
      section: byId('screen-verdict', HTMLElement),
      symbol: byId('verdict-symbol', HTMLElement),
      title: byId('verdict-title', HTMLElement),
      summary: byId('verdict-summary', HTMLElement),
      facts: byId('verdict-facts', HTMLDListElement),
      problems: byId('verdict-problems', HTMLElement),
      problemList: byId('verdict-problem-list', HTMLUListElement),
      statusAge: byId('verdict-status-age', HTMLElement),
    },
  };

  const engineSettings = () => ({
    maxStatusAgeSeconds: settings.maxStatusAgeSeconds,
    ...(settings.governanceDid === '' ? {} : { governanceDid: settings.governanceDid }),
  });

  let screen: Screen = 'setup';
  let returnTo: Screen = 'setup';
  let camera: CameraScan | undefined;
  /** Set while the officer is checking a guardian's presentation. */
  let challenge: IssuedChallenge | undefined;
  let scanningFor: 'credential' | 'presentation' = 'credential';

  const announce = (text: string) => {
    ui.announcer.textContent = '';
    // A fresh text node after a tick makes screen readers announce repeated verdicts too.
    setTimeout(() => (ui.announcer.textContent = text), 50);
  };

  const setMessage = (node: HTMLElement, text: string, kind: 'info' | 'error' = 'info') => {
    node.textContent = text;
    node.dataset.kind = kind;
  };

  // ---- network indicator --------------------------------------------------------------------------
  const showNetwork = () => {
    const offline = !navigator.onLine;
    ui.netStatus.textContent = offline ? 'Offline' : 'Online';
    ui.netStatus.dataset.offline = String(offline);
    ui.syncForm.querySelectorAll('button').forEach((b) => (b.disabled = offline));
  };
  addEventListener('online', showNetwork);
  addEventListener('offline', showNetwork);
  showNetwork();

  // ---- setup --------------------------------------------------------------------------------------
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
      const stale = seconds > settings.maxStatusAgeSeconds;
      ui.statusAge.textContent = `Status data: ${formatDuration(seconds)} old (from ${formatUtc(new Date(summary.statusAsOf))}), ${summary.statusLists} list${summary.statusLists === 1 ? '' : 's'}.${stale ? ' Too old: answers will be “cannot confirm” until you update it.' : ''}`;
      ui.statusAge.dataset.stale = String(stale);
    } else {
      ui.statusAge.textContent = 'No status data yet.';
      ui.statusAge.dataset.stale = 'true';
    }
  };
  const refreshSummary = async () => showSummary(await verifier.summary());

  const changeTrust = async (did: string, trusted: boolean) => {
    try {
      showSummary(await verifier.setTrusted(did, trusted));
      setMessage(ui.setupMessage, trusted ? `Now trusted: ${shortDid(did, 8)}.` : `No longer trusted: ${shortDid(did, 8)}.`);
      for (const li of Array.from(ui.bundleRegistrarList.children)) if ((li as HTMLElement).dataset.did === did) li.remove();
      ui.bundleRegistrars.hidden = ui.bundleRegistrarList.children.length === 0;
    } catch (e) {
      setMessage(ui.setupMessage, e instanceof Error ? e.message : String(e), 'error');
    }
  };

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

  ui.bundleFile.addEventListener('change', async () => {
    const file = ui.bundleFile.files?.[0];
    ui.bundleFile.value = '';
    if (!file) return;
    setMessage(ui.setupMessage, 'Importing…');
    try {
      const imported = await verifier.importBundle(new Uint8Array(await file.arrayBuffer()));
      showSummary(imported.summary);
      const n = imported.summary.registrars.length;
      setMessage(
        ui.setupMessage,
        `Trust bundle imported${imported.signed ? ' (signed by your governance authority)' : ''}: ${imported.statusLists} status list${imported.statusLists === 1 ? '' : 's'} updated, ${n} trusted registrar${n === 1 ? '' : 's'}.`,
      );
      offerRegistrars(imported.trustNotImported);
    } catch (e) {
      setMessage(ui.setupMessage, `Not imported: ${e instanceof Error ? e.message : String(e)}`, 'error');
    }
  });

  const showLedger = (info: LedgerInfo | undefined) => {
    ui.ledgerInfo.textContent = info
      ? `Ledger: ${info.name ?? 'chain'} ${info.chainId}, ${info.rpcUrl}`
      : 'No ledger settings yet: import the LEDGER.json file your supervisor gave you.';
  };
  ui.ledgerFile.addEventListener('change', async () => {
    const file = ui.ledgerFile.files?.[0];
    ui.ledgerFile.value = '';
    if (!file) return;
    try {
      showLedger(await verifier.setLedger(JSON.parse(await file.text()) as unknown));
      setMessage(ui.setupMessage, 'Ledger settings saved.');
    } catch (e) {
      setMessage(ui.setupMessage, e instanceof SyntaxError ? 'That file is not JSON.' : e instanceof Error ? e.message : String(e), 'error');
    }
  });

  ui.syncForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const mirrors = ui.mirrors.value.split(/\s+/).filter((m) => m !== '');
    settings = { ...settings, rpcUrl: ui.rpcUrl.value.trim(), mirrors };
    await saveSettings(settingsStore, settings);
    setMessage(ui.setupMessage, 'Syncing…');
    try {
      const outcome = await verifier.sync({ mirrors, ...(settings.rpcUrl ? { rpcUrl: settings.rpcUrl } : {}) });
      showSummary(outcome.summary);
      const updated = `${outcome.listsUpdated} status list${outcome.listsUpdated === 1 ? '' : 's'} updated`;
      if (outcome.ok) setMessage(ui.setupMessage, `Sync complete: ${updated}.`);
      else {
        const first = outcome.failures[0];
        setMessage(
          ui.setupMessage,
          `Sync incomplete (${updated}; data already on the phone is kept). ${first ? first.message : ''}${outcome.failures.length > 1 ? ` (+${outcome.failures.length - 1} more)` : ''}`,
          'error',
        );
      }
    } catch (e) {
      setMessage(ui.setupMessage, `Sync failed: ${e instanceof Error ? e.message : String(e)}`, 'error');
    }
  });

  const fillSettings = () => {
    ui.domain.value = settings.domain;
    ui.maxAge.value = String(Math.round(settings.maxStatusAgeSeconds / 3600));
    ui.rpcUrl.value = settings.rpcUrl;
    ui.mirrors.value = settings.mirrors.join('\n');
    ui.governanceDid.value = settings.governanceDid;
  };
  ui.settingsForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const hours = Number(ui.maxAge.value);
    if (!Number.isInteger(hours) || hours < 1) {
      setMessage(ui.setupMessage, 'The status data limit must be a whole number of hours.', 'error');
      return;
    }
    const governanceDid = ui.governanceDid.value.trim();
    if (governanceDid !== '' && !/^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/.test(governanceDid)) {
      setMessage(ui.setupMessage, 'The governance authority must be a DID, like did:key:z6Mk…', 'error');
      return;
    }
    settings = { ...settings, domain: ui.domain.value.trim() || settings.domain, maxStatusAgeSeconds: hours * 3600, governanceDid };
    await saveSettings(settingsStore, settings);
    await verifier.configure(engineSettings());
    fillSettings();
    const details = ui.settingsForm.closest('details');
    if (details) details.open = false;
    await refreshSummary();
    setMessage(ui.setupMessage, 'Settings saved.');
  });

  // ---- scanning -----------------------------------------------------------------------------------
  const stopCamera = () => {
    camera?.stop();
    camera = undefined;
    ui.cameraToggle.textContent = 'Start camera';
  };
  const startCamera = async () => {
    if (camera) return;
    setMessage(ui.scanStatus, 'Starting camera…');
    try {
      camera = await startCameraScan(ui.camera, ui.canvas, {
        onText: (text) => {
          camera = undefined;
          void check(text);
        },
      });
      ui.cameraToggle.textContent = 'Stop camera';
      setMessage(ui.scanStatus, 'Point the camera at the QR code.');
    } catch (e) {
      const reason = e instanceof DOMException && e.name === 'NotAllowedError'
        ? 'Camera permission was refused.'
        : 'No camera could be opened.';
      setMessage(ui.scanStatus, `${reason} Use a photo or paste the code below.`, 'error');
    }
  };
  ui.cameraToggle.addEventListener('click', () => (camera ? (stopCamera(), setMessage(ui.scanStatus, 'Camera is off.')) : void startCamera()));

  ui.qrImage.addEventListener('change', async () => {
    const file = ui.qrImage.files?.[0];
    ui.qrImage.value = '';
    if (!file) return;
    setMessage(ui.scanStatus, 'Reading the photo…');
    try {
      const text = await decodeQrFromFile(file, ui.canvas);
      if (text) await check(text);
      else setMessage(ui.scanStatus, 'No QR code found in that photo. Try a sharper, closer photo.', 'error');
    } catch {
      setMessage(ui.scanStatus, 'That file could not be read as an image.', 'error');
    }
  });

  ui.pasteForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = ui.pasteText.value.trim();
    if (text === '') {
      setMessage(ui.scanStatus, 'Paste the code text first.', 'error');
      return;
    }
    ui.pasteText.value = '';
    void check(text);
  });

  const check = async (text: string) => {
    stopCamera();
    const now = new Date();
    let used: IssuedChallenge | undefined;
    if (scanningFor === 'presentation') {
      if (!challenge || now.getTime() - challenge.issuedAt > CHALLENGE_TTL_MS) {
        setMessage(ui.scanStatus, 'The code on screen has expired. Make a new one and ask the guardian to scan it.', 'error');
        return;
      }
      // One answer per challenge: a replayed presentation can never match a later check.
      used = challenge;
      challenge = undefined;
    }
    setMessage(ui.scanStatus, 'Checking…');
    const started = performance.now();
    let result: CheckpointResult;
    try {
      result = await verifier.verify(text, {
        ...(used ? { challenge: { nonce: used.nonce, domain: used.domain } } : {}),
        now,
        policy: { maxStatusAgeSeconds: settings.maxStatusAgeSeconds },
      });
    } catch (e) {
      // Untrusted input never throws; this is the phone (storage, memory). Say so rather than hang.
      setMessage(ui.scanStatus, `The check could not run on this phone: ${e instanceof Error ? e.message : String(e)}. Reload the app.`, 'error');
      return;
    }
    const elapsedMs = Math.round(performance.now() - started);
    await log.append({ ...logEntryFor(result, now), elapsedMs }).catch(() => undefined);
    const spoken = renderVerdict(ui.verdict, result, now);
    ui.verdict.statusAge.textContent += ` Checked on this phone in ${elapsedMs} ms.`;
    ui.verdict.section.dataset.elapsedMs = String(elapsedMs);
    show('verdict');
    announce(spoken);
  };

  // ---- presentation challenge ---------------------------------------------------------------------
  let expiryTimer: ReturnType<typeof setInterval> | undefined;
  const showChallenge = async () => {
    challenge = newChallenge(settings.domain, Date.now());
    ui.challengeNonce.textContent = challenge.nonce;
    ui.challengeDomain.textContent = challenge.domain;
    ui.challengeQr.innerHTML = await renderQrSvg(challengeQrText(challenge));
    const tick = () => {
      const left = challenge ? CHALLENGE_TTL_MS - (Date.now() - challenge.issuedAt) : 0;
      ui.challengeExpiry.textContent = left > 0
        ? `This code works for ${formatDuration(left / 1000)} more.`
        : 'This code has expired. Make a new one.';
    };
    tick();
    if (expiryTimer !== undefined) clearInterval(expiryTimer);
    expiryTimer = setInterval(tick, 15_000);
  };
  byId('challenge-new', HTMLButtonElement).addEventListener('click', () => void showChallenge());
  byId('challenge-scan', HTMLButtonElement).addEventListener('click', () => {
    scanningFor = 'presentation';
    show('scan');
  });

  // ---- log ----------------------------------------------------------------------------------------
  const OUTCOME_WORDS = { valid: 'Valid', invalid: 'Invalid', indeterminate: 'Cannot confirm' } as const;
  const showLog = async () => {
    const entries = await log.recent(100);
    ui.logList.replaceChildren();
    if (entries.length === 0) ui.logList.append(el('li', 'No checks yet.'));
    for (const entry of entries) {
      const li = el('li');
      li.append(el('span', `${OUTCOME_WORDS[entry.outcome]} `, 'outcome'));
      li.append(el('span', `${formatUtc(new Date(entry.at))} · ${entry.bearer ? 'document only' : 'with guardian'}`));
      if (entry.codes.length > 0) li.append(el('div', entry.codes.join(', '), 'muted'));
      ui.logList.append(li);
    }
  };
  byId('log-clear', HTMLButtonElement).addEventListener('click', async () => {
    if (!confirm('Delete every entry of the log on this phone?')) return;
    await log.clear();
    await showLog();
  });

  // ---- navigation ---------------------------------------------------------------------------------
  const show = (next: Screen) => {
    if (screen === 'scan' && next !== 'scan') stopCamera();
    if (next !== 'verdict' && next !== screen) returnTo = screen === 'verdict' ? returnTo : screen;
    screen = next;
    for (const s of SCREENS) byId(`screen-${s}`, HTMLElement).hidden = s !== next;
    byId('actions-main', HTMLElement).hidden = next === 'scan' || next === 'challenge' || next === 'verdict';
    byId('actions-scan', HTMLElement).hidden = next !== 'scan';
    byId('actions-challenge', HTMLElement).hidden = next !== 'challenge';
    byId('actions-verdict', HTMLElement).hidden = next !== 'verdict';
    document.title = `${TITLES[next]} · Cradle checkpoint`;
    document.body.dataset.screen = next;
    const heading = byId(next === 'verdict' ? 'verdict-heading' : `${next}-title`, HTMLElement);
    heading.focus();
    if (next === 'scan') {
      ui.scanTitle.textContent = scanningFor === 'presentation' ? "Scan the guardian's answer" : 'Scan a QR code';
      ui.scanMode.textContent = scanningFor === 'presentation'
        ? "Checking the guardian's wallet answer: the document and the person presenting it."
        : 'Checking a document on its own: the person showing it is not checked.';
      void startCamera();
    }
    if (next === 'challenge') void showChallenge();
    if (next === 'log') void showLog();
    if (next === 'setup') void refreshSummary();
  };

  document.querySelectorAll<HTMLButtonElement>('button[data-go]').forEach((button) => {
    button.addEventListener('click', () => {
      const target = button.dataset.go;
      if (target === 'back') return show(returnTo === 'scan' ? 'setup' : returnTo);
      if (target === 'scan') scanningFor = 'credential';
      if (target && (SCREENS as readonly string[]).includes(target)) show(target as Screen);
    });
  });
  byId('verdict-next', HTMLButtonElement).addEventListener('click', () => show(scanningFor === 'presentation' ? 'challenge' : 'scan'));

  fillSettings();
  await verifier.configure(engineSettings());
  showLedger(await verifier.ledger());
  const summary = await verifier.summary();
  showSummary(summary);
  show(summary.registrars.length > 0 ? 'scan' : 'setup');
  document.body.dataset.ready = 'true';

  const offline = await registerServiceWorker();
  ui.offlineReady.textContent = offline
    ? 'Ready to work with no network.'
    : 'Offline use is not available in this browser: keep this page open.';
  document.body.dataset.offlineReady = String(offline);
}

main().catch((e: unknown) => {
  document.body.textContent = `The app could not start: ${e instanceof Error ? e.message : String(e)}. Reload the page.`;
});
