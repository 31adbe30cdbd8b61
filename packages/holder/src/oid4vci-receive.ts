import { createHash, randomBytes } from 'node:crypto';
import { CradleError, TYP_DC_SD_JWT, base64UrlEncode, displayText, ed25519PublicKeyOfDidKey } from '@cradle/core';
import { HashAlgorithm, Oauth2ClientErrorResponseError, Oauth2Error, clientAuthenticationNone, preAuthorizedCodeGrantIdentifier, setGlobalConfig } from '@openid4vc/oauth2';
import type { JwtSigner } from '@openid4vc/oauth2';
import { Openid4vciClient, Openid4vciRetrieveCredentialsError } from '@openid4vc/openid4vci';

/** Longest offer URI accepted (a pre-authorized offer by value is a few hundred characters). */
export const MAX_OFFER_URI_LENGTH = 16 * 1024;
/** Credential formats the wallet can store: JWT-secured W3C credentials and SD-JWT VCs. */
const RECEIVABLE_FORMATS = new Set(['jwt_vc_json', TYP_DC_SD_JWT]);

/** What {@link receiveOffer} needs: the offer, the transaction code, and who signs the proof of possession. */
export interface ReceiveOfferOptions {
  /** `openid-credential-offer://?credential_offer=…` or `…?credential_offer_uri=…` (also `https://…` links of that shape). */
  offer: string;
  /** The transaction code the issuer gave out of band, when the offer asks for one. */
  txCode?: string;
  /** The DID (did:key, Ed25519) the credential is bound to: its key signs the proof. */
  holderDid: string;
  /** Its verification method id (`did:key:z…#z…`). */
  holderKid: string;
  /** Sign a JWT (header + payload) with the holder DID's key: returns the compact JWS. */
  sign: (header: Record<string, unknown>, payload: Record<string, unknown>) => Promise<string>;
  /** Accept an issuer on plain http (a test or a closed network). Default: https only. */
  allowHttp?: boolean;
  /** Injected fetch (default: global). */
  fetch?: typeof fetch;
}

/** The credentials an issuer delivered (not yet checked or stored). */
export interface ReceivedCredentials {
  /** The credential issuer's URL. */
  issuer: string;
  /** The credential configuration that was requested. */
  credentialConfigurationId: string;
  /** The credential configuration's format: `jwt_vc_json` or `dc+sd-jwt`. */
  format: string;
  /** Compact JWTs (or SD-JWT VCs with all their disclosures), as delivered. */
  credentials: string[];
}

function issuerRefused(what: string, error: string, description: unknown, status?: number): CradleError {
  const text = typeof description === 'string' && description !== '' ? `: ${displayText(description, { maxLength: 300 })}` : '';
  return new CradleError('ISSUER_REFUSED', `The issuer refused the ${what} (${displayText(error, { maxLength: 60 })})${text}.`, {
    details: { error: displayText(error, { maxLength: 60 }), ...(status === undefined ? {} : { status }) },
  });
}

/** Turn what the library throws into a CradleError that says who failed and what to do. */
function explain(e: unknown, step: string): CradleError {
  if (e instanceof CradleError) return e;
  if (e instanceof Oauth2ClientErrorResponseError) return issuerRefused(step, e.errorResponse.error, e.errorResponse.error_description, e.response.status);
  if (e instanceof Openid4vciRetrieveCredentialsError) {
    const data = e.response.credentialErrorResponseResult?.data as { error?: unknown; error_description?: unknown } | undefined;
    return issuerRefused(step, typeof data?.error === 'string' ? data.error : `HTTP ${e.response.response.status}`, data?.error_description, e.response.response.status);
  }
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof TypeError && /fetch failed/i.test(message)) {
    return new CradleError('ISSUER_UNREACHABLE', `Could not reach the issuer during the ${step}; check the network and try again.`, { cause: e });
  }
  // A malformed offer is the input's fault; a library error at a later step is about what the issuer sent.
  const code = e instanceof Oauth2Error && step !== 'offer' ? 'ISSUER_REFUSED' : 'INVALID_ARGUMENT';
  const what = step === 'offer' ? 'This is not a usable OpenID4VCI credential offer' : `OpenID4VCI ${step} failed`;
  return new CradleError(code, `${what}: ${displayText(message, { maxLength: 400 })}`, { cause: e });
}

/**
 * Complete an OpenID4VCI 1.0 pre-authorized code flow against any issuer, with the OpenWallet
 * Foundation's `@openid4vc/openid4vci` client: resolve the offer and the issuer's metadata, redeem the
 * code (with the transaction code), get a nonce, prove possession of the holder's key (`jwt` proof,
 * EdDSA: named by its `did:key` for `jwt_vc_json`, as a JWK for `dc+sd-jwt`, whose `cnf` binds it), and
 * collect the credentials. Only `jwt_vc_json` and `dc+sd-jwt` configurations are requested.
 * The caller checks and stores what comes back. Every refusal is a `CradleError`
 * (`ISSUER_REFUSED` with the OAuth `error`, `ISSUER_UNREACHABLE`, `INVALID_ARGUMENT`).
 *
 * @example
 * ```ts
 * const { credentials } = await receiveOffer({ offer, txCode: '482913', holderDid: child, holderKid, sign });
 * ```
 */
