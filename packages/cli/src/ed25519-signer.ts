import { createPrivateKey, createPublicKey, sign as nodeSign } from 'node:crypto';
import type { JsonWebKeyInput, KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CradleError, base64UrlDecode } from '@cradle/core';
import { didKeyFromEd25519PublicKey } from '@cradle/verifier';

/** An Ed25519 signer with the DID and verification method it signs as. */
export interface Ed25519FileSigner {
  readonly did: string;
  readonly kid: string;
  sign(data: Uint8Array): Uint8Array;
}

/**
 * An Ed25519 signer from a private JWK file (signed bundles, alert requests): the key's did:key, or
 * `did` + `kid` when the key is a verification method of another DID (e.g. a did:ethr).
 *
 * @example
 * ```ts
 * const signer = await loadEd25519Signer('governance.jwk');
 * ```
 */
export async function loadEd25519Signer(path: string, did?: string, kid?: string): Promise<Ed25519FileSigner> {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: JSON.parse(await readFile(path, 'utf8')) as JsonWebKeyInput['key'], format: 'jwk' });
  } catch (cause) {
    throw new CradleError('INVALID_ARGUMENT', `${path} is not a private key in JWK form (kty OKP, crv Ed25519, with "d").`, { cause });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new CradleError('INVALID_ARGUMENT', `${path} is not an Ed25519 key.`);
  const x = createPublicKey(key).export({ format: 'jwk' }).x;
  const didKey = didKeyFromEd25519PublicKey(base64UrlDecode(x ?? ''));
  const signerDid = did ?? didKey;
  const signerKid = kid ?? (signerDid === didKey ? `${didKey}#${didKey.slice('did:key:'.length)}` : undefined);
  if (signerKid === undefined) throw new CradleError('INVALID_ARGUMENT', '--sign-kid is required with --sign-did (the verification method of the key in that DID).');
  return { did: signerDid, kid: signerKid, sign: (d) => new Uint8Array(nodeSign(null, d, key)) };
}
