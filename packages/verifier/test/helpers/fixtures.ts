// Real artefacts for the verifier tests: Ed25519 keys (noble), compact JWS signed over the exact bytes,
// real gzip status lists, and DID documents shaped exactly like ethr-did-resolver's output.
import { StatusList, base58Encode, base64UrlEncode, didKeyFromEd25519PublicKey, signJws, utf8Encode } from '@cradle/core';
import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha256';
import { MemoryVerifierStore } from '../../src/memory-store.js';
import type { AnchorRecord, CachedStatusList, CheckpointConfig, TrustState } from '../../src/store.js';
import { statusListIdOf } from '../../src/verification-context.js';

/** Frozen clock of the tests: 2026-11-23T12:00:00Z. */
export const NOW = Date.parse('2026-11-23T12:00:00Z');
export const NOW_S = NOW / 1000;
export const DAY = 86_400;

function seeded(seed: number): Uint8Array {
  return sha256(utf8Encode(`cradle-test-key-${seed}`));
}
function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface Signer {
  did: string;
  kid: string;
  secretKey: Uint8Array;
  publicKey: Uint8Array;
  sign(data: Uint8Array): Uint8Array;
}

export interface Registrar extends Signer {
  address: string;
  document: Record<string, unknown>;
}

/** A did:ethr registrar on chain 31337 with an Ed25519 assertion key, as ethr-did-resolver renders it. */
export function makeRegistrar(seed: number): Registrar {
  const secretKey = seeded(seed);
  const publicKey = ed25519.getPublicKey(secretKey);
  const address = `0x${hex(sha256(publicKey)).slice(0, 40)}`;
  const did = `did:ethr:0x7a69:${address}`;
  const kid = `${did}#delegate-1`;
  const document = {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/secp256k1recovery-2020/v2'],
    id: did,
    verificationMethod: [
      { id: `${did}#controller`, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: did, blockchainAccountId: `eip155:31337:${address}` },
      { id: kid, type: 'Ed25519VerificationKey2018', controller: did, publicKeyBase58: base58Encode(publicKey) },
    ],
    authentication: [`${did}#controller`],
    assertionMethod: [`${did}#controller`, kid],
  };
  return { did, kid, address, secretKey, publicKey, document, sign: (d) => ed25519.sign(d, secretKey) };
}

/** A did:key (child, guardian, or a Veramo-style issuer). */
export function makeDidKey(seed: number): Signer {
  const secretKey = seeded(1000 + seed);
  const publicKey = ed25519.getPublicKey(secretKey);
  const did = didKeyFromEd25519PublicKey(publicKey);
  return { did, kid: `${did}#${did.slice('did:key:'.length)}`, secretKey, publicKey, sign: (d) => ed25519.sign(d, secretKey) };
}

/** Sign any header/payload, bypassing every check (for attack fixtures). */
export function signRaw(header: Record<string, unknown>, payload: Record<string, unknown>, sign: (d: Uint8Array) => Uint8Array): string {
  const input = `${base64UrlEncode(utf8Encode(JSON.stringify(header)))}.${base64UrlEncode(utf8Encode(JSON.stringify(payload)))}`;
  return `${input}.${base64UrlEncode(sign(utf8Encode(input)))}`;
}

/** Valid birth-registration claims (examples/data/birth-registration.json). */
export function birthClaims(): Record<string, unknown> {
  return {
    givenName: 'Amina Wanjiru',
    familyName: 'Example-Otieno',
    birthDate: '2025-03-14',
    sex: 'female',
    placeOfBirth: { locality: 'Kisumu', region: 'Kisumu County', country: 'KE', facility: 'Lakeside Maternity Clinic (fictional)' },
    registrationNumber: 'KSM-2025-004217',
    registrationDate: '2025-03-21',
    registeringOffice: { name: 'Kisumu Civil Registration Office (fictional)', code: 'KSM-01' },
    parents: [
      { role: 'mother', reference: 'urn:cradle:registry:person:KSM-P-118842' },
      { role: 'father', reference: 'urn:cradle:registry:person:KSM-P-118843' },
    ],
  };
}

export const BASE = 'https://registrar.example';
export const listUrl = (name: string): string => `${BASE}/status/${name}`;

