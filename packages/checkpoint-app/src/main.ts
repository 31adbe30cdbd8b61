/**
 * The checkpoint app's start-up: opens IndexedDB, builds the shared context, wires one module per screen
 * (screens/), the language picker and the night theme, and starts on Scan when the phone has trust data,
 * on Setup otherwise. No framework: the page is static HTML (index.html) and the screens fill it.
 */
import { displayText } from '@cradle/core';
import { SCREENS, engineSettings } from './app-state.js';
import type { App, Screen } from './app-state.js';
import { byId } from './dom.js';
import { setSoundEnabled, soundEnabled } from './feedback.js';
import { LOCALES, applyStaticTexts, currentLocale, onLanguageChange, setLanguage, t } from './i18n/i18n.js';
import { IdbVerifierStore } from './idb-store.js';
import { IdbKeyValue, STORES, openCheckpointDb } from './idb.js';
import { registerServiceWorker } from './register-service-worker.js';
import { createRouter } from './router.js';
import { createChallengeScreen } from './screens/challenge-screen.js';
import { createLogScreen } from './screens/log-screen.js';
import { createScanScreen } from './screens/scan-screen.js';
import { createSetupScreen } from './screens/setup-screen.js';
import { createVerdictScreen } from './screens/verdict-screen.js';
import { loadSettings } from './settings.js';
import { applySavedTheme, isDark, setTheme } from './theme.js';
import { VerificationLog } from './verification-log.js';
import { createCheckpointVerifier, loadVerification } from './verifier-adapter.js';

/** Language picker (each language in its own name) and the Day/Night button. */
function wireChrome(): void {
  const picker = byId('language', HTMLSelectElement);
  for (const l of LOCALES) {
    const option = document.createElement('option');
    option.value = l.code;
    option.textContent = l.name;
    option.lang = l.code;
    picker.append(option);
  }
  picker.value = currentLocale().code;
  picker.addEventListener('change', () => setLanguage(picker.value));

  const toggle = byId('theme-toggle', HTMLButtonElement);
  const showTheme = () => {
    const dark = isDark();
    toggle.textContent = dark ? t().dayTheme : t().nightTheme;
    toggle.setAttribute('aria-pressed', String(document.documentElement.dataset.theme === 'night'));
  };
  toggle.addEventListener('click', () => {
    setTheme(isDark() ? 'day' : 'night');
    showTheme();
  });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', showTheme);
  onLanguageChange(showTheme);
  showTheme();

  const sound = byId('sound-on', HTMLInputElement);
  sound.checked = soundEnabled();
  sound.addEventListener('change', () => setSoundEnabled(sound.checked));
}

/** Run `task` when the page is idle (or soon, where the browser has no idle callbacks). */
function whenIdle(task: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(task, { timeout: 2000 });
  else setTimeout(task, 250);
}

async function main(): Promise<void> {
  applySavedTheme();
  applyStaticTexts();
  wireChrome();
  const db = await openCheckpointDb();
  const settingsStore = new IdbKeyValue(db, STORES.settings);
  const verifierStore = new IdbVerifierStore(new IdbKeyValue(db, STORES.verifier));
  // The verifier's data is read while the settings are (start-up needs both); the store keeps this read.
  verifierStore.load().catch(() => undefined);
  const announcer = byId('announcer', HTMLElement);
  const app: App = {
    verifier: createCheckpointVerifier(verifierStore, settingsStore),
    log: new VerificationLog(db),
    settingsStore,
    settings: await loadSettings(settingsStore, location.hostname || 'checkpoint.local'),
    scanningFor: 'credential',
    challenge: undefined,
    show: (screen) => router.show(screen),
    announce(text) {
      announcer.textContent = '';
      // A fresh text node after a tick makes screen readers announce repeated verdicts too.
      setTimeout(() => (announcer.textContent = displayText(text)), 50);
    },
  };

  const setup = createSetupScreen(app);
  const verdict = createVerdictScreen(app);
  const router = createRouter({
    setup,
    scan: createScanScreen(app, (done) => verdict.showResult(done)),
    challenge: createChallengeScreen(app),
    verdict,
    log: createLogScreen(app),
  });
  onLanguageChange(() => router.refresh());

  document.querySelectorAll<HTMLButtonElement>('button[data-go]').forEach((button) => {
    button.addEventListener('click', () => {
      const target = button.dataset.go;
      if (target === 'back') return router.show(router.backTarget());
      if (target === 'scan') app.scanningFor = 'credential';
      if (target && (SCREENS as readonly string[]).includes(target)) router.show(target as Screen);
    });
  });

  setup.fillSettings();
  await app.verifier.configure(engineSettings(app.settings));
  setup.showLedger(await app.verifier.ledger());
  setup.showAlertKey(await app.verifier.alertKey());
  const summary = await app.verifier.summary();
  setup.showSummary(summary);
  router.show(summary.registrars.length > 0 ? 'scan' : 'setup');
  document.body.dataset.ready = 'true';
  // For the start-up benchmark (bench/figures/checkpoint-app.ts): navigation start to a usable screen.
  performance.mark('cradle-ready');
  // The verification code loads, and the QR reader learns its dictionary (~100 ms on a slow phone), when
  // the phone is idle after start-up: not before "ready" and not inside the officer's first scan.
  whenIdle(() => {
    loadVerification()
      .then((v) => {
        v.primeQrPayloadReader();
        performance.mark('cradle-qr-reader-primed');
      })
      .catch(() => undefined); // the first check loads it again and says what went wrong
  });

  setup.showOfflineReady(await registerServiceWorker());
}

main().catch((e: unknown) => {
  document.body.textContent = `The app could not start: ${e instanceof Error ? e.message : String(e)}. Reload the page.`;
});
