import { DEFAULT_MAX_SIDE, decodeQrFrom } from './qr-decode.js';

/** A running camera scan; call `stop()` to release the camera. */
export interface CameraScan {
  stop(): void;
}

/** Options for {@link startCameraScan}. */
export interface CameraScanOptions {
  /** Frames examined per second (default 5): enough to feel instant, light on a cheap phone's battery. */
  fps?: number;
  /** Called once with the first QR text found (and accepted); the scan stops itself first. */
  onText: (text: string) => void;
  /**
   * Whether to take a text found in a frame; when it returns false the scan goes on. The app refuses the
   * code it has just checked, still in front of the camera, until the officer asks to check it again.
   */
  accept?: (text: string) => boolean;
}

/**
 * Opens the rear camera into `video` and decodes frames on `canvas` until a QR code is found.
 * Rejects with the browser's error (e.g. NotAllowedError) when the camera can't be opened.
 * @example const scan = await startCameraScan(video, canvas, { onText: (t) => verify(t) });
 */
export async function startCameraScan(
  video: HTMLVideoElement,
  canvas: HTMLCanvasElement,
  options: CameraScanOptions,
): Promise<CameraScan> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
  });
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  video.srcObject = stream;
  video.muted = true;
  video.setAttribute('playsinline', '');
  await video.play();
  const interval = 1000 / (options.fps ?? 5);
  let frame = 0;
  const tick = () => {
    if (stopped) return;
    // Mostly the central square at full sharpness; every third frame the whole picture, for a code held
    // off-centre.
    const region = frame++ % 3 === 2 ? 'whole' : 'center-square';
    const text = video.readyState >= video.HAVE_CURRENT_DATA
      ? decodeQrFrom(video, video.videoWidth, video.videoHeight, canvas, DEFAULT_MAX_SIDE, region)
      : undefined;
    if (text !== undefined && (options.accept?.(text) ?? true)) {
      stop();
      options.onText(text);
      return;
    }
    timer = setTimeout(tick, interval);
  };
  // First look on the next task, so the caller has the handle (and has updated the screen) before any
  // code can be found.
  timer = setTimeout(tick, 0);
  return { stop };
}
