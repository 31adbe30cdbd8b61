import { TYP_JWT, TYP_VC_JWT } from '../jose.js';

/** VCDM 2.0 §4.13: a JOSE-secured credential carried by value in a `data:` URL. */
export interface EnvelopedVerifiableCredential {
  readonly '@context': 'https://www.w3.org/ns/credentials/v2';
  readonly id: string;
  readonly type: 'EnvelopedVerifiableCredential';
}

const ENVELOPE_PREFIX = { 'vc+jwt': 'data:application/vc+jwt,', 'jwt-vc': 'data:application/jwt,' } as const;

/**
 * Wrap a compact JWS credential as an `EnvelopedVerifiableCredential` (what VC-API responses and
 * presentations carry): `data:application/vc+jwt,<jws>` for VCDM 2.0 `vc+jwt`,
 * `data:application/jwt,<jwt>` for a VCDM 1.1 JWT-VC.
 *
 * @example
 * ```ts
 * envelopeCredential(jwt) // { '@context': 'https://www.w3.org/ns/credentials/v2', id: 'data:application/vc+jwt,eyJ…', type: 'EnvelopedVerifiableCredential' }
 * ```
 */
export function envelopeCredential(jwt: string, format: 'vc+jwt' | 'jwt-vc' = 'vc+jwt'): EnvelopedVerifiableCredential {
  return { '@context': 'https://www.w3.org/ns/credentials/v2', id: `${ENVELOPE_PREFIX[format]}${jwt}`, type: 'EnvelopedVerifiableCredential' };
}

/**
 * The compact token inside an enveloped credential, or the token itself when `value` is a bare string;
 * `undefined` for anything else (never throws: use it on untrusted input). The token is not checked
 * here: hand it to the verifier. The media type tells which `typ` the token must then carry.
 *
 * @example
 * ```ts
 * readEnvelopedCredential({ type: 'EnvelopedVerifiableCredential', id: 'data:application/vc+jwt,eyJ…' }) // { token: 'eyJ…', typ: 'vc+jwt' }
 * ```
 */
export function readEnvelopedCredential(value: unknown): { token: string; typ?: string } | undefined {
  if (typeof value === 'string') return { token: value };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { type, id } = value as { type?: unknown; id?: unknown };
  if (type !== 'EnvelopedVerifiableCredential' || typeof id !== 'string') return undefined;
  if (id.startsWith(ENVELOPE_PREFIX['vc+jwt'])) return { token: id.slice(ENVELOPE_PREFIX['vc+jwt'].length), typ: TYP_VC_JWT };
  if (id.startsWith(ENVELOPE_PREFIX['jwt-vc'])) return { token: id.slice(ENVELOPE_PREFIX['jwt-vc'].length), typ: TYP_JWT };
  return undefined;
}
