/**
 * Scan: says first whether the phone can give real answers (not set up / stale / ready), then the camera,
 * with a photo or pasted text as fallbacks. Runs the check (with the open challenge when the officer is
 * checking a guardian), logs it, and hands the result to the verdict screen. The code just checked is not
 * read again from the camera until the officer asks.
 */
import type { App } from '../app-state.js';
import { startCameraScan } from '../camera-scanner.js';
import type { CameraScan } from '../camera-scanner.js';
import { CHALLENGE_TTL_MS } from '../challenge.js';
import type { IssuedChallenge } from '../challenge.js';
import { byId, errorText, setMessage } from '../dom.js';
import { formatDuration } from '../format.js';
import { currentLocale, t } from '../i18n/i18n.js';
import { decodeQrFromFile } from '../qr-decode.js';
import { readinessOf } from '../readiness.js';
import type { ScreenController } from '../router.js';
import { inputKindOf } from '../verdict-view.js';
import type { InputKind } from '../verdict-view.js';
import { logEntryFor } from '../verification-log.js';
import type { CheckpointResult } from '../verifier-adapter.js';

/** A finished check, as the verdict screen draws it. */
export interface CheckDone {
  result: CheckpointResult;
  now: Date;
  elapsedMs: number;
  /** What the scanned text looked like (never the text itself). */
  input: InputKind;
}

