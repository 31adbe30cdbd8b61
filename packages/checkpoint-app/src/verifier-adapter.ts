/**
 * The one place where the app meets `@cradle/verifier` (with verification.ts, the part of it loaded after
 * start-up). Screens only see the types below; a change of the verifier's API (or version) touches these
 * two files alone.
 */
import { displayText, trustedIssuers } from '@cradle/verifier';
import type { VerificationCode, VerificationOutcome, VerificationProblem } from '@cradle/core';
import type { AccompanyingAdult, AlertCheck, AlertKeyJwk, CertificateVerificationResult, CheckpointState, TravelConsentFacts, TravelConsentStatus, VerificationFacts, VerificationResult } from '@cradle/verifier';
import type { IdbKeyValue } from './idb.js';
import type { IdbVerifierStore } from './idb-store.js';
import type * as VerificationModule from './verification.js';

/** A failed check, as the verifier reports it. */
export interface CheckpointProblem {
  code: VerificationCode;
  message: string;
  where?: string;
}

/** A registrar as officers know it: its display name and country come from the signed trust list. */
export interface RegistrarIdentity {
  did: string;
  name?: string;
  /** ISO 3166-1 alpha-2. */
  country?: string;
}

/** An adult as the registrar recorded them: what the officer compares with the person in front of them. */
export interface RecordedAdult {
  /** `mother`, `father`, `parent`, `legal-guardian`, `custodial-organisation`. */
  role?: string;
  /** Sanitized. */
  name?: string;
  /** Type and country as recorded (codes); number sanitized. */
  document?: { type: string; country: string; number: string };
}

/** Whether one other parent's travel consent was shown, and what it covers. */
export interface ConsentLine extends RecordedAdult {
  /**
   * `given`: a consent that counts here was shown; `expired`: theirs was shown but has expired;
   * `not-counted`: theirs was shown but does not count for another reason (`reason`); `absent`: none shown.
   */
  state: 'given' | 'expired' | 'not-counted' | 'absent';
  /** Countries the consent shown covers (ISO 3166-1 alpha-2). */
  countries?: string[];
  /** ISO 8601: end of the consent shown. */
  validUntil?: string;
  reason?: VerificationCode;
}

/** The travel-consent part of a guardian's answer (border check). */
export interface TravelConsentView {
  /** True when this checkpoint requires every other parent's consent. */
  required: boolean;
  /** The destination checked (ISO 3166-1 alpha-2), when one was given. */
  destination?: string;
  from: ConsentLine[];
}

/** One seal of a printed certificate, and what its check found. */
export interface SealView {
  kind: 'birth-registration' | 'guardianship' | 'other' | 'unreadable';
  outcome: VerificationOutcome;
  codes: VerificationCode[];
}

/** The facts an officer needs. The verifier only gives them from signatures that verified. */
export interface CheckpointFacts {
  child?: { givenName: string; familyName: string; birthDate: string; ageYears?: number; sex?: string };
  registrationNumber?: string;
  /** The registering office, as the credential names it. */
  registeringOffice?: string;
  registrar: RegistrarIdentity & { trusted: boolean };
  guardian?: {
    did: string;
    isListedGuardian: boolean;
    /** The adult's name and identity document as the registrar recorded them (sanitized). */
    name?: string;
    document?: { type: string; country: string; number: string };
  };
  /** Guardian's answers: the other parents' travel consent, when the policy requires it or one was shown. */
  travelConsent?: TravelConsentView;
  /**
   * Whether the child-protection alert entry was checked (`checked`), could not be (`no-alert-key`: this
   * phone has no alert key) or is absent (`no-alert-entry`). Absent when neither side has alerts.
   */
  alertCheck?: AlertCheck;
}

/** The answers the app shows; `alert` (a child-protection alert) where the verifier reports it. */
export type CheckpointOutcome = 'valid' | 'invalid' | 'indeterminate' | 'alert';

