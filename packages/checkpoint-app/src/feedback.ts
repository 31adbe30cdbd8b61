/**
 * A verdict the officer can feel and hear without looking: a distinct vibration (and, when switched on,
 * a distinct tone) for valid, invalid, cannot-confirm and alert. Colour, words and symbol stay the main
 * signal; this is for a busy barrier and a phone held at arm's length.
 */
import type { CheckpointResult } from './verifier-adapter.js';

/** The kinds of verdict that feel different. */
export type VerdictSignal = 'valid' | 'invalid' | 'indeterminate' | 'alert';

/** Vibration patterns (ms on, off, on…): one short buzz, two long, three short, a long insistent one. */
export const VIBRATION: Record<VerdictSignal, number[]> = {
  valid: [120],
  invalid: [400, 150, 400],
  indeterminate: [120, 100, 120, 100, 120],
  alert: [800, 200, 800, 200, 800],
};

/** Tones (Hz, ms) per verdict: a rising pair for valid, a low pair for invalid, a flat triple for cannot-confirm. */
const TONES: Record<VerdictSignal, [number, number][]> = {
  valid: [[880, 120], [1320, 160]],
  invalid: [[220, 350], [0, 120], [220, 350]],
  indeterminate: [[523, 120], [0, 90], [523, 120], [0, 90], [523, 120]],
  alert: [[988, 250], [740, 250], [988, 250], [740, 250], [988, 250]],
};

const SOUND_KEY = 'cradle-checkpoint-sound';

/** Whether verdicts also make a sound (off by default: many posts are quiet places). */
export function soundEnabled(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) === 'on';
  } catch {
    return false;
  }
}

/** Switches verdict sounds on or off (remembered on this phone). */
export function setSoundEnabled(on: boolean): void {
  try {
    localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
  } catch {
    // Not remembered.
  }
}

/** The signal for a result: a phone that is not set up feels like "cannot confirm", never like "invalid". */
export function signalOf(result: CheckpointResult): VerdictSignal {
  return result.outcome;
}

let audio: AudioContext | undefined;

function playTones(tones: [number, number][]): void {
  const Ctx = globalThis.AudioContext;
  if (typeof Ctx !== 'function') return;
  audio ??= new Ctx();
  let at = audio.currentTime + 0.02;
  for (const [hz, ms] of tones) {
    if (hz > 0) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = hz;
      gain.gain.value = 0.2;
      osc.connect(gain).connect(audio.destination);
      osc.start(at);
      osc.stop(at + ms / 1000);
    }
    at += ms / 1000;
  }
}

/** Vibrates (and sounds, if enabled) for a verdict. Never throws: feedback is a courtesy. */
export function signalVerdict(result: CheckpointResult): VerdictSignal {
  const signal = signalOf(result);
  document.body.dataset.lastSignal = signal;
  try {
    if (typeof navigator.vibrate === 'function') navigator.vibrate(VIBRATION[signal]);
    if (soundEnabled()) playTones(TONES[signal]);
  } catch {
    // No vibrator, no audio: the screen says it all.
  }
  return signal;
}
