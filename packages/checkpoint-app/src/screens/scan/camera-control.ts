/**
 * Scan, the camera: started and stopped by the screen or the officer, it hands over the codes it reads.
 * The code(s) just checked are not taken again until the officer asks ("scan again"), and a start still
 * under way when the camera is stopped stops itself.
 */
import { startCameraScan } from '../../camera-scanner.js';
import type { CameraScan } from '../../camera-scanner.js';
import { byId, setMessage } from '../../dom.js';
import { t } from '../../i18n/i18n.js';

/** The camera part of the Scan screen. */
export interface CameraControl {
  start(): Promise<void>;
  stop(): void;
  /** Hides "scan again" (a check is starting). */
  hideScanAgain(): void;
  /** Redraws the start/stop button in the current language. */
  retranslate(): void;
}

/** Wires the camera and its buttons; `status` is the screen's message line, `onCodes` gets each new read. */
export function createCameraControl(status: HTMLElement, canvas: HTMLCanvasElement, onCodes: (codes: readonly string[]) => void): CameraControl {
  const ui = {
    camera: byId('camera', HTMLVideoElement),
    scanAgain: byId('scan-again', HTMLButtonElement),
    cameraToggle: byId('camera-toggle', HTMLButtonElement),
  };
  let camera: CameraScan | undefined;
  /** Bumped by every stop: a camera start still under way from before then stops itself. */
  let cameraGeneration = 0;
  let cameraStarting = false;
  /** The code(s) last checked from the camera: not taken again until the officer asks. */
  let lastChecked: string | undefined;
  const keyOf = (codes: readonly string[]) => [...codes].sort().join('\n');

  const cameraButton = () => (ui.cameraToggle.textContent = camera ? t().actStopCamera : t().actStartCamera);
  const stop = () => {
    cameraGeneration++;
    camera?.stop();
    camera = undefined;
    cameraButton();
  };
  /** Whether the camera should hand over `codes`: not the ones just checked (then offer "scan again"). */
  const accept = (codes: readonly string[]) => {
    if (keyOf(codes) !== lastChecked) return true;
    if (ui.scanAgain.hidden) {
      setMessage(status, t().sameCodeAgain);
      ui.scanAgain.hidden = false;
    }
    return false;
  };
  const start = async () => {
    if (camera || cameraStarting) return;
    cameraStarting = true;
    const generation = ++cameraGeneration;
    setMessage(status, t().cameraStarting);
    try {
      const scan = await startCameraScan(ui.camera, canvas, {
        accept,
        onCodes: (codes) => {
          camera = undefined;
          lastChecked = keyOf(codes);
          onCodes(codes);
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
      setMessage(status, t().cameraPoint);
    } catch (e) {
      const refused = e instanceof DOMException && e.name === 'NotAllowedError';
      setMessage(status, refused ? t().cameraRefused : t().cameraMissing, 'error');
    } finally {
      cameraStarting = false;
    }
  };
  ui.cameraToggle.addEventListener('click', () => (camera ? (stop(), setMessage(status, t().cameraOff)) : void start()));
  ui.scanAgain.addEventListener('click', () => {
    // The officer asks: the code in front of the camera is checked once more.
    lastChecked = undefined;
    ui.scanAgain.hidden = true;
    setMessage(status, t().cameraPoint);
    void start();
  });

  return {
    start,
    stop,
    hideScanAgain: () => (ui.scanAgain.hidden = true),
    retranslate: cameraButton,
  };
}
