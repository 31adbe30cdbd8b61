/** Check a guardian: the checkpoint's one-time challenge as a QR code for the guardian's wallet. */
import type { App } from '../app-state.js';
import { CHALLENGE_TTL_MS, challengeQrText, newChallenge } from '../challenge.js';
import { byId } from '../dom.js';
import { formatDuration } from '../format.js';
import { currentLocale, t } from '../i18n/i18n.js';
import { renderQrSvg } from '../qr-render.js';
import type { ScreenController } from '../router.js';

/** Wires the Check-a-guardian screen. */
export function createChallengeScreen(app: App): ScreenController {
  const ui = {
    qr: byId('challenge-qr', HTMLElement),
    nonce: byId('challenge-nonce', HTMLElement),
    domain: byId('challenge-domain', HTMLElement),
    expiry: byId('challenge-expiry', HTMLElement),
  };
  let expiryTimer: ReturnType<typeof setInterval> | undefined;
  const tick = () => {
    const open = app.challenge;
    const left = open ? CHALLENGE_TTL_MS - (Date.now() - open.issuedAt) : 0;
    ui.expiry.textContent = left > 0 ? t().challengeWorksFor(formatDuration(left / 1000, currentLocale().intl)) : t().challengeCodeExpired;
  };
  const showChallenge = async () => {
    const challenge = newChallenge(app.settings.domain, Date.now());
    app.challenge = challenge;
    ui.nonce.textContent = challenge.nonce;
    ui.domain.textContent = challenge.domain;
    ui.qr.innerHTML = await renderQrSvg(challengeQrText(challenge));
    tick();
    if (expiryTimer !== undefined) clearInterval(expiryTimer);
    expiryTimer = setInterval(tick, 15_000);
  };
  byId('challenge-new', HTMLButtonElement).addEventListener('click', () => void showChallenge());
  byId('challenge-scan', HTMLButtonElement).addEventListener('click', () => {
    app.scanningFor = 'presentation';
    app.show('scan');
  });
  return { enter: () => void showChallenge(), retranslate: tick };
}
