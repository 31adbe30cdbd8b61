/**
 * Stand-in trust-bundle reader while `@cradle/verifier` has no bundle import yet: a JSON snapshot of a
 * checkpoint store (`CheckpointState`, with status bits in base64url). Every artefact in it is still
 * checked at verification time (signatures, trust, status). verifier-adapter.ts switches to the real
 * `importBundle` as soon as it lands, and this file is deleted.
 */
import { base64UrlDecode, parseStrictJson, utf8Decode } from '@cradle/core';
import type { CachedStatusList, CheckpointState, StoreChanges } from '@cradle/verifier';

/** Format tag of the interim snapshot. */
export const INTERIM_BUNDLE_FORMAT = 'cradle-checkpoint-state/interim';

/** Parses an interim snapshot into a store change set; throws a plain-language Error when it isn't one. */
export function parseInterimBundle(bytes: Uint8Array): StoreChanges {
  let doc: unknown;
  try {
    doc = parseStrictJson(utf8Decode(bytes), { maxBytes: 64 * 1024 * 1024 });
  } catch {
    throw new Error('This file is not a trust bundle.');
  }
  const d = doc as { format?: unknown; state?: Partial<CheckpointState> & { statusLists?: unknown[] } };
  if (d.format !== INTERIM_BUNDLE_FORMAT || typeof d.state !== 'object' || d.state === null) {
    throw new Error('This file is not a trust bundle.');
  }
  const s = d.state;
  const lists = (s.statusLists ?? []).map((l) => {
    const list = l as unknown as Omit<CachedStatusList, 'bits'> & { bits: string };
    return { ...list, bits: base64UrlDecode(list.bits) } as CachedStatusList;
  });
  return {
    ...(s.trust ? { trust: s.trust } : {}),
    ...(s.sync ? { sync: s.sync } : {}),
    didDocuments: s.didDocuments ?? [],
    statusLists: lists,
    anchors: s.anchors ?? [],
  };
}
