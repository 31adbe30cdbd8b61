import type { CredentialFormat } from './credential.js';

/** VCDM 2.0 §4.13: a JOSE-secured credential carried by value in a `data:` URL. */
export interface EnvelopedVerifiableCredential {
  readonly '@context': 'https://www.w3.org/ns/credentials/v2';
  readonly id: string;
  readonly type: 'EnvelopedVerifiableCredential';
}

/** The `data:` URL prefix of an enveloped credential, per credential format. */
export const ENVELOPED_CREDENTIAL_PREFIX = { 'vc+jwt': 'data:application/vc+jwt,', 'jwt-vc': 'data:application/jwt,', 'sd-jwt-vc': 'data:application/dc+sd-jwt,' } as const;
/** The `data:` URL prefix of an enveloped (JOSE-secured) presentation. */
export const ENVELOPED_PRESENTATION_PREFIX = 'data:application/vp+jwt,';
const ENVELOPE_PREFIX = ENVELOPED_CREDENTIAL_PREFIX;

/**
 * Wrap a compact JWS credential as an `EnvelopedVerifiableCredential` (what VC-API responses and
 * presentations carry): `data:application/vc+jwt,<jws>` for VCDM 2.0 `vc+jwt`,
 * `data:application/jwt,<jwt>` for a VCDM 1.1 JWT-VC, `data:application/dc+sd-jwt,<sd-jwt>` for an SD-JWT VC.
 *
 * @example
 * ```ts
 * envelopeCredential(jwt) // { '@context': 'https://www.w3.org/ns/credentials/v2', id: 'data:application/vc+jwt,eyJ…', type: 'EnvelopedVerifiableCredential' }
 * ```
 */
export function envelopeCredential(jwt: string, format: CredentialFormat = 'vc+jwt'): EnvelopedVerifiableCredential {
  return { '@context': 'https://www.w3.org/ns/credentials/v2', id: `${ENVELOPE_PREFIX[format]}${jwt}`, type: 'EnvelopedVerifiableCredential' };
}

/**
 * The compact token inside an enveloped credential (`data:application/vc+jwt,`,
 * `data:application/jwt,` or `data:application/dc+sd-jwt,`), or the value itself when it is a bare string (a compact JWS or a QR
 * payload); `undefined` for anything else. Never throws: use it on untrusted input. The token is not
 * checked here: hand it to the verifier, which enforces its `typ`.
 *
 * @example
 * ```ts
 * readEnvelopedCredential({ type: 'EnvelopedVerifiableCredential', id: 'data:application/vc+jwt,eyJ…' }) // 'eyJ…'
 * ```
 */
export function readEnvelopedCredential(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { type, id } = value as { type?: unknown; id?: unknown };
  if (type !== 'EnvelopedVerifiableCredential' || typeof id !== 'string') return undefined;
  for (const prefix of Object.values(ENVELOPE_PREFIX)) if (id.startsWith(prefix)) return id.slice(prefix.length);
  return undefined;
}

/**
 * The compact token inside an `EnvelopedVerifiablePresentation` (`data:application/vp+jwt,<jws>`), or the
 * value itself when it is a bare string (a compact JWS or a QR payload); `undefined` for anything else.
 * Never throws. The token is not checked here.
 *
 * @example
 * ```ts
 * readEnvelopedPresentation({ type: 'EnvelopedVerifiablePresentation', id: 'data:application/vp+jwt,eyJ…' }) // 'eyJ…'
 * ```
 */
export function readEnvelopedPresentation(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { type, id } = value as { type?: unknown; id?: unknown };
  const prefix = ENVELOPED_PRESENTATION_PREFIX;
  if (type !== 'EnvelopedVerifiablePresentation' || typeof id !== 'string' || !id.startsWith(prefix)) return undefined;
  return id.slice(prefix.length);
}
