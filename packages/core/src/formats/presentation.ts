// How a credential travels inside a VCDM 2.0 presentation: an EnvelopedVerifiableCredential whose `id` is a
// `data:` URL with the credential's media type. Built by the wallet, read by the verifier, here only.
import { isRecord } from '../guards.js';
import type { CredentialFormat } from './credential.js';
import { TYPE_ENVELOPED_CREDENTIAL, VC_CONTEXT_V2 } from './credential-types.js';

/** `data:` URL prefix of an enveloped credential, per format (`application/jwt` for a VCDM 1.1 JWT-VC). */
export const ENVELOPE_PREFIX: Readonly<Record<CredentialFormat, string>> = {
  'vc+jwt': 'data:application/vc+jwt,',
  'jwt-vc': 'data:application/jwt,',
};

/** A credential carried in a presentation (VCDM 2.0 §4.13 enveloped credential). */
export interface EnvelopedCredential {
  '@context': typeof VC_CONTEXT_V2;
  type: typeof TYPE_ENVELOPED_CREDENTIAL;
  id: string;
}

/**
 * Envelope a compact credential for a presentation's `verifiableCredential`.
 *
 * @example
 * ```ts
 * envelopeCredential(jws, 'vc+jwt').id // 'data:application/vc+jwt,eyJ…'
 * ```
 */
export function envelopeCredential(jwt: string, format: CredentialFormat = 'vc+jwt'): EnvelopedCredential {
  return { '@context': VC_CONTEXT_V2, type: TYPE_ENVELOPED_CREDENTIAL, id: `${ENVELOPE_PREFIX[format]}${jwt}` };
}

/**
 * The compact token inside one `verifiableCredential` entry: an enveloped credential with a known prefix,
 * or a bare string (VCDM 1.1 presentations carry JWTs directly); `undefined` for anything else. Never throws.
 *
 * @example
 * ```ts
 * readEnvelopedCredential({ type: 'EnvelopedVerifiableCredential', id: 'data:application/vc+jwt,eyJ…' }) // 'eyJ…'
 * ```
 */
export function readEnvelopedCredential(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (!isRecord(entry) || entry.type !== TYPE_ENVELOPED_CREDENTIAL || typeof entry.id !== 'string') return undefined;
  const id = entry.id;
  const prefix = Object.values(ENVELOPE_PREFIX).find((p) => id.startsWith(p));
  return prefix === undefined ? undefined : id.slice(prefix.length);
}
