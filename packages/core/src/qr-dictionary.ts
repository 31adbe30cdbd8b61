import { utf8Encode } from './base64url.js';

/**
 * Preset DEFLATE dictionary of `CRADLE2:` QR payloads: the JSON skeleton shared by every credential and
 * presentation (member names, contexts, types, DID prefixes). With it, DEFLATE spends bits only on what
 * differs between credentials — names, dates, DIDs, ids, the signature — which is what lets a birth
 * credential fit a QR code of version 20 at error-correction level M.
 *
 * FROZEN: every scanner of `CRADLE2:` payloads must hold exactly these bytes. Changing them needs a new
 * prefix (`CRADLE3:`), never an edit. Most frequent strings sit at the end (shorter distances).
 */
const DICTIONARY_TEXT = [
  '{"@context":"https://www.w3.org/ns/credentials/v2","type":"EnvelopedVerifiableCredential","id":"data:application/vc+jwt,"}',
  '{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"holder":"did:key:z6Mk","verifiableCredential":[',
  '],"iss":"did:key:z6Mk","aud":"checkpoint.","nonce":"","iat":17,"exp":17}',
  '{"alg":"EdDSA","typ":"vp+jwt","kid":"did:key:z6Mk#z6Mk"}',
  '"GuardianshipCredential"],"credentialSubject":{"id":"did:key:z6Mk","guardians":[{"id":"did:key:z6Mk","role":"legal-guardian"},{"id":"did:key:z6Mk","role":"custodial-organisation"}],"basis":"birth-registration"}',
  '"registeringOffice":{"name":" Civil Registration Office","code":""},"parents":[{"role":"mother","reference":"urn:cradle:registry:person:"},{"role":"father","reference":"urn:cradle:registry:person:"},{"role":"parent","reference":"urn:"},{"role":"guardian","reference":"did:key:z6Mk"}]}',
  '"BirthRegistrationCredential"],"issuer":"did:ethr:0x","validFrom":"20","validUntil":"20","credentialSubject":{"id":"did:key:z6Mk","givenName":"","familyName":"","birthDate":"20","sex":"female","sex":"male","sex":"other","sex":"unknown","placeOfBirth":{"locality":"","region":"","country":"","facility":""},"registrationNumber":"","registrationDate":"20",',
  '"credentialStatus":[{"id":"https://status/#","type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"","statusListCredential":"https://status/"},{"id":"https://status/#","type":"BitstringStatusListEntry","statusPurpose":"suspension","statusListIndex":"","statusListCredential":"https://status/"}],"iss":"did:ethr:0x","sub":"did:key:z6Mk","jti":"urn:uuid:","iat":17,"nbf":17,"exp":17}',
  '{"alg":"EdDSA","typ":"vc+jwt","kid":"did:ethr:0x7a69:0x#delegate-1"}{"@context":["https://www.w3.org/ns/credentials/v2","https://w3id.org/cradle/v1"],"id":"urn:uuid:","type":["VerifiableCredential",',
].join('');

/** The bytes of the `CRADLE2:` preset dictionary. */
export const QR_DICTIONARY_V2: Uint8Array = utf8Encode(DICTIONARY_TEXT);