/** The verifier's answer, as the app displays it. */
export interface CheckpointResult {
  outcome: CheckpointOutcome;
  /**
   * True when this phone trusts no registrar at all (not set up) and nothing proved the document bad:
   * the answer is then "this phone cannot check documents yet" (amber), never INVALID.
   */
  phoneNotSetUp: boolean;
  /** Child-protection alerts raised by the check (outcome `alert`). */
  alerts: { code: string; message: string }[];
  verified: boolean;
  /**
   * 'credential' (a bare credential, shown by whoever holds it), 'presentation' (signed by a guardian) or
   * 'certificate' (the seals of a printed birth certificate: a bearer check too).
   */
  kind: 'credential' | 'presentation' | 'certificate';
  bearer: boolean;
  errors: CheckpointProblem[];
  facts?: CheckpointFacts;
  /** Certificates: the adults the guardianship seal allows to travel with the child (only from a seal that passed). */
  accompanying?: RecordedAdult[];
  /** Certificates: each seal, birth registration first. */
  seals?: SealView[];
  /** How old the status data behind this answer was. */
  statusAge?: { seconds: number; asOf: string };
}

/** What the checkpoint currently trusts and how fresh its data is (Setup screen). */
export interface TrustSummary {
  registrars: RegistrarIdentity[];
  /** Number of status lists cached. */
  statusLists: number;
  /** Time the oldest cached status data reflects (ISO 8601), if any. */
  statusAsOf?: string;
}

/** The nonce and domain the checkpoint issued for a guardian's presentation. */
export interface Challenge {
  nonce: string;
  domain: string;
}

/** Operator policy. */
export interface CheckpointPolicy {
  /** Status data older than this gives "cannot confirm" (STATUS_STALE). */
  maxStatusAgeSeconds: number;
  /** Guardians' answers: every other parent's travel consent is required (TRAVEL_CONSENT_MISSING otherwise). */
  requireTravelConsent?: boolean;
  /** Guardians' answers: the destination (ISO 3166-1 alpha-2) a consent must cover. */
  destination?: string;
}

/** What a bundle import did. */
export interface BundleImport {
  summary: TrustSummary;
  /** True when the bundle was signed by this checkpoint's governance authority. */
  signed: boolean;
  statusLists: number;
  didDocuments: number;
  /** Registrars an unsigned bundle lists: the officer decides whether to trust them. */
  trustNotImported: string[];
  /** Child-protection alert lists taken (decrypted with this phone's alert key). */
  alertLists: number;
  /** Alert lists in the bundle this phone could not read (no alert key here, or encrypted to other keys). */
  alertListsNotRead: number;
}

/** The ledger a checkpoint syncs from. */
export interface LedgerInfo {
  chainId: number;
  rpcUrl: string;
  name?: string;
}

/** What a sync did. */
export interface SyncOutcome {
  summary: TrustSummary;
  ok: boolean;
  listsUpdated: number;
  failures: { source: string; message: string }[];
}

/** The checkpoint's alert key as the screens see it: its id only (the private key never leaves the engine). */
export interface AlertKeyInfo {
  /** RFC 7638 thumbprint of the key, as `cradle checkpoint alert-key` printed it. */
  kid: string;
}

/** Checkpoint settings the verification engine keeps. */
export interface EngineSettings {
  maxStatusAgeSeconds: number;
  /** DID of the authority whose signed bundles and trust lists this checkpoint accepts. */
  governanceDid?: string;
}

