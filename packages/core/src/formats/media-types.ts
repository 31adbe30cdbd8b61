// The JOSE media types (`typ`) of Cradle's artefacts, and the one way to compare them.

/** `typ` of a VCDM 2.0 credential secured with VC-JOSE-COSE. */
export const TYP_VC_JWT = 'vc+jwt';
/** `typ` of a VCDM 2.0 presentation secured with VC-JOSE-COSE. */
export const TYP_VP_JWT = 'vp+jwt';
/** `typ` of a VCDM 1.1 JWT-VC (as issued by Veramo's `@veramo/credential-jwt`). */
export const TYP_JWT = 'JWT';

/** HTTP `Content-Type` of a served status-list credential (a VC-JOSE-COSE `vc+jwt`). */
export const MEDIA_TYPE_VC_JWT = 'application/vc+jwt';
/** HTTP `Content-Type` of a served child-protection alert list (a General JSON JWE, RFC 7516 §9). */
export const MEDIA_TYPE_JOSE_JSON = 'application/jose+json';

/**
 * Normalise a media type as used in `typ`/`cty`: lower-case, without an `application/` prefix
 * (RFC 7515 §4.1.9), so `application/VC+JWT` and `vc+jwt` compare equal.
 *
 * @example
 * ```ts
 * normalizeMediaType('application/VC+JWT') // 'vc+jwt'
 * ```
 */
export function normalizeMediaType(typ: string): string {
  const t = typ.toLowerCase();
  return t.startsWith('application/') ? t.slice('application/'.length) : t;
}
