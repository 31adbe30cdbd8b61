/**
 * Example 01: an NGO's registration system embeds `@cradle/issuer`.
 *
 * It sets up a registrar on a local chain, validates the claims of one child, issues a
 * BirthRegistrationCredential (vc+jwt), prints the JWT and the QR payload the family takes home, and
 * shows what happens with bad claims: a validation error that names the field, and nothing signed.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TYP_VC_JWT, decodeJws, decodeQrPayload, encodeQrPayload, isCradleError, validateBirthRegistrationClaims } from '@cradle/core';
import { didKeyFromEd25519PublicKey } from '@cradle/holder';
import { createRegistrar } from '@cradle/issuer';
import { startDevChain } from '@cradle/ledger/devchain';

const failures: string[] = [];
function check(what: string, ok: boolean, detail = ''): void {
  console.log(`  ${ok ? '✓' : '✗'} ${what}${detail === '' ? '' : ` (${detail})`}`);
  if (!ok) failures.push(what);
}

const work = await mkdtemp(join(tmpdir(), 'cradle-example-01-'));
// In production the secret comes from CRADLE_SECRET or a secrets manager; it encrypts the keys at rest.
const secret = randomBytes(24).toString('base64url');
const chain = await startDevChain({ port: 0 });
const registrar = await createRegistrar({
  home: join(work, 'registrar'),
  secret,
  ledger: chain.config,
  // Where verifiers will fetch this registrar's status lists (nothing is fetched in this example).
  baseUrl: 'https://registry.ngo.example',
});

try {
  console.log(`1. Local chain ${chain.config.chainId} at ${chain.url}`);

  const init = await registrar.init();
  console.log(`2. Registrar initialised: ${init.did}`);
  console.log(`   Ed25519 signing key published on ERC-1056, valid until ${new Date(init.signingKeyValidUntil * 1000).toISOString()}`);

  // The NGO's form produced these claims; the child's DID comes from the family's (or a custodial) wallet.
  const claims: unknown = JSON.parse(await readFile(new URL('../../data/birth-registration.json', import.meta.url), 'utf8'));
  const { publicKey } = generateKeyPairSync('ed25519');
  const childDid = didKeyFromEd25519PublicKey(new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url')));
  console.log(`3. Child DID (from the family's wallet): ${childDid}`);

  const validation = validateBirthRegistrationClaims(claims);
  check('claims from examples/data/birth-registration.json are valid', validation.ok);

  const issued = await registrar.issueBirthRegistration({ subject: childDid, claims });
  const { header, payload } = decodeJws(issued.jwt, { expectedTyp: TYP_VC_JWT });
  console.log(`4. Issued ${issued.id}`);
  console.log(`   header: ${JSON.stringify(header)}`);
  console.log(`   type: ${JSON.stringify(payload.type)}, status entries: ${issued.status.map((s) => `${s.purpose}#${s.index}`).join(', ')}`);
  console.log(`   JWT (${issued.jwt.length} chars):\n   ${issued.jwt}`);
  check('the credential is a vc+jwt signed with EdDSA by the registrar', header.typ === 'vc+jwt' && header.alg === 'EdDSA' && payload.iss === init.did);
  check('its subject is the child DID', payload.sub === childDid);

  const qr = encodeQrPayload(issued.jwt);
  console.log(`5. QR payload (${qr.length} characters: a prefix, then digits for QR numeric mode):\n   ${qr}`);
  check('the QR payload decodes back to the exact JWT', decodeQrPayload(qr) === issued.jwt);

  console.log('6. A clerk mistypes the country and the birth date:');
  const bad = { ...(claims as Record<string, unknown>), birthDate: '2023-02-30', placeOfBirth: { locality: 'Kisumu', country: 'XX' } };
  const badValidation = validateBirthRegistrationClaims(bad);
  const fields = badValidation.ok ? [] : badValidation.errors.map((e) => e.field);
  for (const e of badValidation.ok ? [] : badValidation.errors) console.log(`   - ${e.field}: ${e.message}`);
  check('validation names both fields', fields.includes('birthDate') && fields.includes('placeOfBirth.country'), fields.join(', '));

  const before = (await registrar.list()).length;
  try {
    await registrar.issueBirthRegistration({ subject: childDid, claims: bad });
    check('the registrar refuses to sign bad claims', false, 'it signed them');
  } catch (e) {
    const code = isCradleError(e) ? e.code : String(e);
    console.log(`   issueBirthRegistration threw ${code}: ${(e as Error).message}`);
    check('the registrar refuses to sign bad claims (INVALID_CLAIMS)', code === 'INVALID_CLAIMS');
  }
  check('nothing was stored for the refused claims', (await registrar.list()).length === before);
} catch (e) {
  console.error(e);
  failures.push('unexpected error');
} finally {
  await registrar.close();
  await chain.stop();
  await rm(work, { recursive: true, force: true });
}

console.log(failures.length === 0 ? '\nOK: example 01 finished as expected.' : `\nFAILED: ${failures.join('; ')}`);
process.exit(failures.length === 0 ? 0 : 1);