/** Wires the Scan screen; `onChecked` receives every finished check. */
export function createScanScreen(app: App, onChecked: (done: CheckDone) => void): ScreenController {
  const ui = {
    title: byId('scan-title', HTMLElement),
    readiness: byId('readiness', HTMLElement),
    readinessText: byId('readiness-text', HTMLElement),
    readinessSetup: byId('readiness-setup', HTMLButtonElement),
    mode: byId('scan-mode', HTMLElement),
    camera: byId('camera', HTMLVideoElement),
    status: byId('scan-status', HTMLElement),
    certificateHint: byId('certificate-hint', HTMLElement),
    scanAgain: byId('scan-again', HTMLButtonElement),
    cameraToggle: byId('camera-toggle', HTMLButtonElement),
    qrImage: byId('qr-image', HTMLInputElement),
    pasteForm: byId('paste-form', HTMLFormElement),
    pasteText: byId('paste-text', HTMLTextAreaElement),
    canvas: byId('decode-canvas', HTMLCanvasElement),
  };
  let camera: CameraScan | undefined;
  /** Bumped by every stop: a camera start still under way from before then stops itself. */
  let cameraGeneration = 0;
  let cameraStarting = false;
  /** The code(s) last checked from the camera: not taken again until the officer asks. */
  let lastChecked: string | undefined;
  const keyOf = (codes: readonly string[]) => [...codes].sort().join('\n');

  const showReadiness = async () => {
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

  const cameraButton = () => (ui.cameraToggle.textContent = camera ? t().actStopCamera : t().actStartCamera);
  const stopCamera = () => {
    cameraGeneration++;
    camera?.stop();
    camera = undefined;
    cameraButton();
  };
  const startCamera = async () => {
    if (camera || cameraStarting) return;
    cameraStarting = true;
    const generation = ++cameraGeneration;
    setMessage(ui.status, t().cameraStarting);
    try {
      const scan = await startCameraScan(ui.camera, ui.canvas, {
        accept: (codes) => {
          if (keyOf(codes) !== lastChecked) return true;
          if (ui.scanAgain.hidden) {
            setMessage(ui.status, t().sameCodeAgain);
            ui.scanAgain.hidden = false;
          }
          return false;
        },
        onCodes: (codes) => {
          camera = undefined;
          lastChecked = keyOf(codes);
          void checkCodes(codes);
        },
      });
      if (generation !== cameraGeneration) {
        // A pasted code or a photo was checked, or the screen was left, while the camera was opening:
        // decoding frames now would only compete with the check for the phone's CPU.
        scan.stop();
        return;
      }
      camera = scan;
      cameraButton();
      setMessage(ui.status, t().cameraPoint);
    } catch (e) {
      const refused = e instanceof DOMException && e.name === 'NotAllowedError';
      setMessage(ui.status, refused ? t().cameraRefused : t().cameraMissing, 'error');
    } finally {
      cameraStarting = false;
    }
  };
  ui.cameraToggle.addEventListener('click', () => (camera ? (stopCamera(), setMessage(ui.status, t().cameraOff)) : void startCamera()));
  ui.scanAgain.addEventListener('click', () => {
    // The officer asks: the code in front of the camera is checked once more.
    lastChecked = undefined;
    ui.scanAgain.hidden = true;
    setMessage(ui.status, t().cameraPoint);
    void startCamera();
  });

  ui.qrImage.addEventListener('change', async () => {
    const file = ui.qrImage.files?.[0];
    ui.qrImage.value = '';
    if (!file) return;
    setMessage(ui.status, t().readingPhoto);
    try {
      const codes = await decodeQrFromFile(file, ui.canvas);
      if (codes.length > 0) await checkCodes(codes);
      else setMessage(ui.status, t().noQrInPhoto, 'error');
    } catch {
      setMessage(ui.status, t().notAnImage, 'error');
    }
  });

  ui.pasteForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = ui.pasteText.value.trim();
    if (text === '') {
      setMessage(ui.status, t().pasteFirst, 'error');
      return;
    }
    ui.pasteText.value = '';
    void check(text);
  });

  /**
   * Several codes in one picture are the seals of a printed certificate, checked together. A guardian's
   * answer is one code: with more in view, the first one read is checked.
   */
  const checkCodes = (codes: readonly string[]) =>
    codes.length > 1 && app.scanningFor === 'credential' ? check(codes[0]!, codes) : check(codes[0]!);

  const check = async (text: string, seals?: readonly string[]) => {
    stopCamera();
    ui.scanAgain.hidden = true;
    const now = new Date();
    let used: IssuedChallenge | undefined;
    if (app.scanningFor === 'presentation') {
      const open = app.challenge;
      if (!open || now.getTime() - open.issuedAt > CHALLENGE_TTL_MS) {
        setMessage(ui.status, t().challengeExpired, 'error');
        return;
      }
      // One answer per challenge: a replayed presentation can never match a later check.
      used = open;
      app.challenge = undefined;
    }
    setMessage(ui.status, t().checking);
    const started = performance.now();
    let result: CheckpointResult;
    const s = app.settings;
    const policy = { maxStatusAgeSeconds: s.maxStatusAgeSeconds, requireTravelConsent: s.requireTravelConsent, ...(s.destination ? { destination: s.destination } : {}) };
    try {
      result = seals
        ? await app.verifier.verifyCertificate(seals, { now, policy })
        : await app.verifier.verify(text, { ...(used ? { challenge: { nonce: used.nonce, domain: used.domain } } : {}), now, policy });
    } catch (e) {
      // Untrusted input never throws; this is the phone (storage, memory). Say so rather than hang.
      setMessage(ui.status, t().checkFailedOnPhone(errorText(e)), 'error');
      return;
    }
    const elapsedMs = Math.round(performance.now() - started);
    await app.log.append({ ...logEntryFor(result, now), elapsedMs }).catch(() => undefined);
    onChecked({ result, now, elapsedMs, input: seals ? { kind: 'cradle' } : inputKindOf(text) });
  };

  const texts = () => {
    const guardian = app.scanningFor === 'presentation';
    ui.title.textContent = guardian ? t().scanAnswerTitle : t().scanTitle;
    ui.mode.textContent = guardian ? t().scanModeGuardian : t().scanModeDocument;
    ui.certificateHint.hidden = guardian;
    cameraButton();
    void showReadiness();
  };
  return {
    enter() {
      texts();
      void startCamera();
    },
    leave: stopCamera,
    retranslate: texts,
  };
}
