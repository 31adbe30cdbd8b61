// The W3C VC-JOSE-COSE test suite's JOSE tests (tests/test-mapping.js, numbers kept), ported to vitest and
// run against Cradle's JOSE layer (core's strict decodeJws: typ, alg allow-list, RFC 8725) and its
// signature backends, with the suite's own fixtures and keys (vendored in ./vc-jose-cose, see README).
// docs/conformance.md says which tests apply and why the others do not.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJws, isCradleError } from '@cradle/core';
import type { VerificationProblem } from '@cradle/core';
import { describe, expect, it } from 'vitest';
import { readCredential } from '../../src/credential-shape.js';
import { fromJwk } from '../../src/did-document-keys.js';
import { nodeSignatureVerifier } from '../../src/node/node-signature-verifier.js';
import type { SignatureVerifier } from '../../src/signature-verifier.js';
import { nobleSignatureVerifier } from '../../src/signature-verifier.js';
import type { SignatureAlgorithm, VerificationKey } from '../../src/verification-key.js';

const DIR = join(import.meta.dirname, 'vc-jose-cose');
const input = (name: string): string => readFileSync(join(DIR, name), 'utf8').trim();

function keyOf(vmFile: string): VerificationKey | undefined {
  const vm = JSON.parse(input(vmFile)) as { id: string; controller: string; publicKeyJwk: unknown };
  const k = fromJwk(vm.publicKeyJwk);
  return k === undefined ? undefined : { id: vm.id, controller: vm.controller, ...k, assertionMethod: true, authentication: true };
}

type Outcome = { result: 'success' | 'failure'; why?: string };

/** The suite's `verify` for a JOSE-secured credential or presentation, with Cradle's JOSE layer. */
async function verifyJose(token: string, vmFile: string, typ: 'vc+jwt' | 'vp+jwt', verifier: SignatureVerifier): Promise<Outcome> {
  let decoded;
  try {
    decoded = decodeJws(token, { expectedTyp: typ });
  } catch (e) {
    return { result: 'failure', why: isCradleError(e) ? e.code : 'MALFORMED' };
  }
  const key = keyOf(vmFile);
  if (key === undefined) return { result: 'failure', why: 'KEY_UNSUPPORTED' };
  const ok = await verifier.verify(decoded.header.alg as SignatureAlgorithm, key, decoded.signingInput, decoded.signature);
  if (!ok) return { result: 'failure', why: 'SIGNATURE_INVALID' };
  if (typ === 'vp+jwt') {
    // §3.2: credentials in a presentation are EnvelopedVerifiableCredentials, and must themselves be secured.
    const list = decoded.payload.verifiableCredential;
    for (const vc of Array.isArray(list) ? list : [list]) {
      const id = (vc as { id?: unknown } | undefined)?.id;
      const inner = typeof id === 'string' && id.startsWith('data:application/vc+jwt,') ? id.slice('data:application/vc+jwt,'.length) : undefined;
      if ((vc as { type?: unknown } | undefined)?.type !== 'EnvelopedVerifiableCredential' || inner === undefined) return { result: 'failure', why: 'CREDENTIAL_NOT_SECURED' };
      if ((await verifyJose(inner, vmFile, 'vc+jwt', verifier)).result === 'failure') return { result: 'failure', why: 'CREDENTIAL_INVALID' };
    }
  }
  return { result: 'success' };
}

/** What Cradle's credential reader (the claims-level rules) says about the payload of a credential fixture. */
function readerProblems(token: string): VerificationProblem[] {
  const problems: VerificationProblem[] = [];
  readCredential(decodeJws(token, { expectedTyp: 'vc+jwt' }).payload, 'vc+jwt', 'credential', problems);
  return problems;
}