/** What the screens can ask of the verification engine. */
export interface CheckpointVerifier {
  /** Imports a trust bundle file's bytes; throws a plain-language Error on a bad bundle (nothing imported). */
  importBundle(bytes: Uint8Array): Promise<BundleImport>;
  /** Saves the settings the engine enforces. */
  configure(settings: EngineSettings): Promise<void>;
  /** Trusts (true) or stops trusting (false) a registrar DID; throws a plain-language Error for a bad DID. */
  setTrusted(did: string, trusted: boolean): Promise<TrustSummary>;
  /** Saves the ledger settings file sync uses; throws a plain-language Error when it isn't one. */
  setLedger(json: unknown): Promise<LedgerInfo>;
  /** The ledger this checkpoint syncs from, if set. */
  ledger(): Promise<LedgerInfo | undefined>;
  /**
   * Keeps this checkpoint's PRIVATE alert key (the JWK file `cradle checkpoint alert-key --out` wrote)
   * on this device, and turns the alert check on: sync then fetches and decrypts the child-protection
   * alert lists, and verify answers `alert`. Throws a plain-language Error when it is not such a key.
   */
  setAlertKey(json: unknown): Promise<AlertKeyInfo>;
  /** The alert key in use, if any. */
  alertKey(): Promise<AlertKeyInfo | undefined>;
  /** Deletes the alert key from this device: alerts are no longer checked (verdicts say so). */
  removeAlertKey(): Promise<void>;
  /**
   * Syncs over the network (ledger + status-list mirrors). Network trouble is reported in `failures`,
   * never thrown, and never damages cached data; throws only when no ledger is set.
   */
  sync(options: { rpcUrl?: string; mirrors: string[] }): Promise<SyncOutcome>;
  /** The current trust data, read from the device. */
  summary(): Promise<TrustSummary>;
  /** Verifies a scanned QR text (or a bare JWS) with no network. Never throws on bad input. */
  verify(input: string, options: { challenge?: Challenge; now: Date; policy: CheckpointPolicy }): Promise<CheckpointResult>;
  /** Verifies the seals read from a printed birth certificate together, with no network. Never throws on bad input. */
  verifyCertificate(seals: readonly string[], options: { now: Date; policy: CheckpointPolicy }): Promise<CheckpointResult>;
}

/** Display names and countries of registrars, from the governance-signed trust list. */
type Verification = typeof VerificationModule;
let verification: Promise<Verification> | undefined;

/**
 * The verification code (verification.ts), loaded once: start-up does not wait for it (the app is ready
 * sooner); main.ts asks for it when the phone is idle after start-up, a check before then waits for it.
 */
export function loadVerification(): Promise<Verification> {
  verification ??= import('./verification.js').catch((e: unknown) => {
    verification = undefined; // a failed load (e.g. a stale cache) is tried again on the next use
    throw e;
  });
  return verification;
}

function identities(state: CheckpointState): Map<string, RegistrarIdentity> {
  const out = new Map<string, RegistrarIdentity>();
  for (const r of state.trust.governanceList?.registrars ?? []) {
    const name = r.name === undefined ? '' : displayText(r.name);
    out.set(r.did, { did: r.did, ...(name ? { name } : {}), ...(r.country ? { country: r.country } : {}) });
  }
  return out;
}

function identityOf(state: CheckpointState, did: string): RegistrarIdentity {
  return identities(state).get(canonicalRegistrarDid(did)) ?? { did };
}

/** did:ethr addresses are compared lowercase, as the trust list stores them. */
function canonicalRegistrarDid(did: string): string {
  return did.startsWith('did:ethr:') ? did.toLowerCase() : did;
}

/** Codes that, on a phone with no trust data at all, mean "not set up" rather than "bad document". */
const NOT_SET_UP_CODES: ReadonlySet<string> = new Set(['ISSUER_NOT_TRUSTED', 'ISSUER_UNKNOWN', 'STATUS_UNKNOWN', 'STATUS_STALE']);

/** True when the checkpoint trusts nobody: no operator entry and no governance trust list. */
function notSetUp(state: CheckpointState): boolean {
  return state.trust.operator.length === 0 && state.trust.governanceList === undefined;
}

function ledgerInfo(l: { chainId: number; rpcUrl: string; name?: string }): LedgerInfo {
  return { chainId: l.chainId, rpcUrl: l.rpcUrl, ...(l.name === undefined ? {} : { name: l.name }) };
}

function summarise(state: CheckpointState): TrustSummary {
  const checked = state.statusLists.map((l) => l.checkedAt).filter((t) => Number.isFinite(t));
  return {
    registrars: trustedIssuers(state.trust).map((did) => identityOf(state, did)),
    statusLists: state.statusLists.length,
    ...(checked.length === 0 ? {} : { statusAsOf: new Date(Math.min(...checked) * 1000).toISOString() }),
  };
}

function problemsOf(errors: readonly VerificationProblem[]): CheckpointProblem[] {
  return errors.map((e) => ({ code: e.code, message: e.message, ...(e.where === undefined ? {} : { where: e.where }) }));
}

