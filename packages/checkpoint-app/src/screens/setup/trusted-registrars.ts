/**
 * Setup, what the checkpoint trusts: the registrars (each with "stop trusting"), how old the status data
 * is, trusting a registrar by its DID, and the registrars of an unsigned bundle offered one by one.
 */
import type { App } from '../../app-state.js';
import { byId, el, errorText, setMessage } from '../../dom.js';
import { formatDuration, formatUtc } from '../../format.js';
import { currentLocale, t } from '../../i18n/i18n.js';
import { registrarLabel } from '../../verdict-view.js';
import type { TrustSummary } from '../../verifier-adapter.js';

/** A trusted registrar: its name, its whole DID (for supervisors comparing with their instructions) and "stop trusting". */
function registrarItem(r: TrustSummary['registrars'][number], onStop: () => void): HTMLLIElement {
  const m = t();
  const li = el('li');
  const name = el('span', registrarLabel(r), 'name');
  name.dir = 'auto';
  li.append(name);
  // The DID, whole and in one style everywhere.
  const did = el('code', r.did, 'did');
  did.dir = 'ltr';
  li.append(did);
  const remove = el('button', m.stopTrusting, 'button button-small');
  remove.type = 'button';
  remove.setAttribute('aria-label', m.stopTrustingLabel(r.name ?? r.did));
  remove.addEventListener('click', onStop);
  li.append(remove);
  return li;
}

/** A registrar an unsigned bundle names, with "trust" (`data-did` so it is removed once trusted). */
function offeredItem(did: string, onTrust: () => void): HTMLLIElement {
  const li = el('li');
  li.dataset.did = did;
  const code = el('code', did, 'did');
  code.dir = 'ltr';
  li.append(code);
  const trust = el('button', t().trust, 'button button-small');
  trust.type = 'button';
  trust.setAttribute('aria-label', t().trustLabel(did));
  trust.addEventListener('click', onTrust);
  li.append(trust);
  return li;
}

/** The trusted-registrars part of the Setup screen. */
export interface TrustedRegistrars {
  showSummary(summary: TrustSummary): void;
  refreshSummary(): Promise<void>;
  /** An unsigned bundle's registrars: the officer decides, one by one. */
  offerRegistrars(dids: string[]): void;
  retranslate(): void;
}

/** Wires the registrar list, the status age and the trust form; messages go to `message`. */
export function createTrustedRegistrars(app: App, message: HTMLElement): TrustedRegistrars {
  const ui = {
    registrarList: byId('registrar-list', HTMLUListElement),
    statusAge: byId('status-age', HTMLElement),
    trustForm: byId('trust-form', HTMLFormElement),
    trustDid: byId('trust-did', HTMLInputElement),
    bundleRegistrars: byId('bundle-registrars', HTMLElement),
    bundleRegistrarList: byId('bundle-registrar-list', HTMLUListElement),
  };
  let lastSummary: TrustSummary | undefined;

  const showSummary = (summary: TrustSummary) => {
    lastSummary = summary;
    const m = t();
    ui.registrarList.replaceChildren();
    if (summary.registrars.length === 0) ui.registrarList.append(el('li', m.noRegistrars));
    for (const r of summary.registrars) {
      ui.registrarList.append(
        registrarItem(r, () => {
          if (confirm(t().stopTrustingConfirm(r.name ?? r.did))) void changeTrust(r.did, false);
        }),
      );
    }
    showStatusAge(summary);
  };

  const showStatusAge = (summary: TrustSummary) => {
    const m = t();
    if (summary.statusAsOf) {
      const intl = currentLocale().intl;
      const seconds = (Date.now() - new Date(summary.statusAsOf).getTime()) / 1000;
      const stale = seconds > app.settings.maxStatusAgeSeconds;
      ui.statusAge.textContent = `${m.statusData(formatDuration(seconds, intl), formatUtc(new Date(summary.statusAsOf), intl), summary.statusLists)}${stale ? ` ${m.statusTooOld}` : ''}`;
      ui.statusAge.dataset.stale = String(stale);
    } else {
      ui.statusAge.textContent = m.noStatusData;
      ui.statusAge.dataset.stale = 'true';
    }
  };

  const changeTrust = async (did: string, trusted: boolean) => {
    try {
      showSummary(await app.verifier.setTrusted(did, trusted));
      setMessage(message, trusted ? t().nowTrusted(did) : t().noLongerTrusted(did));
      for (const li of Array.from(ui.bundleRegistrarList.children)) if ((li as HTMLElement).dataset.did === did) li.remove();
      ui.bundleRegistrars.hidden = ui.bundleRegistrarList.children.length === 0;
    } catch (e) {
      setMessage(message, errorText(e), 'error');
    }
  };

  const offerRegistrars = (dids: string[]) => {
    ui.bundleRegistrarList.replaceChildren(...dids.map((did) => offeredItem(did, () => void changeTrust(did, true))));
    ui.bundleRegistrars.hidden = dids.length === 0;
  };

  ui.trustForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const did = ui.trustDid.value.trim();
    ui.trustDid.value = '';
    void changeTrust(did, true);
  });

  return {
    showSummary,
    refreshSummary: async () => showSummary(await app.verifier.summary()),
    offerRegistrars,
    retranslate() {
      if (lastSummary) showSummary(lastSummary);
    },
  };
}
