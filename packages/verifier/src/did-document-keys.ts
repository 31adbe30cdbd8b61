import { base64UrlDecode } from '@cradle/core';
import { base58Decode, isStrictEd25519PublicKey } from '@cradle/core';
import { uncompressedEcPoint } from './did-methods/ec-point.js';
import type { KeyType, VerificationKey } from './verification-key.js';

const MAX_METHODS = 64;

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function absoluteId(did: string, id: unknown): string | undefined {
  if (typeof id !== 'string' || id.length === 0 || id.length > 512) return undefined;
  return id.startsWith('#') ? did + id : id;
}

function hexToBytes(hex: string): Uint8Array | undefined {
  const h = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (h.length % 2 !== 0 || h.length > 260 || !/^[0-9a-fA-F]*$/.test(h)) return undefined;
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function b64u(s: unknown): Uint8Array | undefined {
  if (typeof s !== 'string' || s.length > 256) return undefined;
  try {
    return base64UrlDecode(s);
  } catch {
    return undefined;
  }
}

/** Key type + raw bytes from a JWK, or undefined for anything we do not verify with (also used by did:jwk). */
export function fromJwk(jwk: unknown): { type: KeyType; publicKey: Uint8Array } | undefined {
  if (!isRecord(jwk) || 'd' in jwk) return undefined; // never accept a private JWK as a public key
  if (jwk.use !== undefined && jwk.use !== 'sig') return undefined; // an encryption key never verifies a signature
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    const x = b64u(jwk.x);
    return x?.length === 32 ? { type: 'Ed25519', publicKey: x } : undefined;
  }
  if (jwk.kty === 'EC' && (jwk.crv === 'secp256k1' || jwk.crv === 'P-256' || jwk.crv === 'P-384')) {
    const size = jwk.crv === 'P-384' ? 48 : 32;
    const x = b64u(jwk.x);
    const y = b64u(jwk.y);
    if (x?.length !== size || y?.length !== size) return undefined;
    const pub = new Uint8Array(1 + 2 * size);
    pub[0] = 4;
    pub.set(x, 1);
    pub.set(y, 1 + size);
    return { type: jwk.crv, publicKey: pub };
  }
  return undefined;
}

/** Multibase (base58btc, `z`) multicodec keys: ed25519-pub 0xed01, secp256k1-pub 0xe701, p256-pub 0x8024, p384-pub 0x8124. */
export function fromMultibase(value: unknown): { type: KeyType; publicKey: Uint8Array } | undefined {
  if (typeof value !== 'string' || !value.startsWith('z')) return undefined;
  const bytes = base58Decode(value.slice(1));
  if (bytes === undefined || bytes.length < 3) return undefined;
  const [a, b] = [bytes[0], bytes[1]];
  const rest = bytes.slice(2);
  if (a === 0xed && b === 0x01 && rest.length === 32) return { type: 'Ed25519', publicKey: rest };
  if (a === 0xe7 && b === 0x01 && rest.length === 33) return { type: 'secp256k1', publicKey: rest };
  if (a === 0x80 && b === 0x24 && rest.length === 33) return { type: 'P-256', publicKey: rest };
  if (a === 0x81 && b === 0x24 && rest.length === 49) return { type: 'P-384', publicKey: rest };
  return undefined;
}

function typeFromVmType(type: unknown): KeyType | undefined {
  switch (type) {
    case 'Ed25519VerificationKey2018':
    case 'Ed25519VerificationKey2020':
    case 'Ed25519':
      return 'Ed25519';
    case 'EcdsaSecp256k1VerificationKey2019':
    case 'EcdsaSecp256k1RecoveryMethod2020':
    case 'Secp256k1':
      return 'secp256k1';
    case 'EcdsaSecp256r1VerificationKey2019':
    case 'P256Key2021':
      return 'P-256';
    case 'EcdsaSecp384r1VerificationKey2019':
    case 'P384Key2021':
      return 'P-384';
    default:
      return undefined;
  }
}

const ED_LEN = 32;
function keyLengthOk(type: KeyType, pub: Uint8Array): boolean {
  // Small-order and non-canonical Ed25519 keys are never verification keys (anyone can sign for them).
  if (type === 'Ed25519') return pub.length === ED_LEN && isStrictEd25519PublicKey(pub);
  const size = type === 'P-384' ? 48 : 32;
  return (pub.length === size + 1 && (pub[0] === 2 || pub[0] === 3)) || (pub.length === 2 * size + 1 && pub[0] === 4);
}

