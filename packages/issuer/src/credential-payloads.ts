import { ALERT_STATUS_MESSAGES, ALERT_STATUS_SIZE } from '@cradle/core';
import type { BitstringStatusListEntry, CredentialFormat } from '@cradle/core';
import type { StatusSlot } from './status-list-allocator.js';

/** The two credential types a registrar issues. */
export type CradleCredentialType = 'BirthRegistrationCredential' | 'GuardianshipCredential';

/** The credential formats a registrar issues: one definition, in `@cradle/core`'s formats/credential.ts. */
export type { CredentialFormat };

/** A `BitstringStatusListEntry` (docs/formats.md): core's one definition, under the issuer's earlier name. */
export type StatusListEntryJson = BitstringStatusListEntry;

/** The status entry of an allocated slot. */
export function statusEntry(slot: StatusSlot): StatusListEntryJson {
  return {
    id: `${slot.url}#${slot.index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: slot.purpose,
    statusListIndex: String(slot.index),
    statusListCredential: slot.url,
    ...(slot.purpose === 'message' ? { statusSize: ALERT_STATUS_SIZE, statusMessage: ALERT_STATUS_MESSAGES } : {}),
  };
}
