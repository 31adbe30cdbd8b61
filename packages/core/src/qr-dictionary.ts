import { base64UrlDecode, utf8Encode } from './base64url.js';

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

/**
 * Preset DEFLATE dictionary of `CRADLE3:` QR payloads (3544 bytes, sha256 e7bfe5b9e71b5c0b65bee8f9bb15c1367b42c8ec97657c62048e9113462f3eb0): the frame body of a
 * template checkpoint presentation with generic values (values first, then the JSON shapes), built by
 * `buildQrDictionaryV3` in the core tests, which check these bytes still come from it.
 *
 * FROZEN, like {@link QR_DICTIONARY_V2}: a change needs a new prefix.
 */
export const QR_DICTIONARY_V3: Uint8Array = base64UrlDecode(
  [
    'c2V4bWFsZW90aGVydW5rbm93bnBhcmVudGd1YXJkaWFuZGlkOndlYjpkaWQ6andrOkVTMjU2RVMyNTZLSldUYXBwbGljYXRpb24v',
    'and0LGh0dHBzOi8vUmVnaXN0cnlDbGluaWNDb3VudHlEaXN0cmljdFByb3ZpbmNlSGVhbHRoIENlbnRyZU1hdGVybml0eQ1FZERT',
    'QQ52cCtqd3RxZGlkOmtleTp6Nk1rMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIjejZNazIyMjIy',
    'MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyLGh0dHBzOi8vd3d3LnczLm9yZy9ucy9jcmVkZW50aWFscy92',
    'Mh5WZXJpZmlhYmxlUHJlc2VudGF0aW9uQGRpZDprZXk6ejZNazIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIy',
    'MjIyMjIyAiVFbnZlbG9wZWRWZXJpZmlhYmxlQ3JlZGVudGlhbCFkYXRhOmFwcGxpY2F0aW9uL3ZjK2p3dCwAAgICAxNjaGVja3Bv',
    'aW50LggSMTc5MDAwMDAwMBIxNzkwMDAwMzAwDUVkRFNBDnZjK2p3dE1kaWQ6ZXRocjoweDdhNjk6MHgwMDAwMDAwMDAwMDAwMDAw',
    'MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwI2RlbGVnYXRlLTEsaHR0cHM6Ly93d3cudzMub3JnL25zL2NyZWRlbnRpYWxzL3YyImh0',
    'dHBzOi8vdzNpZC5vcmcvY3JhZGxlL3YxNXVybjp1dWlkOjAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMBxWZXJp',
    'ZmlhYmxlQ3JlZGVudGlhbCNCaXJ0aFJlZ2lzdHJhdGlvbkNyZWRlbnRpYWxCZGlkOmV0aHI6MHg3YTY5OjB4MDAwMDAwMDAwMDAw',
    'MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMBwyMDI2LTAxLTAxVDAwOjAwOjAwWkBkaWQ6a2V5Ono2TWsxMTExMTExMTExMTEx',
    'MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMQgAEjIwMjUtMDEtMDEOZmVtYWxlAg8gUmVnaW9uAREgSG9zcGl0YWwBBCIg',
    'Q2l2aWwgUmVnaXN0cmF0aW9uIE9mZmljZQIObW90aGVyI3VybjpjcmFkbGU6cmVnaXN0cnk6cGVyc29uOg5mYXRoZXIBT2h0dHBz',
    'Oi8vcmVnaXN0cmFyLmV4YW1wbGUvc3RhdHVzLzAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwIzEwMDAwIEJpdHN0cmlu',
    'Z1N0YXR1c0xpc3RFbnRyeRJyZXZvY2F0aW9uDTEwMDAwSWh0dHBzOi8vcmVnaXN0cmFyLmV4YW1wbGUvc3RhdHVzLzAwMDAwMDAw',
    'MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwUGh0dHBzOi8vcmVnaXN0cmFyLmV4YW1wbGUvc3RhdHVzLzAwMDAwMDAwMDAwMDAwMDAw',
    'MDAwMDAwMDAwMDAwMDAwIzEwMDAwMAQSc3VzcGVuc2lvbg4xMDAwMDAEQmRpZDpldGhyOjB4N2E2OToweDAwMDAwMDAwMDAwMDAw',
    'MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDBAZGlkOmtleTp6Nk1rMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTEx',
    'MTExMTExMTE1dXJuOnV1aWQ6MDAwMDAwMDAtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMDAwEjE3OTAwMDAwMDAADUVkRFNBDnZj',
    'K2p3dE1kaWQ6ZXRocjoweDdhNjk6MHgwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwI2RlbGVnYXRlLTEs',
    'aHR0cHM6Ly93d3cudzMub3JnL25zL2NyZWRlbnRpYWxzL3YyImh0dHBzOi8vdzNpZC5vcmcvY3JhZGxlL3YxBhxWZXJpZmlhYmxl',
    'Q3JlZGVudGlhbB5HdWFyZGlhbnNoaXBDcmVkZW50aWFsQmRpZDpldGhyOjB4N2E2OToweDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw',
    'MDAwMDAwMDAwMDAwMDAwMDAcMjAyNi0wMS0wMVQwMDowMDowMFpAZGlkOmtleTp6Nk1rMTExMTExMTExMTExMTExMTExMTExMTEx',
    'MTExMTExMTExMTExMTExMTExMTFAZGlkOmtleTp6Nk1rMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIy',
    'MjIObW90aGVyAQ5mYXRoZXIBFmxlZ2FsLWd1YXJkaWFuAR5jdXN0b2RpYWwtb3JnYW5pc2F0aW9uT2h0dHBzOi8vcmVnaXN0cmFy',
    'LmV4YW1wbGUvc3RhdHVzLzAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwIzEwMDAwIEJpdHN0cmluZ1N0YXR1c0xpc3RF',
    'bnRyeRJyZXZvY2F0aW9uDTEwMDAwSWh0dHBzOi8vcmVnaXN0cmFyLmV4YW1wbGUvc3RhdHVzLzAwMDAwMDAwMDAwMDAwMDAwMDAw',
    'MDAwMDAwMDAwMDAwUGh0dHBzOi8vcmVnaXN0cmFyLmV4YW1wbGUvc3RhdHVzLzAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw',
    'MDAwIzEwMDAwMAQSc3VzcGVuc2lvbg4xMDAwMDAEQmRpZDpldGhyOjB4N2E2OToweDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw',
    'MDAwMDAwMDAwMDAwMDBAZGlkOmtleTp6Nk1rMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE1dXJu',
    'OnV1aWQ6MDAwMDAwMDAtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMDAwEjE3OTAwMDAwMDAAAwEZeyJhbGciOgEsInR5cCI6ASwi',
    'a2lkIjoBfQGnAXsiQGNvbnRleHQiOlsBXSwidHlwZSI6WwFdLCJob2xkZXIiOgEsInZlcmlmaWFibGVDcmVkZW50aWFsIjpbeyJA',
    'Y29udGV4dCI6ASwidHlwZSI6ASwiaWQiOgF9LHsiQGNvbnRleHQiOgEsInR5cGUiOgEsImlkIjoBfV0sImlzcyI6ASwiYXVkIjoB',
    'LCJub25jZSI6ASwiaWF0IjoCLCJleHAiOgJ9QAEZeyJhbGciOgEsInR5cCI6ASwia2lkIjoBfQHCBHsiQGNvbnRleHQiOlsBLAFd',
    'LCJpZCI6ASwidHlwZSI6WwEsAV0sImlzc3VlciI6ASwidmFsaWRGcm9tIjoBLCJjcmVkZW50aWFsU3ViamVjdCI6eyJpZCI6ASwi',
    'Z2l2ZW5OYW1lIjoBLCJmYW1pbHlOYW1lIjoBLCJiaXJ0aERhdGUiOgEsInNleCI6ASwicGxhY2VPZkJpcnRoIjp7ImxvY2FsaXR5',
    'IjoBLCJyZWdpb24iOgEsImNvdW50cnkiOgEsImZhY2lsaXR5IjoBfSwicmVnaXN0cmF0aW9uTnVtYmVyIjoBLCJyZWdpc3RyYXRp',
    'b25EYXRlIjoBLCJyZWdpc3RlcmluZ09mZmljZSI6eyJuYW1lIjoBLCJjb2RlIjoBfSwicGFyZW50cyI6W3sicm9sZSI6ASwicmVm',
    'ZXJlbmNlIjoBfSx7InJvbGUiOgEsInJlZmVyZW5jZSI6AX1dfSwiY3JlZGVudGlhbFN0YXR1cyI6W3siaWQiOgEsInR5cGUiOgEs',
    'InN0YXR1c1B1cnBvc2UiOgEsInN0YXR1c0xpc3RJbmRleCI6ASwic3RhdHVzTGlzdENyZWRlbnRpYWwiOgF9LHsiaWQiOgEsInR5',
    'cGUiOgEsInN0YXR1c1B1cnBvc2UiOgEsInN0YXR1c0xpc3RJbmRleCI6ASwic3RhdHVzTGlzdENyZWRlbnRpYWwiOgF9XSwiaXNz',
    'IjoBLCJzdWIiOgEsImp0aSI6ASwiaWF0IjoCLCJuYmYiOgJ9QAEZeyJhbGciOgEsInR5cCI6ASwia2lkIjoBfQGRA3siQGNvbnRl',
    'eHQiOlsBLAFdLCJpZCI6ASwidHlwZSI6WwEsAV0sImlzc3VlciI6ASwidmFsaWRGcm9tIjoBLCJjcmVkZW50aWFsU3ViamVjdCI6',
    'eyJpZCI6ASwiZ3VhcmRpYW5zIjpbeyJpZCI6ASwicm9sZSI6AX0seyJpZCI6ASwicm9sZSI6AX0seyJpZCI6ASwicm9sZSI6AX0s',
    'eyJpZCI6ASwicm9sZSI6AX1dfSwiY3JlZGVudGlhbFN0YXR1cyI6W3siaWQiOgEsInR5cGUiOgEsInN0YXR1c1B1cnBvc2UiOgEs',
    'InN0YXR1c0xpc3RJbmRleCI6ASwic3RhdHVzTGlzdENyZWRlbnRpYWwiOgF9LHsiaWQiOgEsInR5cGUiOgEsInN0YXR1c1B1cnBv',
    'c2UiOgEsInN0YXR1c0xpc3RJbmRleCI6ASwic3RhdHVzTGlzdENyZWRlbnRpYWwiOgF9XSwiaXNzIjoBLCJzdWIiOgEsImp0aSI6',
    'ASwiaWF0IjoCLCJuYmYiOgJ9QA',
  ].join(''),
  'QR_INVALID',
);
