/**
 * Scan: says first whether the phone can give real answers (not set up / stale / ready), then the camera,
 * with a photo or pasted text as fallbacks. Runs the check (with the open challenge when the officer is
 * checking a guardian), logs it, and hands the result to the verdict screen. The code just checked is not
 * read again from the camera until the officer asks.
 */
import type { App } from '../app-state.js';
import { byId, setMessage } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { decodeQrFromFile } from '../qr-decode.js';
import type { ScreenController } from '../router.js';
import { createCameraControl } from './scan/camera-control.js';
import { createReadinessBanner } from './scan/readiness-banner.js';
import { createCheckRunner } from './scan/run-check.js';
import type { CheckDone } from './scan/run-check.js';

export type { CheckDone } from './scan/run-check.js';

/**
 * Wires the Scan screen from its parts (screens/scan/): the readiness banner, the camera, the check; and
 * the fallbacks, a photo or pasted text. `onChecked` receives every finished check.
 */
export function createScanScreen(app: App, onChecked: (done: CheckDone) => void): ScreenController {
  const ui = {
    title: byId('scan-title', HTMLElement),
    mode: byId('scan-mode', HTMLElement),
    status: byId('scan-status', HTMLElement),
    certificateHint: byId('certificate-hint', HTMLElement),
    qrImage: byId('qr-image', HTMLInputElement),
    pasteForm: byId('paste-form', HTMLFormElement),
    pasteText: byId('paste-text', HTMLTextAreaElement),
    canvas: byId('decode-canvas', HTMLCanvasElement),
  };
  const showReadiness = createReadinessBanner(app);
  const runCheck = createCheckRunner(app, ui.status, onChecked);
  const check = async (text: string, seals?: readonly string[]) => {
    camera.stop();
    camera.hideScanAgain();
    await runCheck(text, seals);
  };
  /**
   * Several codes in one picture are the seals of a printed certificate, checked together. A guardian's
   * answer is one code: with more in view, the first one read is checked.
   */
  const checkCodes = (codes: readonly string[]) =>
    codes.length > 1 && app.scanningFor === 'credential' ? check(codes[0]!, codes) : check(codes[0]!);
  const camera = createCameraControl(ui.status, ui.canvas, (codes) => void checkCodes(codes));

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

  const texts = () => {
    const guardian = app.scanningFor === 'presentation';
    ui.title.textContent = guardian ? t().scanAnswerTitle : t().scanTitle;
    ui.mode.textContent = guardian ? t().scanModeGuardian : t().scanModeDocument;
    ui.certificateHint.hidden = guardian;
    camera.retranslate();
    void showReadiness();
  };
  return {
    enter() {
      texts();
      void camera.start();
    },
    leave: camera.stop,
    retranslate: texts,
  };
}
