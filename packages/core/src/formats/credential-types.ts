/** JSON-LD context of the W3C Verifiable Credentials Data Model 2.0. */
export const VC_CONTEXT_V2 = 'https://www.w3.org/ns/credentials/v2';
/** JSON-LD context of the VCDM 1.1 (the JWT-VC format Veramo's `credential-jwt` issues). */
export const VC_CONTEXT_V1 = 'https://www.w3.org/2018/credentials/v1';
/**
 * JSON-LD context of W3C Bitstring Status List v1.0 for VCDM 1.1 credentials (VCDM 2.0's context already
 * defines `BitstringStatusListEntry`; a 1.1 credential carrying one needs this context, or processors such as
 * Digital Bazaar's status-list library do not recognise the entry).
 */
export const STATUS_CONTEXT_V1 = 'https://www.w3.org/ns/credentials/status/v1';
/** Cradle's own JSON-LD context (defines the birth-registration and guardianship terms). */
export const CRADLE_CONTEXT = 'https://w3id.org/cradle/v1';

/** `type` of every verifiable credential. */
export const TYPE_VERIFIABLE_CREDENTIAL = 'VerifiableCredential';
/** `type` of a verifiable presentation. */
export const TYPE_VERIFIABLE_PRESENTATION = 'VerifiablePresentation';
/** Credential type: the civil-registration facts of a child's birth. */
export const TYPE_BIRTH_REGISTRATION = 'BirthRegistrationCredential';
/** Credential type: which guardian DIDs may present for a child DID. */
export const TYPE_GUARDIANSHIP = 'GuardianshipCredential';
/** Credential type of a published status list (W3C Bitstring Status List v1.0). */
export const TYPE_STATUS_LIST_CREDENTIAL = 'BitstringStatusListCredential';
/** `credentialSubject.type` of a status list credential. */
export const TYPE_STATUS_LIST = 'BitstringStatusList';
/** `credentialStatus.type` pointing into a status list. */
export const TYPE_STATUS_LIST_ENTRY = 'BitstringStatusListEntry';
/** `type` of a credential carried inside a VCDM 2.0 presentation as a `data:` URL. */
export const TYPE_ENVELOPED_CREDENTIAL = 'EnvelopedVerifiableCredential';

/** Sex as recorded in the civil register (not a statement about identity). */
export type RecordedSex = 'female' | 'male' | 'other' | 'unknown';

/** How a parent or guardian relates to the child in the birth record. */
export type ParentRole = 'mother' | 'father' | 'parent' | 'guardian';

/** A parent or guardian in a birth record, by reference only (a DID or a registry URN, never a name). */
export interface ParentReference {
  role: ParentRole;
  /** `did:...` or a registry reference such as `urn:cradle:registry:person:KSM-P-118842`. */
  reference: string;
}

/**
 * The civil-registration facts in a `BirthRegistrationCredential`: its `credentialSubject` without
 * `id` (the child's DID). Deliberately minimal: what a checkpoint needs to match a child to a record.
 */
export interface BirthRegistrationClaims {
  givenName: string;
  familyName: string;
  /** `YYYY-MM-DD`; not in the future. */
  birthDate: string;
  /** Sex as recorded in the register. */
  sex: RecordedSex;
  placeOfBirth: {
    locality: string;
    region?: string;
    /** ISO 3166-1 alpha-2, upper case (e.g. `KE`). */
    country: string;
    facility?: string;
  };
  /** The register's own number for this record. */
  registrationNumber: string;
  /** `YYYY-MM-DD`; not before `birthDate`, not in the future. */
  registrationDate: string;
  registeringOffice: { name: string; code?: string };
  /** Parents and guardians by reference (may be empty). */
  parents: ParentReference[];
}

/** Role of a guardian allowed to present for a child. */
export type GuardianRole = 'mother' | 'father' | 'parent' | 'legal-guardian' | 'custodial-organisation';

/** Kind of identity document a guardian was recorded with. */
export type IdentityDocumentType = 'passport' | 'national-id' | 'other';

/** An adult's identity document as recorded by the registrar: what a border officer compares. */
export interface IdentityDocument {
  type: IdentityDocumentType;
  /** Issuing country, ISO 3166-1 alpha-2 upper case (e.g. `KE`). */
  country: string;
  /** The document number as printed (letters, digits, `. / _ -` or spaces inside). */
  number: string;
}

/** A guardian listed in a guardianship credential. */
export interface GuardianEntry {
  /** The guardian's DID (the key that signs presentations). */
  id: string;
  role: GuardianRole;
  /** Full name as on the identity document (optional). */
  name?: string;
  /** The identity document the registrar recorded (optional). */
  document?: IdentityDocument;
}

/** The claims of a `GuardianshipCredential`: its `credentialSubject` (the child) without `id`. */
export interface GuardianshipClaims {
  /** 1 to 8 guardians, each DID at most once. */
  guardians: GuardianEntry[];
  /** Why these guardians: e.g. `birth-registration`, `court-order`, `custodial-care`. */
  basis?: string;
}

/** Status purposes Cradle publishes lists for (`message`: child-protection alert lists, formats/alert-list.ts). */
export type StatusPurpose = 'revocation' | 'suspension' | 'message';

/** `credentialStatus` entry (W3C Bitstring Status List v1.0). */
export interface BitstringStatusListEntry {
  /** `<statusListCredential>#<statusListIndex>`. */
  id: string;
  type: typeof TYPE_STATUS_LIST_ENTRY;
  statusPurpose: StatusPurpose;
  /** Decimal digits; parse with `parseStatusListIndex`. */
  statusListIndex: string;
  /** URL of the `BitstringStatusListCredential`. */
  statusListCredential: string;
  /** Alert entries (`message`): 2 bits per entry, and the fixed `statusMessage` table. */
  statusSize?: number;
  statusMessage?: readonly { readonly status: string; readonly message: string }[];
}

/** Envelope shared by Cradle credentials (VCDM 2.0), with the JWT claims of VC-JOSE-COSE. */
export interface CradleCredential<Type extends string, Subject> {
  '@context': string[];
  id: string;
  type: ['VerifiableCredential', Type];
  issuer: string;
  validFrom: string;
  validUntil?: string;
  credentialSubject: Subject & { id: string };
  credentialStatus?: BitstringStatusListEntry | BitstringStatusListEntry[];
  iss?: string;
  sub?: string;
  jti?: string;
  iat?: number;
  nbf?: number;
  exp?: number;
}

/** A `BirthRegistrationCredential` (the JWS payload). */
export type BirthRegistrationCredential = CradleCredential<typeof TYPE_BIRTH_REGISTRATION, BirthRegistrationClaims>;

/** A `GuardianshipCredential` (the JWS payload). Subject `id` is the child's DID. */
export type GuardianshipCredential = CradleCredential<typeof TYPE_GUARDIANSHIP, GuardianshipClaims>;

/** A `BitstringStatusListCredential` (the JWS payload). */
export interface BitstringStatusListCredential {
  '@context': string[];
  id: string;
  type: ['VerifiableCredential', typeof TYPE_STATUS_LIST_CREDENTIAL];
  issuer: string;
  validFrom: string;
  validUntil?: string;
  credentialSubject: {
    id: string;
    type: typeof TYPE_STATUS_LIST;
    statusPurpose: StatusPurpose;
    /** Multibase base64url GZIP bitstring; decode with `StatusList.decode`. */
    encodedList: string;
    ttl?: number;
  };
  iss?: string;
  iat?: number;
  nbf?: number;
  exp?: number;
  /** The version anchored on the ledger for this publication. */
  cradleListVersion?: number;
}
