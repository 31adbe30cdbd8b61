import { Openid4vciVersion } from '@openid4vc/openid4vci';
import type { Openid4vciIssuer } from '@openid4vc/openid4vci';
import type { CredentialIssuerMetadata, IssuerMetadataResult } from '@openid4vc/openid4vci';
import { setGlobalConfig } from '@openid4vc/oauth2';
import type { AuthorizationServerMetadata } from '@openid4vc/oauth2';
import type { CradleCredentialType } from '../credential-payloads.js';

/** Paths of the OpenID4VCI endpoints under the registrar's base URL. */
export const OID4VCI_PATHS = {
  token: '/oid4vci/token',
  nonce: '/oid4vci/nonce',
  credential: '/oid4vci/credential',
  jwks: '/oid4vci/jwks',
  offers: '/oid4vci/offers',
} as const;

/**
 * The credential configuration id offered for each credential type. Format `jwt_vc_json`: the JWT the
 * registrar issued (VCDM 2.0 `vc+jwt` by default, VCDM 1.1 JWT-VC with `--format jwt-vc`), bound to the
 * child's `did:key` (the credential subject), which the wallet proves with an EdDSA `jwt` proof.
 */
export const CREDENTIAL_CONFIGURATION_IDS: Record<CradleCredentialType, string> = {
  BirthRegistrationCredential: 'BirthRegistrationCredential_jwt_vc_json',
  GuardianshipCredential: 'GuardianshipCredential_jwt_vc_json',
};

function configuration(type: CradleCredentialType, name: string, description: string) {
  return {
    format: 'jwt_vc_json' as const,
    credential_definition: { type: ['VerifiableCredential', type] },
    cryptographic_binding_methods_supported: ['did:key'],
    credential_signing_alg_values_supported: ['EdDSA'],
    proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['EdDSA'] } },
    // `credential_metadata` is OpenID4VCI 1.0's place for display data (and how wallets tell 1.0 from drafts).
    credential_metadata: { display: [{ name, description, locale: 'en' }] },
  };
}

/**
 * The registrar's OpenID4VCI credential issuer metadata and OAuth authorization-server metadata
 * (the registrar is its own authorization server), validated by `@openid4vc/openid4vci`.
 */
export function oid4vciMetadata(issuer: Openid4vciIssuer, baseUrl: string, registrarName: string): IssuerMetadataResult {
  // `@openid4vc/*` refuse http URLs unless told otherwise (a process-wide switch). A registrar configured
  // with an http base URL (a test, a closed local network) could not build its own metadata otherwise;
  // wallets still decide for themselves whether they accept an http issuer.
  if (baseUrl.startsWith('http:')) setGlobalConfig({ allowInsecureUrls: true });
  const credentialIssuer: CredentialIssuerMetadata = issuer.createCredentialIssuerMetadata({
    credential_issuer: baseUrl,
    credential_endpoint: `${baseUrl}${OID4VCI_PATHS.credential}`,
    nonce_endpoint: `${baseUrl}${OID4VCI_PATHS.nonce}`,
    display: [{ name: registrarName, locale: 'en' }],
    credential_configurations_supported: {
      [CREDENTIAL_CONFIGURATION_IDS.BirthRegistrationCredential]: configuration('BirthRegistrationCredential', 'Birth registration', "A child's civil birth registration"),
      [CREDENTIAL_CONFIGURATION_IDS.GuardianshipCredential]: configuration('GuardianshipCredential', 'Guardianship', 'Who may present for the child'),
    },
  });
  const authorizationServer: AuthorizationServerMetadata = {
    issuer: baseUrl,
    token_endpoint: `${baseUrl}${OID4VCI_PATHS.token}`,
    jwks_uri: `${baseUrl}${OID4VCI_PATHS.jwks}`,
    grant_types_supported: ['urn:ietf:params:oauth:grant-type:pre-authorized_code'],
    'pre-authorized_grant_anonymous_access_supported': true,
  };
  return { originalDraftVersion: Openid4vciVersion.V1, credentialIssuer, authorizationServers: [authorizationServer], knownCredentialConfigurations: {} };
}

/** The issuer name wallets show. */
export const REGISTRY_DISPLAY_NAME = 'Cradle civil registry';

/** The credential configuration id of a stored credential's type. */
export function configurationIdOf(type: string): string {
  const id = (CREDENTIAL_CONFIGURATION_IDS as Record<string, string>)[type];
  if (id === undefined) throw new Error(`No OpenID4VCI credential configuration for credential type ${type}.`);
  return id;
}
