/**
 * Scan, the check itself: with the open challenge when the officer is checking a guardian (used once,
 * refused when expired), under the checkpoint's policy; timed, logged, and handed to the verdict screen.
 */
import type { App } from '../../app-state.js';
import { CHALLENGE_TTL_MS } from '../../challenge.js';
import type { IssuedChallenge } from '../../challenge.js';
import { errorText, setMessage } from '../../dom.js';
import { t } from '../../i18n/i18n.js';
import { inputKindOf } from '../../verdict-view.js';
import type { InputKind } from '../../verdict-view.js';
import { logEntryFor } from '../../verification-log.js';
import type { CheckpointResult } from '../../verifier-adapter.js';

/** A finished check, as the verdict screen draws it. */
export interface CheckDone {
  result: CheckpointResult;
  now: Date;
  elapsedMs: number;
  /** What the scanned text looked like (never the text itself). */
  input: InputKind;
}

/**
 * The check of scanned `text` (or of a printed certificate's `seals`, read together); what goes wrong on
 * the phone is said on `status`, every finished check goes to `onChecked`.
 */
export function createCheckRunner(app: App, status: HTMLElement, onChecked: (done: CheckDone) => void): (text: string, seals?: readonly string[]) => Promise<void> {
  /** The open challenge a guardian's answer must match, taken (used once); undefined when it has expired. */
  const takeChallenge = (now: Date): IssuedChallenge | undefined => {
    const open = app.challenge;
    if (!open || now.getTime() - open.issuedAt > CHALLENGE_TTL_MS) return undefined;
    // One answer per challenge: a replayed presentation can never match a later check.
    app.challenge = undefined;
    return open;
  };

  return async (text, seals) => {
    const now = new Date();
    let used: IssuedChallenge | undefined;
    if (app.scanningFor === 'presentation') {
      used = takeChallenge(now);
      if (used === undefined) {
        setMessage(status, t().challengeExpired, 'error');
        return;
      }
    }
    setMessage(status, t().checking);
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
      setMessage(status, t().checkFailedOnPhone(errorText(e)), 'error');
      return;
    }
    const elapsedMs = Math.round(performance.now() - started);
    await app.log.append({ ...logEntryFor(result, now), elapsedMs }).catch(() => undefined);
    onChecked({ result, now, elapsedMs, input: seals ? { kind: 'cradle' } : inputKindOf(text) });
  };
}
