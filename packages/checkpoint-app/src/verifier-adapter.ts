/**
 * The one place where the app meets `@cradle/verifier`. Screens only see the types below; a change of
 * the verifier's API (or version) touches this file alone.
 */
import { addTrustedIssuer, importBundle, removeTrustedIssuer, trustedIssuers, verify } from '@cradle/verifier';
import type { CheckpointState, VerificationResult } from '@cradle/verifier';
import type { IdbVerifierStore } from './idb-store.js';

/** A failed check, as the verifier reports it. */
export interface CheckpointProblem {
  code: string;
  message: string;
  where?: string;
}

/** The facts an officer needs. The verifier only gives them from signatures that verified. */
export interface CheckpointFacts {
  child?: { givenName: string; familyName: string; birthDate: string; ageYears?: number };
  registrationNumber?: string;
  registrar: { did: string; trusted: boolean; name?: string };
  guardian?: { did: string; isListedGuardian: boolean };
}

/** The verifier's answer, as the app displays it. */
export interface CheckpointResult {
  outcome: 'valid' | 'invalid' | 'indeterminate';
  verified: boolean;
  /** 'credential' (a bare credential, shown by whoever holds it) or 'presentation' (signed by a guardian). */
  kind: 'credential' | 'presentation';
  bearer: boolean;
  errors: CheckpointProblem[];
  facts?: CheckpointFacts;
  /** How old the status data behind this answer was. */
  statusAge?: { seconds: number; asOf: string };
}

/** What the checkpoint currently trusts and how fresh its data is (Setup screen). */
export interface TrustSummary {
  registrars: { did: string; name?: string }[];
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
  /** Syncs over the network (ledger RPC + status-list mirrors); throws a plain-language Error on failure. */
  sync(options: { rpcUrl: string; mirrors: string[] }): Promise<TrustSummary>;
  /** The current trust data, read from the device. */
  summary(): Promise<TrustSummary>;
  /** Verifies a scanned QR text (or a bare JWS) with no network. Never throws on bad input. */
  verify(input: string, options: { challenge?: Challenge; now: Date; policy: CheckpointPolicy }): Promise<CheckpointResult>;
}

function names(state: CheckpointState): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of state.trust.governanceList?.registrars ?? []) if (r.name) out.set(r.did, r.name);
  return out;
}

function summarise(state: CheckpointState): TrustSummary {
  const named = names(state);
  const checked = state.statusLists.map((l) => l.checkedAt).filter((t) => Number.isFinite(t));
  return {
    registrars: trustedIssuers(state.trust).map((did) => {
      const name = named.get(did);
      return name === undefined ? { did } : { did, name };
    }),
    statusLists: state.statusLists.length,
    ...(checked.length === 0 ? {} : { statusAsOf: new Date(Math.min(...checked) * 1000).toISOString() }),
  };
}

function toCheckpointResult(r: VerificationResult, state: CheckpointState): CheckpointResult {
  const out: CheckpointResult = {
    outcome: r.outcome,
    verified: r.verified,
    kind: r.kind,
    bearer: r.bearer,
    errors: r.errors.map((e) => ({ code: e.code, message: e.message, ...(e.where === undefined ? {} : { where: e.where }) })),
  };
  if (r.facts) {
    const name = names(state).get(r.facts.registrar.did);
    out.facts = {
      registrar: { ...r.facts.registrar, ...(name === undefined ? {} : { name }) },
      ...(r.facts.child ? { child: { ...r.facts.child } } : {}),
      ...(r.facts.registrationNumber === undefined ? {} : { registrationNumber: r.facts.registrationNumber }),
      ...(r.facts.guardian ? { guardian: { ...r.facts.guardian } } : {}),
    };
  }
  if (r.statusAge) out.statusAge = { ...r.statusAge };
  return out;
}

/**
 * Creates the verifier the app uses, on a persistent store.
 * @example const verifier = createCheckpointVerifier(new IdbVerifierStore(new IdbKeyValue(db, STORES.verifier)));
 */
export function createCheckpointVerifier(store: IdbVerifierStore): CheckpointVerifier {
  return {
    async importBundle(bytes) {
      const report = await importBundle(store, bytes);
      return {
        summary: summarise(await store.load()),
        signed: report.signed,
        statusLists: report.statusLists,
        didDocuments: report.didDocuments,
        trustNotImported: [...report.trustNotImported],
      };
    },
    async configure(settings) {
      const current = (await store.load()).config;
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
        if (trusted) await addTrustedIssuer(store, did, { now: Date.now() });
        else await removeTrustedIssuer(store, did);
      } catch (e) {
        throw new Error(e instanceof Error ? e.message : String(e));
      }
      return summarise(await store.load());
    },
    sync() {
      return Promise.reject(new Error('Network sync is not available in this version of the app yet.'));
    },
    async summary() {
      return summarise(await store.load());
    },
    async verify(input, { challenge, now, policy }) {
      const result = await verify(input, {
        store,
        now,
        maxStatusAge: policy.maxStatusAgeSeconds,
        ...(challenge ? { nonce: challenge.nonce, domain: challenge.domain } : {}),
      });
      return toCheckpointResult(result, await store.load());
    },
  };
}
