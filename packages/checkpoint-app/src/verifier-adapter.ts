/**
 * The one place where the app meets `@cradle/verifier`. Screens only see the types below; switching the
 * verification engine (or its version) touches this file alone.
 */
import { createInterimVerifier } from './interim-verifier.js';
import type { IdbKeyValue } from './idb.js';

/** A failed check, as the verifier reports it. */
export interface CheckpointProblem {
  code: string;
  message: string;
  where?: string;
}

/** The facts an officer needs, extracted by the verifier from the (verified or not) credential. */
export interface CheckpointFacts {
  child: { givenName: string; familyName: string; birthDate: string; ageYears?: number };
  registrationNumber?: string;
  registrar: { did: string; trusted: boolean; name?: string };
  guardian?: { did: string; isListedGuardian: boolean };
}

/** The verifier's answer, as the app displays it. */
export interface CheckpointResult {
  outcome: 'valid' | 'invalid' | 'indeterminate';
  verified: boolean;
  /** 'credential' (a bare credential, shown by whoever holds it) or 'presentation' (signed by a guardian). */
  kind: string;
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

/** What the screens can ask of the verification engine. */
export interface CheckpointVerifier {
  /** Imports a trust bundle file's bytes; throws a plain-language Error on a bad bundle. */
  importBundle(bytes: Uint8Array): Promise<TrustSummary>;
  /** Syncs over the network (ledger RPC + status-list mirrors); throws a plain-language Error on failure. */
  sync(options: { rpcUrl: string; mirrors: string[] }): Promise<TrustSummary>;
  /** The current trust data, read from the device. */
  summary(): Promise<TrustSummary>;
  /** Verifies a scanned QR text (or a bare JWS) with no network. Never throws on bad input. */
  verify(input: string, options: { challenge?: Challenge; now: Date; policy: CheckpointPolicy }): Promise<CheckpointResult>;
}

/**
 * Creates the verifier the app uses, persisting its data in `store`.
 * @example const verifier = createCheckpointVerifier(new IdbKeyValue(db, STORES.verifier));
 */
export function createCheckpointVerifier(store: IdbKeyValue): CheckpointVerifier {
  return createInterimVerifier(store);
}
