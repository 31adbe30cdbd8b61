/**
 * Setup, the checkpoint's settings: domain, status age limit, governance DID, travel consent and
 * destination; checked, saved on the phone and handed to the verification engine.
 */
import { ISO_3166_ALPHA2 } from '@cradle/core';
import type { App } from '../../app-state.js';
import { engineSettings } from '../../app-state.js';
import { byId, setMessage } from '../../dom.js';
import { t } from '../../i18n/i18n.js';
import { saveSettings } from '../../settings.js';
import type { Settings } from '../../settings.js';

/** The settings part of the Setup screen. */
export interface SettingsPanel {
  /** Shows the saved settings in the forms (this panel's and the sync form's RPC URL and mirrors). */
  fillSettings(): void;
}

/** Wires the settings form; after a save, `saved` runs (the screen redraws what depends on them). */
export function createSettingsPanel(app: App, message: HTMLElement, saved: () => Promise<void>): SettingsPanel {
  const ui = {
    settingsForm: byId('settings-form', HTMLFormElement),
    domain: byId('domain', HTMLInputElement),
    maxAge: byId('max-age', HTMLInputElement),
    governanceDid: byId('governance-did', HTMLInputElement),
    requireConsent: byId('require-consent', HTMLInputElement),
    destination: byId('destination', HTMLInputElement),
    rpcUrl: byId('rpc-url', HTMLInputElement),
    mirrors: byId('mirrors', HTMLTextAreaElement),
  };

  const fillSettings = () => {
    const s = app.settings;
    ui.domain.value = s.domain;
    ui.maxAge.value = String(Math.round(s.maxStatusAgeSeconds / 3600));
    ui.rpcUrl.value = s.rpcUrl;
    ui.mirrors.value = s.mirrors.join('\n');
    ui.governanceDid.value = s.governanceDid;
    ui.requireConsent.checked = s.requireTravelConsent;
    ui.destination.value = s.destination;
  };

  /** The form's values as settings, or the message that says which one is wrong. */
  const readForm = (): Pick<Settings, 'domain' | 'maxStatusAgeSeconds' | 'governanceDid' | 'requireTravelConsent' | 'destination'> | string => {
    const hours = Number(ui.maxAge.value);
    if (!Number.isInteger(hours) || hours < 1) return t().maxAgeInvalid;
    const governanceDid = ui.governanceDid.value.trim();
    if (governanceDid !== '' && !/^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/.test(governanceDid)) return t().governanceInvalid;
    const destination = ui.destination.value.trim().toUpperCase();
    if (destination !== '' && !ISO_3166_ALPHA2.includes(destination)) return t().destinationInvalid;
    return {
      domain: ui.domain.value.trim() || app.settings.domain,
      maxStatusAgeSeconds: hours * 3600,
      governanceDid,
      requireTravelConsent: ui.requireConsent.checked,
      destination,
    };
  };

  ui.settingsForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const read = readForm();
    if (typeof read === 'string') {
      setMessage(message, read, 'error');
      return;
    }
    app.settings = { ...app.settings, ...read };
    await saveSettings(app.settingsStore, app.settings);
    await app.verifier.configure(engineSettings(app.settings));
    fillSettings();
    const details = ui.settingsForm.closest('details');
    if (details) details.open = false;
    await saved();
    setMessage(message, t().settingsSaved);
  });

  return { fillSettings };
}
