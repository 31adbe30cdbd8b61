import { describe, expect, it } from 'vitest';
import { nodeSignatureVerifier } from '../../src/node/node-signature-verifier.js';
import { nobleSignatureVerifier, webCryptoSignatureVerifier } from '../../src/signature-verifier.js';
import { verifyCredential } from '../../src/verify-credential.js';
import { NOW, makeDidKey, signRaw, world } from '../helpers/fixtures.js';

describe('signature backends agree', () => {
  it('node:crypto, WebCrypto and noble accept the genuine credential and reject a forgery', async () => {
    const w = await world();
    const [h, p] = w.credential.split('.') as [string, string];
    const attacker = makeDidKey(66);
    const forged = signRaw(JSON.parse(Buffer.from(h, 'base64url').toString()), JSON.parse(Buffer.from(p, 'base64url').toString()), attacker.sign);
    for (const signatureVerifier of [nodeSignatureVerifier, webCryptoSignatureVerifier, nobleSignatureVerifier]) {
      expect((await verifyCredential(w.credential, { store: w.store, now: NOW, signatureVerifier })).outcome).toBe('valid');
      expect((await verifyCredential(forged, { store: w.store, now: NOW, signatureVerifier })).errors.map((e) => e.code)).toEqual(['SIGNATURE_INVALID']);
    }
  });
});