/** A recorded adult, made safe to show (controls, bidi overrides; bounded). */
function recordedAdult(a: { role?: string; name?: string; document?: { type: string; country: string; number: string } }): RecordedAdult {
  return {
    ...(a.role === undefined ? {} : { role: a.role }),
    ...(a.name === undefined ? {} : { name: displayText(a.name, { maxLength: 200 }) }),
    ...(a.document === undefined
      ? {}
      : { document: { type: a.document.type, country: a.document.country, number: displayText(a.document.number, { maxLength: 40 }) } }),
  };
}

/** One line per other parent: given, expired, shown but not counted (why), or absent. */
function consentView(status: TravelConsentStatus, consents: readonly TravelConsentFacts[]): TravelConsentView {
  return {
    required: status.required,
    ...(status.destination === undefined ? {} : { destination: status.destination }),
    from: status.from.map((need) => {
      const theirs = consents.filter((c) => c.by === need.did);
      const shown = theirs.find((c) => c.counts) ?? theirs.find((c) => c.reason?.code === 'EXPIRED') ?? theirs[0];
      const state: ConsentLine['state'] = need.given ? 'given' : shown === undefined ? 'absent' : shown.reason?.code === 'EXPIRED' ? 'expired' : 'not-counted';
      return {
        ...recordedAdult(need),
        state,
        ...(shown === undefined ? {} : { countries: [...shown.countries], validUntil: shown.validUntil }),
        ...(shown?.reason === undefined || state !== 'not-counted' ? {} : { reason: shown.reason.code as VerificationCode }),
      };
    }),
  };
}

/** The facts, every untrusted string made safe to show (controls, bidi overrides). */
function factsView(f: VerificationFacts, state: CheckpointState): CheckpointFacts {
  const c = f.child;
  const g = f.guardian;
  const consent = f.travelConsent;
  // Like the CLI: with the policy off, the consent line appears only when a consent was shown.
  const showConsent = consent !== undefined && consent.from.length > 0 && (consent.required || (f.consents?.length ?? 0) > 0);
  return {
    registrar: { ...identityOf(state, f.registrar.did), trusted: f.registrar.trusted },
    ...(c
      ? { child: { ...c, givenName: displayText(c.givenName), familyName: displayText(c.familyName), ...(c.sex === undefined ? {} : { sex: displayText(c.sex) }) } }
      : {}),
    ...(f.registrationNumber === undefined ? {} : { registrationNumber: displayText(f.registrationNumber) }),
    ...(f.registeringOffice === undefined ? {} : { registeringOffice: displayText(f.registeringOffice) }),
    ...(g ? { guardian: { did: g.did, isListedGuardian: g.isListedGuardian, ...recordedAdult(g) } } : {}),
    ...(showConsent ? { travelConsent: consentView(consent, f.consents ?? []) } : {}),
    ...(f.alertCheck === undefined ? {} : { alertCheck: f.alertCheck }),
  };
}

/** The common part of a credential's, a presentation's and a certificate's answer. */
function baseResult(
  r: { outcome: VerificationOutcome; verified: boolean; errors: readonly VerificationProblem[]; facts?: VerificationFacts; statusAge?: { seconds: number; asOf: string } },
  state: CheckpointState,
  alerts: CheckpointResult['alerts'],
): Omit<CheckpointResult, 'kind' | 'bearer'> {
  const errors = problemsOf(r.errors);
  const outcome = r.outcome as CheckpointOutcome;
  const phoneNotSetUp = outcome !== 'valid' && outcome !== 'alert' && notSetUp(state) && errors.length > 0 && errors.every((e) => NOT_SET_UP_CODES.has(e.code));
  return {
    outcome: phoneNotSetUp ? 'indeterminate' : outcome,
    phoneNotSetUp,
    alerts,
    verified: r.verified,
    errors,
    ...(r.facts ? { facts: factsView(r.facts, state) } : {}),
    ...(r.statusAge ? { statusAge: { ...r.statusAge } } : {}),
  };
}

