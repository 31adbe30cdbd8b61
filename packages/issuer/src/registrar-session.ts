import type { SecretBox } from '@veramo/kms-local';
import { CradleError } from '@cradle/core';
import { createRegistrarAgent } from './registrar-agent.js';
import type { ResolvedRegistrarConfig } from './registrar-config.js';
import { loadIdentity } from './registrar-identity.js';
import type { RegistrarIdentity } from './registrar-identity.js';
import type { RegistrarRuntime } from './registrar-runtime.js';
import { SerialQueue } from './serial-queue.js';
import { StatusListAllocator } from './status-list-allocator.js';
import type { RegistrarStore } from './storage/registrar-store.js';

/** An open registrar's runtime and the identity snapshot it signs with (internal to `createRegistrar`). */
export interface RegistrarSession {
  readonly rt: RegistrarRuntime;
  /** The identity as this process last saw it (undefined before `init`). */
  identity(): RegistrarIdentity | undefined;
  /** Take `next` as the identity from now on (after init, a rotation, or a re-read). */
  useIdentity(next: RegistrarIdentity | undefined): void;
  /** Forget the agent's decrypted keys. */
  destroy(): void;
}

/**
 * The Veramo agent on the registrar's key custody, the status-list allocator and the write queue, around
 * one identity snapshot. An issuance takes its key and its JWS `kid` from one snapshot, so one that began
 * before a rotation was seen finishes with the key it started with, and names that key; a signing key new
 * to this process (added to the DID by another replica, or a CLI beside `serve`) makes the agent re-read
 * the DID's keys.
 */
export function openRegistrarSession(db: RegistrarStore, config: ResolvedRegistrarConfig, secretBox: SecretBox, stored: RegistrarIdentity | undefined): RegistrarSession {
  let identity: RegistrarIdentity | undefined = stored;
  // The signing keys this process has seen (Veramo kid -> verification method).
  const methods = new Map<string, string>();
  const { agent, destroy, forgetDid } = createRegistrarAgent(db.dataSource, config.keyCustody({ store: db, secretBox }), config.ledger);
  const useIdentity = (next: RegistrarIdentity | undefined): void => {
    // A signing key new to this process was added to the DID by another one: re-read the DID's keys.
    if (next !== undefined && identity !== undefined && !methods.has(next.signingKid)) forgetDid(next.did);
    identity = next;
    if (next !== undefined) methods.set(next.signingKid, next.verificationMethod);
  };
  useIdentity(identity);
  // The identity read in flight, shared by the issuances that start while it runs.
  let reading: Promise<void> | undefined;
  const rt: RegistrarRuntime = {
    db,
    queue: new SerialQueue(),
    agent,
    allocator: new StatusListAllocator({
      baseUrl: config.baseUrl,
      length: config.statusListLength,
      capacity: config.statusListCapacity,
      now: config.now,
    }),
    config,
    identity: () => {
      if (identity === undefined) throw new CradleError('CONFIG_INVALID', 'The registrar is not initialised: run `cradle registrar init` (or registrar.init()) first.');
      return identity;
    },
    knownIdentity: () => identity,
    currentIdentity: async () => {
      // Another replica (or a CLI beside `serve`) may have rotated the signing key: the stored identity wins.
      reading ??= loadIdentity(db)
        .then((next) => {
          if (next !== undefined && (identity === undefined || next.did === identity.did)) useIdentity(next);
        })
        .finally(() => (reading = undefined));
      await reading;
      return rt.identity();
    },
  };
  return { rt, identity: () => identity, useIdentity, destroy };
}
