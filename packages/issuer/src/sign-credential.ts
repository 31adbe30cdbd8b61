import { base64UrlDecode, buildCredentialJws, signJws, utf8Decode } from '@cradle/core';
import type { JwtCredentialFormat } from '@cradle/core';
import type { RegistrarAgent } from './registrar-agent.js';

/** The registrar's signing key: the key manager's reference, and the verification method id put in `kid`. */
export interface RegistrarSigningKey {
  /** Veramo kid of the Ed25519 signing key (what `keyManagerSign` takes). */
  keyRef: string;
  /** Its verification method in the registrar's DID document (the JWS `kid`). */
  kid: string;
}

/**
 * A JWS signer over the registrar's Ed25519 signing key, through the key manager's `sign`: the private key
 * never leaves the key custody (kms-local, the native KMS, or an external one).
 *
 * @example
 * ```ts
 * const jwt = await signJws(header, payload, registrarSigner(agent, identity.signingKid));
 * ```
 */
export function registrarSigner(agent: RegistrarAgent, keyRef: string): (data: Uint8Array) => Promise<Uint8Array> {
  return async (data) => base64UrlDecode(await agent.keyManagerSign({ keyRef, data: utf8Decode(data), algorithm: 'EdDSA', encoding: 'utf-8' }));
}

/**
 * Sign an unsigned credential (core's `buildCredential`, or a status list from `buildStatusListCredential`)
 * as a compact JWS in `format`. The token is built by `@cradle/core` (`buildCredentialJws`, `signJws`);
 * Veramo only signs the bytes.
 *
 * @example
 * ```ts
 * const jwt = await signCredential(rt.agent, { keyRef, kid }, credential, 'vc+jwt', { issuedAt: nowS });
 * ```
 */
export async function signCredential(
  agent: RegistrarAgent,
  key: RegistrarSigningKey,
  credential: Record<string, unknown>,
  format: JwtCredentialFormat,
  opts: { issuedAt: number; claims?: Record<string, unknown> },
): Promise<string> {
  const { header, payload } = buildCredentialJws(credential, format, { alg: 'EdDSA', kid: key.kid, issuedAt: opts.issuedAt, ...(opts.claims === undefined ? {} : { claims: opts.claims }) });
  return signJws(header, payload, registrarSigner(agent, key.keyRef));
}