function toCheckpointResult(r: VerificationResult, state: CheckpointState): CheckpointResult {
  // Child-protection alerts (the border check) where this verifier version reports them.
  const rawAlerts = (r as { alerts?: unknown }).alerts;
  const alerts = Array.isArray(rawAlerts)
    ? rawAlerts
        .filter((a): a is { code: string; message: string } => typeof a === 'object' && a !== null && typeof (a as { code?: unknown }).code === 'string')
        .map((a) => ({ code: a.code, message: typeof a.message === 'string' ? a.message : '' }))
    : [];
  return { ...baseResult(r, state, alerts), kind: r.kind, bearer: r.bearer };
}

function certificateResult(r: CertificateVerificationResult, state: CheckpointState): CheckpointResult {
  return {
    ...baseResult(r, state, []),
    kind: 'certificate',
    bearer: true,
    accompanying: r.accompanying.map((a: AccompanyingAdult) => recordedAdult(a)),
    seals: r.seals.map((seal) => ({ kind: seal.kind, outcome: seal.outcome, codes: [...new Set(seal.errors.map((e) => e.code))] })),
  };
}

/** Where the private alert key is kept: beside the settings, never in the verifier cache (which bundles export). */
const ALERT_KEY = 'alert-key';

/** The app's settings store, where the private alert key is kept. */
type Secrets = Pick<IdbKeyValue, 'get' | 'set' | 'delete'>;

/**
 * Creates the verifier the app uses, on a persistent store. `secrets` keeps the checkpoint's private alert
 * key on the device (the app's settings store); nothing sends it anywhere. Built from its parts: trust
 * and settings, the ledger and network sync, the alert key, and the checks themselves.
 * @example const verifier = createCheckpointVerifier(new IdbVerifierStore(new IdbKeyValue(db, STORES.verifier)), new IdbKeyValue(db, STORES.settings));
 */
export function createCheckpointVerifier(store: IdbVerifierStore, secrets: Secrets): CheckpointVerifier {
  return { ...trustOperations(store, secrets), ...networkOperations(store, secrets), ...alertKeyOperations(store, secrets), ...checkOperations(store) };
}

/**
 * The alert keys to open encrypted alert lists with: the stored key when the policy names one, re-checked
 * (a damaged record gives no key rather than a failed sync or import).
 */
async function alertKeysFor(config: CheckpointState['config'], secrets: Secrets): Promise<AlertKeyJwk[]> {
  if (config?.alertKeyId === undefined) return [];
  const saved = await secrets.get<unknown>(ALERT_KEY);
  if (saved === undefined) return [];
  try {
    return [await (await loadVerification()).readAlertKey(saved, 'private')];
  } catch {
    return [];
  }
}

/** Trust bundles, trusted registrars and the checkpoint's settings. */
function trustOperations(store: IdbVerifierStore, secrets: Secrets): Pick<CheckpointVerifier, 'importBundle' | 'configure' | 'setTrusted' | 'summary'> {
  return {
    async importBundle(bytes) {
      const alertKeys = await alertKeysFor((await store.load()).config, secrets);
      const report = await (await loadVerification()).importBundle(store, bytes, { alertKeys });
      return {
        alertLists: report.alertLists,
        alertListsNotRead: report.alertListsNotRead,
        summary: summarise(await store.load()),
        signed: report.signed,
        statusLists: report.statusLists,
        didDocuments: report.didDocuments,
        trustNotImported: [...report.trustNotImported],
      };
    },
    async configure(settings) {
      const current = (await store.load()).config;
      // Start-up calls this with the saved settings every time: an unchanged configuration is not
      // rewritten (an IndexedDB write, then a re-read of everything, cost a slow phone ~100 ms of start-up).
      if (current !== undefined && current.maxStatusAge === settings.maxStatusAgeSeconds && current.governanceDid === (settings.governanceDid || undefined)) return;
      const { governanceDid: _previous, ...rest } = current ?? { maxStatusAge: settings.maxStatusAgeSeconds };
      await store.write({
        config: {
          ...rest,
          maxStatusAge: settings.maxStatusAgeSeconds,
          ...(settings.governanceDid ? { governanceDid: settings.governanceDid } : {}),
        },
      });
    },
    async setTrusted(did, trusted) {
      try {
        const v = await loadVerification();
        if (trusted) await v.addTrustedIssuer(store, did, { now: Date.now });
        else await v.removeTrustedIssuer(store, did);
      } catch (e) {
        throw new Error(e instanceof Error ? e.message : String(e));
      }
      return summarise(await store.load());
    },
    async summary() {
      return summarise(await store.load());
    },
  };
}

