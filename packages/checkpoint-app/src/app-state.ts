/**
 * What every screen shares: the engines (verifier, log, settings store), the mutable app state (settings,
 * what is being scanned, the open guardian challenge) and the router's `show`. One object, made once in
 * main.ts and handed to each screen.
 */
import type { IssuedChallenge } from './challenge.js';
import type { IdbKeyValue } from './idb.js';
import type { Settings } from './settings.js';
import type { VerificationLog } from './verification-log.js';
import type { CheckpointVerifier, EngineSettings } from './verifier-adapter.js';

/** The app's screens; each is a `<section id="screen-…">` in index.html. */
export type Screen = 'setup' | 'scan' | 'challenge' | 'verdict' | 'log';

/** Every screen, in page order. */
export const SCREENS: readonly Screen[] = ['setup', 'scan', 'challenge', 'verdict', 'log'];

/** The shared context of the screens. */
export interface App {
  readonly verifier: CheckpointVerifier;
  readonly log: VerificationLog;
  readonly settingsStore: IdbKeyValue;
  /** The operator's settings as saved on the device. */
  settings: Settings;
  /** A bare credential (document only) or a guardian's answer to the open challenge. */
  scanningFor: 'credential' | 'presentation';
  /** Set while the officer is checking a guardian's presentation; used once. */
  challenge: IssuedChallenge | undefined;
  /** Switches to a screen (the router). */
  show(screen: Screen): void;
  /** Says `text` to screen readers (assertive), even when it repeats the last announcement. */
  announce(text: string): void;
}

/** The settings the verification engine enforces, from the operator's settings. */
export function engineSettings(settings: Settings): EngineSettings {
  return {
    maxStatusAgeSeconds: settings.maxStatusAgeSeconds,
    ...(settings.governanceDid === '' ? {} : { governanceDid: settings.governanceDid }),
  };
}
