import { decodeQrFrom, loadQrDecoder } from './qr-decode.js';

/** A running camera scan; call `stop()` to release the camera. */
export interface CameraScan {
  stop(): void;
}

/** Options for {@link startCameraScan}. */
export interface CameraScanOptions {
  /** Frames examined per second (default 5): enough to feel instant, light on a cheap phone's battery. */
  fps?: number;
  /**
   * Called once with the codes of the first frame that holds any (and is accepted): one code, or every
   * seal of a printed certificate. The scan stops itself first.
   */
  onCodes: (codes: string[]) => void;
  /**
   * Whether to take the codes found in a frame; when it returns false the scan goes on. The app refuses
   * the code(s) it has just checked, still in front of the camera, until the officer asks to check again.
   */
  accept?: (codes: string[]) => boolean;
}

/**
 * Opens the rear camera into `video` and decodes frames on `canvas` until a frame holds QR codes (all of
 * them are read at once: the two seals of a certificate come together).
 * Rejects with the browser's error (e.g. NotAllowedError) when the camera can't be opened.
 * @example const scan = await startCameraScan(video, canvas, { onCodes: (codes) => verify(codes) });
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
  // Compile the decoder while the camera warms up; a failure shows up (and is retried) at the first frame.
  loadQrDecoder().catch(() => undefined);
  const tick = async () => {
    if (stopped) return;
    const started = performance.now();
    let codes: string[] = [];
    try {
      // The whole frame at the camera's resolution: two seals side by side, or one code held off-centre.
      if (video.readyState >= video.HAVE_CURRENT_DATA) codes = await decodeQrFrom(video, video.videoWidth, video.videoHeight, canvas);
    } catch {
      // The decoder could not load or read this frame (memory, storage): try the next one.
    }
    if (stopped) return;
    if (codes.length > 0 && (options.accept?.(codes) ?? true)) {
      stop();
      options.onCodes(codes);
      return;
    }
    // A slow phone spends its time on decoding, not on queued frames.
    timer = setTimeout(() => void tick(), Math.max(0, interval - (performance.now() - started)));
  };
  // First look on the next task, so the caller has the handle (and has updated the screen) before any
  // code can be found.
  timer = setTimeout(() => void tick(), 0);
  return { stop };
}