export interface StatusRef {
  revocation?: { url: string; index: number };
  suspension?: { url: string; index: number };
}

function statusEntries(ref: StatusRef | undefined): unknown[] | undefined {
  if (ref === undefined) return undefined;
  const out: unknown[] = [];
  for (const purpose of ['revocation', 'suspension'] as const) {
    const r = ref[purpose];
    if (r === undefined) continue;
    out.push({
      id: `${r.url}#${r.index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: purpose,
      statusListIndex: String(r.index),
      statusListCredential: r.url,
    });
  }
  return out;
}

export interface IssueOptions {
  issuer: Signer;
  subject: string;
  type?: 'BirthRegistrationCredential' | 'GuardianshipCredential';
  claims?: Record<string, unknown>;
  status?: StatusRef;
  validFrom?: number;
  validUntil?: number;
  header?: Record<string, unknown>;
  /** Change the payload after it is built (before signing). */
  mutate?: (payload: Record<string, unknown>) => void;
}

/** Issue a VCDM 2.0 vc+jwt exactly as docs/formats.md describes. */
export function issue(opts: IssueOptions): string {
  const type = opts.type ?? 'BirthRegistrationCredential';
  const validFrom = opts.validFrom ?? NOW_S - 30 * DAY;
  const h = hex(sha256(utf8Encode(`${opts.subject}-${type}-${validFrom}-${opts.issuer.did}`)));
  const id = `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  const payload: Record<string, unknown> = {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/cradle/v1'],
    id,
    type: ['VerifiableCredential', type],
    issuer: opts.issuer.did,
    validFrom: new Date(validFrom * 1000).toISOString().replace('.000Z', 'Z'),
    ...(opts.validUntil === undefined ? {} : { validUntil: new Date(opts.validUntil * 1000).toISOString().replace('.000Z', 'Z') }),
    credentialSubject: { id: opts.subject, ...(opts.claims ?? (type === 'BirthRegistrationCredential' ? birthClaims() : {})) },
    ...(opts.status === undefined ? {} : { credentialStatus: statusEntries(opts.status) }),
    iss: opts.issuer.did,
    sub: opts.subject,
    jti: id,
    iat: validFrom,
    nbf: validFrom,
    ...(opts.validUntil === undefined ? {} : { exp: opts.validUntil }),
  };
  opts.mutate?.(payload);
  return signRaw({ alg: 'EdDSA', typ: 'vc+jwt', kid: opts.issuer.kid, ...opts.header }, payload, opts.issuer.sign);
}

/** A guardianship credential for `child` listing `guardians`. */
export function issueGuardianship(opts: Omit<IssueOptions, 'type' | 'claims'> & { guardians: string[] }): string {
  return issue({ ...opts, type: 'GuardianshipCredential', claims: { guardians: opts.guardians.map((id, i) => ({ id, role: i === 0 ? 'mother' : 'father' })) } });
}

export interface SignedList {
  url: string;
  jwt: string;
  digest: string;
  anchor: AnchorRecord;
  purpose: 'revocation' | 'suspension';
  bits: Uint8Array;
}

/** A signed BitstringStatusListCredential (vc+jwt) with its anchor record. */
export async function signList(opts: {
  registrar: Registrar | Signer & { address?: string };
  url: string;
  purpose: 'revocation' | 'suspension';
  version: number;
  set?: number[];
  encodedList?: string;
  blockNumber?: number;
  identity?: string;
}): Promise<SignedList> {
  const list = StatusList.create();
  for (const i of opts.set ?? []) list.set(i, 1);
  const payload = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: opts.url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: opts.registrar.did,
    validFrom: '2026-01-01T00:00:00Z',
    credentialSubject: { id: `${opts.url}#list`, type: 'BitstringStatusList', statusPurpose: opts.purpose, encodedList: opts.encodedList ?? list.encodeSync() },
    iss: opts.registrar.did,
    iat: NOW_S - DAY,
    cradleListVersion: opts.version,
  };
  const jwt = await signJws({ alg: 'EdDSA', typ: 'vc+jwt', kid: opts.registrar.kid }, payload, opts.registrar.sign);
  const digest = `0x${hex(sha256(utf8Encode(jwt)))}`;
  const anchor: AnchorRecord = {
    identity: (opts.identity ?? (opts.registrar as Registrar).address ?? '0x0').toLowerCase(),
    listId: statusListIdOf(opts.url),
    version: opts.version,
    digest,
    uri: opts.url,
    blockNumber: opts.blockNumber ?? 100 + opts.version,
    blockTime: NOW_S - 2 * DAY,
  };
  return { url: opts.url, jwt, digest, anchor, purpose: opts.purpose, bits: list.bytes };
}

/** The cache entry sync would have written for a signed list. */
export function cached(list: SignedList, issuer: string, checkedAt = NOW_S - 3600): CachedStatusList {
  return { url: list.url, issuer, purpose: list.purpose, jwt: list.jwt, bits: list.bits, statusSize: 1, anchor: list.anchor, checkedAt };
}

export interface World {
  registrar: Registrar;
  child: Signer;
  guardian: Signer;
  revocation: SignedList;
  suspension: SignedList;
  store: MemoryVerifierStore;
  /** The status entries of `credential` (both lists): pass as `status` to issue more credentials in this world. */
  status: StatusRef;
  /** Indices used by `credential`. */
  revIndex: number;
  susIndex: number;
  /** A valid birth credential of `child` from `registrar`, with both status entries. */
  credential: string;
  guardianship: string;
}

/** A checkpoint that synced one trusted registrar an hour ago, with its two lists. */
export async function world(opts: { revoked?: number[]; suspended?: number[]; config?: Partial<CheckpointConfig>; trust?: TrustState } = {}): Promise<World> {
  const registrar = makeRegistrar(1);
  const child = makeDidKey(1);
  const guardian = makeDidKey(2);
  const revocation = await signList({ registrar, url: listUrl('r4nd0mRev'), purpose: 'revocation', version: 3, set: opts.revoked });
  const suspension = await signList({ registrar, url: listUrl('r4nd0mSus'), purpose: 'suspension', version: 2, set: opts.suspended });
  const revIndex = 94_567;
  const susIndex = 1_234;
  const status: StatusRef = { revocation: { url: revocation.url, index: revIndex }, suspension: { url: suspension.url, index: susIndex } };
  const store = new MemoryVerifierStore({
    config: { maxStatusAge: DAY, ...opts.config },
    trust: opts.trust ?? { operator: [{ did: registrar.did, addedAt: NOW_S - 10 * DAY }], removed: [] },
    didDocuments: [{ did: registrar.did, document: registrar.document, fetchedAt: NOW_S - 3600, blockNumber: 120 }],
    statusLists: [cached(revocation, registrar.did), cached(suspension, registrar.did)],
    anchors: [revocation.anchor, suspension.anchor],
    sync: { lastBlock: 120, syncedAt: NOW_S - 3600 },
  });
  return {
    registrar,
    child,
    guardian,
    revocation,
    suspension,
    store,
    status,
    revIndex,
    susIndex,
    credential: issue({ issuer: registrar, subject: child.did, status }),
    guardianship: issueGuardianship({ issuer: registrar, subject: child.did, guardians: [guardian.did], status }),
  };
}

/** A checkpoint presentation (vp+jwt) signed by `holder`. */
export function present(opts: {
  holder: Signer;
  credentials: string[];
  nonce?: string;
  aud?: string;
  iat?: number;
  exp?: number;
  mutate?: (p: Record<string, unknown>) => void;
  header?: Record<string, unknown>;
}): string {
  const iat = opts.iat ?? NOW_S - 10;
  const payload: Record<string, unknown> = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiablePresentation'],
    holder: opts.holder.did,
    verifiableCredential: opts.credentials.map((jwt) => ({
      '@context': 'https://www.w3.org/ns/credentials/v2',
      type: 'EnvelopedVerifiableCredential',
      id: `data:application/vc+jwt,${jwt}`,
    })),
    iss: opts.holder.did,
    aud: opts.aud ?? 'border-post-7.example',
    nonce: opts.nonce ?? 'n-0123456789',
    iat,
    exp: opts.exp ?? iat + 300,
  };
  opts.mutate?.(payload);
  return signRaw({ alg: 'EdDSA', typ: 'vp+jwt', kid: opts.holder.kid, ...opts.header }, payload, opts.holder.sign);
}
