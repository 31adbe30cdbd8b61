import { describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519';
import { bytesToHex } from '@noble/hashes/utils';
import { didKeyFromEd25519PublicKey, didKeyVerificationMethod, ed25519PublicKeyFromDidKey } from '../src/index.js';

// Produced by Veramo's did-provider-key (kms-local) in this repository: the DID and its publicKeyHex.
const VERAMO_VECTOR = {
  did: 'did:key:z6MkwBYNJhQWPof5jcMr4gLBSubXoWqBHMWqRqQsyhuKEivp',
  publicKeyHex: 'f88fd745488f73e77cfd5ccc094fd080371ff43bb21ec4a35cd6175ec2fd389d',
};

describe('did:key (Ed25519)', () => {
  it('decodes the public key of a did:key made by Veramo', () => {
    expect(bytesToHex(ed25519PublicKeyFromDidKey(VERAMO_VECTOR.did))).toBe(VERAMO_VECTOR.publicKeyHex);
  });

  it('encodes and decodes round trip, including keys with leading zero bytes', () => {
    // A real key whose encoding starts with a zero byte (zeroing bytes of a key by hand usually leaves
    // the curve, and such keys are refused: see verifier/test/ed25519-strict.test.ts).
    let leadingZero: Uint8Array;
    do leadingZero = ed25519.getPublicKey(ed25519.utils.randomPrivateKey());
    while (leadingZero[0] !== 0);
    for (let i = 0; i < 50; i++) {
      const pub = i === 0 ? leadingZero : ed25519.getPublicKey(ed25519.utils.randomPrivateKey());
      const did = didKeyFromEd25519PublicKey(pub);
      expect(did.startsWith('did:key:z6Mk')).toBe(true);
      expect(ed25519PublicKeyFromDidKey(did)).toEqual(pub);
    }
  });

  it('the kid of a did:key is <did>#<fingerprint>', () => {
    expect(didKeyVerificationMethod(VERAMO_VECTOR.did)).toBe(`${VERAMO_VECTOR.did}#z6MkwBYNJhQWPof5jcMr4gLBSubXoWqBHMWqRqQsyhuKEivp`);
  });

  it('refuses what is not an Ed25519 did:key', () => {
    for (const bad of [
      'did:ethr:0x7a69:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
      'did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme', // secp256k1
      'did:key:z6Mk0OIl',
      'did:key:z6MkwBYNJhQWPof5jcMr4gLBSubXoWqBHMWqRqQsyhu',
    ]) {
      expect(() => ed25519PublicKeyFromDidKey(bad), bad).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});