/** The ledger settings and the network sync (loaded only when used: ethers stays out of start-up). */
function networkOperations(store: IdbVerifierStore, secrets: Secrets): Pick<CheckpointVerifier, 'setLedger' | 'ledger' | 'sync'> {
  return {
    async setLedger(json) {
      const { readLedgerSettings } = await import('./network-sync.js');
      const ledger = readLedgerSettings(json);
      const config = (await store.load()).config ?? { maxStatusAge: 86_400 };
      await store.write({ config: { ...config, ledger } });
      return ledgerInfo(ledger);
    },
    async ledger() {
      const ledger = (await store.load()).config?.ledger;
      return ledger === undefined ? undefined : ledgerInfo(ledger);
    },
    async sync({ rpcUrl, mirrors }) {
      const state = await store.load();
      const ledger = state.config?.ledger;
      if (ledger === undefined) throw new Error('Import the ledger settings file first.');
      const { syncNow } = await import('./network-sync.js');
      const alertKeys = await alertKeysFor(state.config, secrets);
      const report = await syncNow(store, { ledger, mirrors, ...(rpcUrl ? { rpcUrl } : {}), alertKeys });
      return {
        summary: summarise(await store.load()),
        ok: report.ok,
        listsUpdated: report.lists.filter((l) => l.outcome === 'updated').length,
        failures: report.failures.map((f) => ({ source: f.source, message: f.message })),
      };
    },
  };
}

/** The checkpoint's private alert key: kept in `secrets`, named (by its kid) in the verifier's policy. */
function alertKeyOperations(store: IdbVerifierStore, secrets: Secrets): Pick<CheckpointVerifier, 'setAlertKey' | 'alertKey' | 'removeAlertKey'> {
  return {
    async setAlertKey(json) {
      let key: AlertKeyJwk;
      try {
        key = await (await loadVerification()).readAlertKey(json, 'private');
      } catch (e) {
        throw new Error(e instanceof Error ? e.message : String(e));
      }
      // The key first, then the policy: a crash in between leaves a key that is simply not used yet.
      await secrets.set(ALERT_KEY, key);
      const config = (await store.load()).config ?? { maxStatusAge: 86_400 };
      await store.write({ config: { ...config, alertKeyId: key.kid } });
      return { kid: key.kid };
    },
    async alertKey() {
      const kid = (await store.load()).config?.alertKeyId;
      return kid === undefined ? undefined : { kid };
    },
    async removeAlertKey() {
      const config = (await store.load()).config;
      if (config !== undefined) {
        const { alertKeyId: _removed, ...rest } = config;
        await store.write({ config: rest });
      }
      await secrets.delete(ALERT_KEY);
    },
  };
}

/** Checking a scanned credential or presentation, and a printed certificate's seals. */
function checkOperations(store: IdbVerifierStore): Pick<CheckpointVerifier, 'verify' | 'verifyCertificate'> {
  return {
    async verify(input, { challenge, now, policy }) {
      const result = await (await loadVerification()).verify(input, {
        store,
        // The screen's instant (the verdict shows the same one), as the verifier's clock.
        now: () => now.getTime(),
        maxStatusAge: policy.maxStatusAgeSeconds,
        ...(policy.requireTravelConsent === undefined ? {} : { requireTravelConsent: policy.requireTravelConsent }),
        ...(policy.destination ? { destination: policy.destination } : {}),
        ...(challenge ? { nonce: challenge.nonce, domain: challenge.domain } : {}),
      });
      return toCheckpointResult(result, await store.load());
    },
    async verifyCertificate(seals, { now, policy }) {
      const result = await (await loadVerification()).verifyCertificate(seals, { store, now: () => now.getTime(), maxStatusAge: policy.maxStatusAgeSeconds });
      return certificateResult(result, await store.load());
    },
  };
}
