import { Openid4vciVersion } from '@openid4vc/openid4vci';
import type { Openid4vciIssuer } from '@openid4vc/openid4vci';
import type { CredentialIssuerMetadata, IssuerMetadataResult } from '@openid4vc/openid4vci';
import { setGlobalConfig } from '@openid4vc/oauth2';
import type { AuthorizationServerMetadata } from '@openid4vc/oauth2';
import { SD_JWT_VC_DISCLOSABLE, TYP_DC_SD_JWT, VCT_BIRTH_REGISTRATION, VCT_GUARDIANSHIP } from '@cradle/core';
import type { CradleCredentialType, CredentialFormat } from '../credential-payloads.js';

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

/**
 * The credential configuration id of each credential type issued as SD-JWT VC (`--format sd-jwt-vc`):
 * format `dc+sd-jwt` with the type's `vct`, bound through `cnf.jwk` to the key the wallet proves.
 */
export const SD_JWT_CREDENTIAL_CONFIGURATION_IDS: Record<CradleCredentialType, string> = {
  BirthRegistrationCredential: 'BirthRegistrationCredential_dc_sd_jwt',
  GuardianshipCredential: 'GuardianshipCredential_dc_sd_jwt',
};

function sdJwtConfiguration(type: CradleCredentialType, name: string, description: string) {
  const kind = type === 'BirthRegistrationCredential' ? 'birth-registration' : 'guardianship';
  return {
    format: TYP_DC_SD_JWT as typeof TYP_DC_SD_JWT,
    vct: type === 'BirthRegistrationCredential' ? VCT_BIRTH_REGISTRATION : VCT_GUARDIANSHIP,
    cryptographic_binding_methods_supported: ['jwk'],
    credential_signing_alg_values_supported: ['EdDSA'],
    proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['EdDSA'] } },
    // The selectively disclosable claims, so a wallet can show them and let the holder choose.
    credential_metadata: { display: [{ name, description, locale: 'en' }], claims: SD_JWT_VC_DISCLOSABLE[kind].map((claim): { path: [string] } => ({ path: [claim] })) },
  };
}

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
      [SD_JWT_CREDENTIAL_CONFIGURATION_IDS.BirthRegistrationCredential]: sdJwtConfiguration('BirthRegistrationCredential', 'Birth registration', "A child's civil birth registration (selective disclosure)"),
      [SD_JWT_CREDENTIAL_CONFIGURATION_IDS.GuardianshipCredential]: sdJwtConfiguration('GuardianshipCredential', 'Guardianship', 'Who may present for the child (selective disclosure)'),
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

/**
 * The credential configuration id of a stored credential: by its type and format (`sd-jwt-vc` is offered
 * as `dc+sd-jwt`, the JWT formats as `jwt_vc_json`).
 */
export function configurationIdOf(type: string, format: CredentialFormat): string {
  const ids = format === 'sd-jwt-vc' ? SD_JWT_CREDENTIAL_CONFIGURATION_IDS : CREDENTIAL_CONFIGURATION_IDS;
  const id = (ids as Record<string, string>)[type];
  if (id === undefined) throw new Error(`No OpenID4VCI credential configuration for credential type ${type}.`);
  return id;
}
