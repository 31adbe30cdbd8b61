/**
 * Scan: the camera first, a photo or pasted text as fallbacks. Runs the check (with the open challenge
 * when the officer is checking a guardian), logs it, and hands the result to the verdict screen.
 */
import type { App } from '../app-state.js';
import { startCameraScan } from '../camera-scanner.js';
import type { CameraScan } from '../camera-scanner.js';
import { CHALLENGE_TTL_MS } from '../challenge.js';
import type { IssuedChallenge } from '../challenge.js';
import { byId, errorText, setMessage } from '../dom.js';
import { decodeQrFromFile } from '../qr-decode.js';
import type { ScreenController } from '../router.js';
import { logEntryFor } from '../verification-log.js';
import type { CheckpointResult } from '../verifier-adapter.js';

/** A finished check, as the verdict screen draws it. */
export interface CheckDone {
  result: CheckpointResult;
  now: Date;
  elapsedMs: number;
}

/** Wires the Scan screen; `onChecked` receives every finished check. */
export function createScanScreen(app: App, onChecked: (done: CheckDone) => void): ScreenController {
  const ui = {
    title: byId('scan-title', HTMLElement),
    mode: byId('scan-mode', HTMLElement),
    camera: byId('camera', HTMLVideoElement),
    status: byId('scan-status', HTMLElement),
    cameraToggle: byId('camera-toggle', HTMLButtonElement),
    qrImage: byId('qr-image', HTMLInputElement),
    pasteForm: byId('paste-form', HTMLFormElement),
    pasteText: byId('paste-text', HTMLTextAreaElement),
    canvas: byId('decode-canvas', HTMLCanvasElement),
  };
  let camera: CameraScan | undefined;

  const stopCamera = () => {
    camera?.stop();
    camera = undefined;
    ui.cameraToggle.textContent = 'Start camera';
  };
  const startCamera = async () => {
    if (camera) return;
    setMessage(ui.status, 'Starting camera…');
    try {
      camera = await startCameraScan(ui.camera, ui.canvas, {
        onText: (text) => {
          camera = undefined;
          void check(text);
        },
      });
      ui.cameraToggle.textContent = 'Stop camera';
      setMessage(ui.status, 'Point the camera at the QR code.');
    } catch (e) {
      const reason = e instanceof DOMException && e.name === 'NotAllowedError'
        ? 'Camera permission was refused.'
        : 'No camera could be opened.';
      setMessage(ui.status, `${reason} Use a photo or paste the code below.`, 'error');
    }
  };
  ui.cameraToggle.addEventListener('click', () => (camera ? (stopCamera(), setMessage(ui.status, 'Camera is off.')) : void startCamera()));

  ui.qrImage.addEventListener('change', async () => {
    const file = ui.qrImage.files?.[0];
    ui.qrImage.value = '';
    if (!file) return;
    setMessage(ui.status, 'Reading the photo…');
    try {
      const text = await decodeQrFromFile(file, ui.canvas);
      if (text) await check(text);
      else setMessage(ui.status, 'No QR code found in that photo. Try a sharper, closer photo.', 'error');
    } catch {
      setMessage(ui.status, 'That file could not be read as an image.', 'error');
    }
  });

  ui.pasteForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = ui.pasteText.value.trim();
    if (text === '') {
      setMessage(ui.status, 'Paste the code text first.', 'error');
      return;
    }
    ui.pasteText.value = '';
    void check(text);
  });

  const check = async (text: string) => {
    stopCamera();
    const now = new Date();
    let used: IssuedChallenge | undefined;
    if (app.scanningFor === 'presentation') {
      const open = app.challenge;
      if (!open || now.getTime() - open.issuedAt > CHALLENGE_TTL_MS) {
        setMessage(ui.status, 'The code on screen has expired. Make a new one and ask the guardian to scan it.', 'error');
        return;
      }
      // One answer per challenge: a replayed presentation can never match a later check.
      used = open;
      app.challenge = undefined;
    }
    setMessage(ui.status, 'Checking…');
    const started = performance.now();
    let result: CheckpointResult;
    try {
      result = await app.verifier.verify(text, {
        ...(used ? { challenge: { nonce: used.nonce, domain: used.domain } } : {}),
        now,
        policy: { maxStatusAgeSeconds: app.settings.maxStatusAgeSeconds },
      });
    } catch (e) {
      // Untrusted input never throws; this is the phone (storage, memory). Say so rather than hang.
      setMessage(ui.status, `The check could not run on this phone: ${errorText(e)}. Reload the app.`, 'error');
      return;
    }
    const elapsedMs = Math.round(performance.now() - started);
    await app.log.append({ ...logEntryFor(result, now), elapsedMs }).catch(() => undefined);
    onChecked({ result, now, elapsedMs });
  };

  return {
    enter() {
      const guardian = app.scanningFor === 'presentation';
      ui.title.textContent = guardian ? "Scan the guardian's answer" : 'Scan a QR code';
      ui.mode.textContent = guardian
        ? "Checking the guardian's wallet answer: the document and the person presenting it."
        : 'Checking a document on its own: the person showing it is not checked.';
      void startCamera();
    },
    leave: stopCamera,
  };
}