for (const [name, verifier] of [
  ['noble', nobleSignatureVerifier],
  ['node:crypto', nodeSignatureVerifier],
] as const) {
  describe(`W3C vc-jose-cose suite, JOSE verification tests (${name})`, () => {
    it('6. JWT Basic Credential Verification (ES256): success', async () => {
      expect(await verifyJose(input('credential-jose-minimal.txt'), 'vm-p256.json', 'vc+jwt', verifier)).toEqual({ result: 'success' });
    });
    it("7. JWT Presentation Verification (ES384): the presentation's ES384 signature verifies (its enclosed SD-JWT and COSE credentials do not apply)", async () => {
      const decoded = decodeJws(input('presentation-jose-multiple.txt'), { expectedTyp: 'vp+jwt' });
      expect(decoded.header.alg).toBe('ES384');
      expect(decoded.signature).toHaveLength(96);
      const key = keyOf('vm-p384.json')!;
      expect(key.type).toBe('P-384');
      expect(await verifier.verify('ES384', key, decoded.signingInput, decoded.signature)).toBe(true);
      const altered = Uint8Array.from(decoded.signature);
      altered[40] = altered[40]! ^ 1;
      expect(await verifier.verify('ES384', key, decoded.signingInput, altered)).toBe(false);
      expect(await verifier.verify('ES256', key, decoded.signingInput, decoded.signature)).toBe(false); // alg and curve must agree
    });
    it('8. JWT Issuer Match Verification (EdDSA): success', async () => {
      expect(await verifyJose(input('credential-issuer-match-signed.txt'), 'vm-ed25519.json', 'vc+jwt', verifier)).toEqual({ result: 'success' });
    });
    it('9. JWT Verification With Unknown Extensions (ES512): failure', async () => {
      expect(await verifyJose(input('credential-jose-unknown-extensions.txt'), 'vm-ed25519.json', 'vc+jwt', verifier)).toEqual({ result: 'failure', why: 'ALG_NOT_ALLOWED' });
    });
    it('10. JWT Unsecured Credential Verification: failure', async () => {
      expect((await verifyJose(input('credential-minimal.json'), 'vm-ed25519.json', 'vc+jwt', verifier)).result).toBe('failure');
    });
    it('11. JWT Unsecured Presentation Verification: failure', async () => {
      expect((await verifyJose(input('presentation-single.json'), 'vm-ed25519.json', 'vp+jwt', verifier)).result).toBe('failure');
    });
    it('12. JWT Credential with an Invalid Signature: failure', async () => {
      expect(await verifyJose(input('credential-jose-bad-signature.txt'), 'vm-ed25519.json', 'vc+jwt', verifier)).toEqual({ result: 'failure', why: 'SIGNATURE_INVALID' });
    });
    it('13. JWT Credential with an Invalid Media Type: failure', async () => {
      expect(await verifyJose(input('credential-jose-bad-media-type.txt'), 'vm-ed25519.json', 'vc+jwt', verifier)).toEqual({ result: 'failure', why: 'TYP_UNEXPECTED' });
    });
    it('14. JWT Presentation with an Invalid Media Type: failure', async () => {
      expect(await verifyJose(input('presentation-jose-bad-media-type.txt'), 'vm-ed25519.json', 'vp+jwt', verifier)).toEqual({ result: 'failure', why: 'TYP_UNEXPECTED' });
    });
    it('16. JWT Presentation with Invalid Credential: failure', async () => {
      expect(await verifyJose(input('presentation-jose-bad-credential.txt'), 'vm-ed25519.json', 'vp+jwt', verifier)).toEqual({ result: 'failure', why: 'CREDENTIAL_NOT_SECURED' });
    });
  });
}

describe('W3C vc-jose-cose suite: claims-level rules, with Cradle\'s credential reader', () => {
  it('15. JWT Credential with vc and/or vp Claims: failure (the signature is fine; the reader refuses the claims)', async () => {
    expect(await verifyJose(input('credential-jose-vc-vp-claims.txt'), 'vm-ed25519.json', 'vc+jwt', nobleSignatureVerifier)).toEqual({ result: 'success' });
    const problems = readerProblems(input('credential-jose-vc-vp-claims.txt'));
    expect(problems.map((p) => p.code)).toEqual(['MALFORMED']);
    expect(problems[0]!.message).toMatch(/mixes two credential formats/);
  });

  it('6/8 deviation (documented): the issuer is a URL, not a DID (and its "iat" is a date string, not a NumericDate); a missing "sub" is fine (optional in VC-JOSE-COSE)', () => {
    for (const f of ['credential-jose-minimal.txt', 'credential-issuer-match-signed.txt']) {
      const problems = readerProblems(input(f));
      // The reader stops at the first rule that makes the payload unreadable as a Cradle credential.
      expect(problems.map((p) => [p.code, p.message])).toEqual([['MALFORMED', 'This credential names an issuer that is not a DID: it is rejected.']]);
    }
  });

});