function parseMethod(did: string, vm: Json): Omit<VerificationKey, 'assertionMethod' | 'authentication'> | undefined {
  const id = absoluteId(did, vm.id);
  // The key must belong to this DID: its id is `<did>#…` and, if stated, its controller is the DID.
  if (id === undefined || !id.startsWith(`${did}#`)) return undefined;
  if (vm.controller !== undefined && vm.controller !== did) return undefined;
  let type = typeFromVmType(vm.type);
  let publicKey: Uint8Array | undefined;
  let ethereumAddress: string | undefined;
  if (vm.publicKeyJwk !== undefined) {
    const k = fromJwk(vm.publicKeyJwk);
    if (k === undefined || (type !== undefined && k.type !== type)) return undefined;
    ({ type, publicKey } = k);
  } else if (vm.publicKeyMultibase !== undefined) {
    const k = fromMultibase(vm.publicKeyMultibase);
    if (k === undefined) {
      // Ed25519VerificationKey2020 may carry a bare base58 multibase without a multicodec prefix.
      if (type === 'Ed25519' && typeof vm.publicKeyMultibase === 'string' && vm.publicKeyMultibase.startsWith('z')) {
        publicKey = base58Decode(vm.publicKeyMultibase.slice(1));
      }
    } else if (type === undefined || k.type === type) {
      ({ type, publicKey } = k);
    } else {
      return undefined;
    }
  } else if (typeof vm.publicKeyBase58 === 'string') {
    publicKey = base58Decode(vm.publicKeyBase58);
  } else if (typeof vm.publicKeyHex === 'string') {
    publicKey = hexToBytes(vm.publicKeyHex);
  } else if (typeof vm.blockchainAccountId === 'string' && vm.type === 'EcdsaSecp256k1RecoveryMethod2020') {
    const m = /^eip155:\d{1,20}:(0x[0-9a-fA-F]{40})$/.exec(vm.blockchainAccountId);
    if (m) ethereumAddress = m[1]!.toLowerCase();
  }
  if (type === undefined) return undefined;
  if (publicKey !== undefined) {
    if (!keyLengthOk(type, publicKey)) return undefined;
    // An EC key must be a point of its curve (checked once, here); native backends also need it uncompressed.
    if (type !== 'Ed25519') publicKey = uncompressedEcPoint(type, publicKey);
    if (publicKey === undefined) return undefined;
    return { id, controller: did, type, publicKey };
  }
  if (ethereumAddress !== undefined) return { id, controller: did, type, ethereumAddress };
  return undefined;
}

function refs(did: string, doc: Json, rel: string, embedded: Json[]): Set<string> {
  const out = new Set<string>();
  const list = doc[rel];
  if (!Array.isArray(list)) return out;
  for (const entry of list.slice(0, MAX_METHODS)) {
    if (typeof entry === 'string') {
      const id = absoluteId(did, entry);
      if (id !== undefined) out.add(id);
    } else if (isRecord(entry)) {
      const id = absoluteId(did, entry.id);
      if (id !== undefined) {
        out.add(id);
        embedded.push(entry);
      }
    }
  }
  return out;
}

/**
 * Extract the verification keys of an untrusted DID document. Only keys that belong to `did` are
 * returned (id `<did>#…`, controller `did`), and only in formats Cradle can verify with; anything
 * else is skipped, never thrown. Returns `[]` if `doc.id` is not `did`.
 *
 * @example
 * ```ts
 * const keys = keysFromDidDocument('did:ethr:0x7a69:0xabc…', resolution.didDocument);
 * keys.filter((k) => k.assertionMethod) // keys that may sign credentials
 * ```
 */
export function keysFromDidDocument(did: string, doc: unknown): VerificationKey[] {
  if (!isRecord(doc) || doc.id !== did) return [];
  const embedded: Json[] = [];
  const assertion = refs(did, doc, 'assertionMethod', embedded);
  const authentication = refs(did, doc, 'authentication', embedded);
  const methods = Array.isArray(doc.verificationMethod) ? doc.verificationMethod.slice(0, MAX_METHODS) : [];
  const seen = new Set<string>();
  const out: VerificationKey[] = [];
  for (const vm of [...methods, ...embedded]) {
    if (!isRecord(vm)) continue;
    const key = parseMethod(did, vm);
    if (key === undefined || seen.has(key.id)) continue;
    seen.add(key.id);
    out.push({ ...key, assertionMethod: assertion.has(key.id), authentication: authentication.has(key.id) });
  }
  return out;
}
