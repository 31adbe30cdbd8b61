import { CradleError, MAX_DOMAIN_LENGTH, MAX_NONCE_LENGTH, TYP_VP_JWT, VC_CONTEXT_V2, clockOption, envelopeCredential } from '@cradle/core';
import type { Clock, EnvelopedVerifiableCredential as EnvelopedCredential, JwsHeader } from '@cradle/core';
import { didKeyVerificationMethod } from './did-key.js';
import type { CredentialFormat } from '@cradle/core';

export { MAX_DOMAIN_LENGTH, MAX_NONCE_LENGTH } from '@cradle/core';
/** Default and largest presentation lifetime (seconds). */
export const DEFAULT_PRESENTATION_TTL_SECONDS = 300;
export const MAX_PRESENTATION_TTL_SECONDS = 3600;

/** The `vp+jwt` payload of a checkpoint presentation (docs/formats.md, "Checkpoint presentation"). */
// A type alias (not an interface) so that it is assignable to the JWS payload's Record<string, unknown>.
export type CheckpointPresentationPayload = {
  '@context': [typeof VC_CONTEXT_V2];
  type: ['VerifiablePresentation'];
  holder: string;
  verifiableCredential: EnvelopedCredential[];
  iss: string;
  aud: string;
  nonce: string;
  iat: number;
  exp: number;
};

/** A credential carried in a presentation (built by `@cradle/core`'s `envelopeCredential`). */
export type { EnvelopedVerifiableCredential as EnvelopedCredential } from '@cradle/core';

/** Inputs of {@link buildPresentation}. */
export interface BuildPresentationInput {
  /** The guardian's `did:key`: holder, issuer and signer of the presentation. */
  guardian: string;
  /**
   * The birth-registration credential, then the guardianship credential: compact JWS strings (taken as
   * `vc+jwt`), or `{ jwt, format }` to carry a VCDM 1.1 JWT-VC under its own media type.
   */
  credentials: (string | { jwt: string; format?: CredentialFormat })[];
  nonce: string;
  domain: string;
  /** The clock (`() => ms since the epoch`); default `Date.now`. A `Date` is still accepted (the earlier shape; deprecated). */
  now?: Clock | Date;
  ttlSeconds?: number;
}

/**
 * Build the protected header and payload of a checkpoint presentation, exactly in the shape of
 * docs/formats.md. Validates the caller's inputs (throws `INVALID_ARGUMENT`).
 *
 * @example
 * ```ts
 * const { header, payload } = buildPresentation({ guardian, credentials: [birthJws, guardianshipJws], nonce, domain, now: Date.now });
 * ```
 */
export function buildPresentation(input: BuildPresentationInput): { header: JwsHeader; payload: CheckpointPresentationPayload } {
  const nonce = checkText('nonce', input.nonce, MAX_NONCE_LENGTH);
  const domain = checkText('domain', input.domain, MAX_DOMAIN_LENGTH);
  const ttl = input.ttlSeconds ?? DEFAULT_PRESENTATION_TTL_SECONDS;
  if (!Number.isSafeInteger(ttl) || ttl < 1 || ttl > MAX_PRESENTATION_TTL_SECONDS) {
    throw new CradleError('INVALID_ARGUMENT', `ttlSeconds must be a whole number of seconds from 1 to ${MAX_PRESENTATION_TTL_SECONDS}.`);
  }
  const nowMs = clockOption('now', input.now)();
  const iat = Math.floor(nowMs / 1000);
  const kid = didKeyVerificationMethod(input.guardian);
  const header: JwsHeader = { alg: 'EdDSA', typ: TYP_VP_JWT, kid };
  const payload: CheckpointPresentationPayload = {
    '@context': [VC_CONTEXT_V2],
    type: ['VerifiablePresentation'],
    holder: input.guardian,
    verifiableCredential: input.credentials.map((c) => (typeof c === 'string' ? envelopeCredential(c) : envelopeCredential(c.jwt, c.format))),
    iss: input.guardian,
    aud: domain,
    nonce,
    iat,
    exp: iat + ttl,
  };
  return { header, payload };
}

function checkText(name: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new CradleError('INVALID_ARGUMENT', `The checkpoint ${name} is required: copy it from the checkpoint's screen or QR code.`);
  }
  if (value.length > max) throw new CradleError('INVALID_ARGUMENT', `The checkpoint ${name} is longer than ${max} characters.`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new CradleError('INVALID_ARGUMENT', `The checkpoint ${name} contains control characters.`);
  return value;
}
