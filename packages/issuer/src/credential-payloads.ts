import { ALERT_STATUS_MESSAGES, ALERT_STATUS_SIZE, CRADLE_CONTEXT, STATUS_CONTEXT_V1, VC_CONTEXT_V1, VC_CONTEXT_V2 } from '@cradle/core';
import type { StatusSlot } from './status-list-allocator.js';


/** The two credential types a registrar issues. */
export type CradleCredentialType = 'BirthRegistrationCredential' | 'GuardianshipCredential';

/** The credential formats a registrar issues: one definition, in `@cradle/core`'s formats/credential.ts. */
import type { CredentialFormat } from '@cradle/core';
export type { CredentialFormat };

/** A `BitstringStatusListEntry` (docs/formats.md). */
export interface StatusListEntryJson {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: 'revocation' | 'suspension' | 'message';
  statusListIndex: string;
  statusListCredential: string;
  /** Alert entries only (`message`): 2 bits, and the same `statusMessage` table in every credential. */
  statusSize?: number;
  statusMessage?: readonly { readonly status: string; readonly message: string }[];
}

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

/** RFC 3339 without milliseconds, as in docs/formats.md (`2026-11-23T10:00:00Z`). */
export function rfc3339(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** The unsigned credential (VCDM 2.0 or 1.1 shape) handed to Veramo's `createVerifiableCredential`. */
export function unsignedCredential(opts: {
  id: string;
  type: CradleCredentialType;
  issuer: string;
  subject: string;
  claims: Record<string, unknown>;
  status: StatusSlot[];
  now: Date;
  format: CredentialFormat;
}): Record<string, unknown> {
  const credentialStatus = opts.status.map(statusEntry);
  const credentialSubject = { id: opts.subject, ...opts.claims };
  if (opts.format === 'jwt-vc') {
    return {
      // Bitstring Status List §2.1 defines the entry for VCDM 2.0; a 1.1 credential needs its status context.
      '@context': [VC_CONTEXT_V1, STATUS_CONTEXT_V1, CRADLE_CONTEXT],
      id: opts.id,
      type: ['VerifiableCredential', opts.type],
      issuer: { id: opts.issuer },
      issuanceDate: rfc3339(opts.now),
      credentialSubject,
      credentialStatus: credentialStatus.length === 1 ? credentialStatus[0] : credentialStatus,
    };
  }
  return {
    '@context': [VC_CONTEXT_V2, CRADLE_CONTEXT],
    id: opts.id,
    type: ['VerifiableCredential', opts.type],
    issuer: opts.issuer,
    validFrom: rfc3339(opts.now),
    credentialSubject,
    credentialStatus,
  };
}
