import { preAuthorizedCodeGrantIdentifier } from '@openid4vc/oauth2';
import { Openid4vciIssuer } from '@openid4vc/openid4vci';
import type { Registrar } from '../registrar.js';
import { OID4VCI_PATHS, REGISTRY_DISPLAY_NAME, configurationIdOf, oid4vciMetadata } from './issuer-metadata.js';
import { issuerCallbacks } from './oid4vci-crypto.js';

/** What `cradle registrar offer` and `POST /oid4vci/offers` return. */
export interface CredentialOfferUri {
  /** `openid-credential-offer://?credential_offer=...` (show it as a QR code). */
  uri: string;
  /** The transaction code: hand it to the parent separately (never in the QR). */
  txCode: string;
  /** ISO date-time after which the offer is refused. */
  expiresAt: string;
  offerId: string;
  credentialId: string;
}

/**
 * Create a single-use OpenID4VCI pre-authorized offer for issued credential `credentialId` (stored as a
 * hash) and its offer URI (the offer by value: issuer URL, credential configuration, code, and the
 * `tx_code` description, never the transaction code itself). `NOT_FOUND` / `CONFLICT` as
 * `OfferStore.create`.
 *
 * @example
 * ```ts
 * const { uri, txCode } = await createOfferUri(registrar, issued.id);
 * ```
 */
export async function createOfferUri(registrar: Registrar, credentialId: string, expiresInSeconds?: number): Promise<CredentialOfferUri> {
  const created = await registrar.offers.create(credentialId, expiresInSeconds === undefined ? {} : { ttlSeconds: expiresInSeconds });
  const record = await registrar.get(credentialId);
  const baseUrl = registrar.config.baseUrl;
  const issuer = new Openid4vciIssuer({ callbacks: issuerCallbacks(registrar.oid4vciKeys(), `${baseUrl}${OID4VCI_PATHS.jwks}`) });
  const { credentialOffer } = await issuer.createCredentialOffer({
    issuerMetadata: oid4vciMetadata(issuer, baseUrl, REGISTRY_DISPLAY_NAME),
    credentialConfigurationIds: [configurationIdOf(record!.type, record!.format)],
    grants: {
      [preAuthorizedCodeGrantIdentifier]: {
        'pre-authorized_code': created.preAuthorizedCode,
        tx_code: { input_mode: 'numeric', length: created.txCode.length, description: 'The code the registry gave you with this QR code' },
      },
    },
  });
  return { uri: credentialOffer, txCode: created.txCode, expiresAt: created.expiresAt, offerId: created.offerId, credentialId };
}