export async function receiveOffer(opts: ReceiveOfferOptions): Promise<ReceivedCredentials> {
  const offer = typeof opts.offer === 'string' ? opts.offer.trim() : '';
  if (offer === '' || offer.length > MAX_OFFER_URI_LENGTH) {
    throw new CradleError('INVALID_ARGUMENT', `An offer is a URI of at most ${MAX_OFFER_URI_LENGTH} characters (openid-credential-offer://?credential_offer=…).`);
  }
  if (opts.txCode !== undefined && !/^[\x21-\x7e]{1,64}$/.test(opts.txCode)) {
    throw new CradleError('INVALID_ARGUMENT', 'The transaction code is 1 to 64 printable characters, as the issuer gave it.');
  }
  if (opts.allowHttp === true) setGlobalConfig({ allowInsecureUrls: true });
  const client = new Openid4vciClient({
    callbacks: {
      hash: (data, alg) => new Uint8Array(createHash(alg === HashAlgorithm.Sha384 ? 'sha384' : alg === HashAlgorithm.Sha512 ? 'sha512' : 'sha256').update(data).digest()),
      generateRandom: (n) => new Uint8Array(randomBytes(n)),
      signJwt: async (_signer, { header, payload }) => ({ jwt: await opts.sign(header, payload), signerJwk: { kty: 'OKP', crv: 'Ed25519' } as never }),
      fetch: opts.fetch ?? fetch,
      clientAuthentication: clientAuthenticationNone({ clientId: 'cradle-wallet' }),
    },
  });

  const credentialOffer = await client.resolveCredentialOffer(offer).catch((e: unknown) => {
    throw explain(e, 'offer');
  });
  const grant = credentialOffer.grants?.[preAuthorizedCodeGrantIdentifier];
  if (grant === undefined) {
    throw new CradleError('INVALID_ARGUMENT', 'This offer has no pre-authorized code; the wallet supports only pre-authorized offers (the authorization-code flow needs a browser login).');
  }
  if (grant.tx_code !== undefined && opts.txCode === undefined) {
    const hint = typeof grant.tx_code.description === 'string' ? ` (${displayText(grant.tx_code.description, { maxLength: 200 })})` : '';
    throw new CradleError('INVALID_ARGUMENT', `This offer needs the transaction code the issuer gave you${hint}: pass --tx-code CODE.`, { details: { field: 'txCode' } });
  }
  const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer).catch((e: unknown) => {
    throw explain(e, 'metadata request');
  });
  const supported = issuerMetadata.credentialIssuer.credential_configurations_supported;
  const credentialConfigurationId = credentialOffer.credential_configuration_ids.find((id) => RECEIVABLE_FORMATS.has(String(supported[id]?.format)));
  if (credentialConfigurationId === undefined) {
    const offered = credentialOffer.credential_configuration_ids.map((id) => `${id} (${String(supported[id]?.format ?? 'unknown format')})`).join(', ');
    throw new CradleError('CREDENTIAL_TYPE_UNSUPPORTED', `The issuer offers ${displayText(offered, { maxLength: 300 })}; this wallet receives jwt_vc_json and dc+sd-jwt credentials.`);
  }
  const format = String(supported[credentialConfigurationId]!.format);
  const { accessTokenResponse } = await client
    .retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, ...(opts.txCode === undefined ? {} : { txCode: opts.txCode }) })
    .catch((e: unknown) => {
      throw explain(e, 'token request');
    });
  let nonce = typeof accessTokenResponse.c_nonce === 'string' ? accessTokenResponse.c_nonce : undefined;
  if (issuerMetadata.credentialIssuer.nonce_endpoint !== undefined) {
    nonce = (
      await client.requestNonce({ issuerMetadata }).catch((e: unknown) => {
        throw explain(e, 'nonce request');
      })
    ).c_nonce;
  }
  // An SD-JWT VC is bound to a key (cnf.jwk), so the proof names the key itself; a W3C JWT to a DID.
  const publicKey = ed25519PublicKeyOfDidKey(opts.holderDid);
  if (publicKey === undefined) throw new CradleError('INVALID_ARGUMENT', 'The holder must be an Ed25519 did:key: its key proves possession.', { details: { field: 'holderDid' } });
  const signer: JwtSigner =
    format === TYP_DC_SD_JWT
      ? { method: 'jwk', publicJwk: { kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(publicKey) }, alg: 'EdDSA' }
      : { method: 'did', didUrl: opts.holderKid, alg: 'EdDSA' };
  const { jwt: proof } = await client
    .createCredentialRequestJwtProof({ issuerMetadata, signer, credentialConfigurationId, ...(nonce === undefined ? {} : { nonce }) })
    .catch((e: unknown) => {
      throw explain(e, 'proof of possession');
    });
  const { credentialResponse } = await client
    .retrieveCredentials({ issuerMetadata, accessToken: accessTokenResponse.access_token, credentialConfigurationId, proofs: { jwt: [proof] } })
    .catch((e: unknown) => {
      throw explain(e, 'credential request');
    });
  const delivered: unknown[] = [
    ...(Array.isArray(credentialResponse.credentials) ? credentialResponse.credentials.map((c) => (typeof c === 'object' && c !== null && 'credential' in c ? c.credential : c)) : []),
    ...(credentialResponse.credential !== undefined ? [credentialResponse.credential] : []),
  ];
  if (delivered.length === 0) {
    throw new CradleError('ISSUER_REFUSED', 'The issuer answered without a credential (deferred issuance is not supported); ask the issuer when it is ready.');
  }
  const credentials = delivered.filter((c): c is string => typeof c === 'string');
  if (credentials.length !== delivered.length) throw new CradleError('CREDENTIAL_TYPE_UNSUPPORTED', 'The issuer delivered a credential that is not a JWT string.');
  return { issuer: credentialOffer.credential_issuer, credentialConfigurationId, format, credentials };
}
