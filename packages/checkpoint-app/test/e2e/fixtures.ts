/**
 * Real signed artefacts for the browser tests, shaped exactly as docs/formats.md fixes them: a did:ethr
 * registrar with an Ed25519 assertion key (DID document as ethr-did-resolver renders it), signed and
 * anchored Bitstring Status Lists, birth-registration and guardianship credentials (vc+jwt), a guardian's
 * checkpoint presentation (vp+jwt), all as QR payloads (`encodeQrPayload`: `CRADLE5:`); trust bundles exported by
 * `@cradle/verifier`'s own `exportBundle`, signed by a governance authority or not. Keys are Ed25519 from
 * node:crypto.
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SignJWT } from 'jose';
import { ALERT_STATUS_MESSAGES, StatusList, base64UrlDecode, base64UrlEncode, buildBundle, buildTravelConsent, encodeQrPayload, generateAlertKeyPair, sealAlertList, signJws, utf8Encode } from '@cradle/core';
import { MemoryVerifierStore, didKeyFromEd25519PublicKey, exportBundle, importTrustList, signTrustList, statusListIdOf } from '@cradle/verifier';
import type { AnchorRecord, CachedStatusList } from '@cradle/verifier';

/** An Ed25519 signer with its DID and key id. */
export interface Signer {
  did: string;
  kid: string;
  publicKey: Uint8Array;
  sign(data: Uint8Array): Uint8Array;
}

/** What the scenarios need. */
export interface AppFixtures {
  /** A bundle signed by the governance authority (brings trust in the registrar). */
  bundlePath: string;
  /** The same content, unsigned: status data and keys only; the officer decides on trust. */
  unsignedBundlePath: string;
  /**
   * An attacker's unsigned bundle: the registrar's DID document and the guardian's did:key document with
   * the attacker's key (claiming to be years newer), and a clean revocation list signed by that key.
   */
  hostileBundlePath: string;
  /**
   * The same signed bundle plus the registrar's child-protection alert list, ENCRYPTED to the checkpoint
   * alert key below (as a checkpoint that synced alerts exports it); `qr.flagged`'s child is reported missing.
   */
  alertBundlePath: string;
  /** The checkpoint's alert key files, as `cradle checkpoint alert-key` writes them. */
  alertKey: { privatePath: string; publicPath: string; kid: string };
  /** The governance authority's did:key, which the checkpoint is configured with. */
  governanceDid: string;
  registrarDid: string;
  /** The registrar's display name and country in the governance-signed trust list. */
  registrar: { name: string; country: string };
  child: { givenName: string; familyName: string; birthDate: string };
  /** QR texts (`CRADLE5:…`) of bare credentials. */
  qr: { valid: string; revoked: string; forged: string; forgedByStranger: string; hostileNames: string; flagged: string };
  /**
   * What a registrar prints on a paper birth certificate (`renderCertificatePdf` content): the genuine
   * birth credential and its guardianship; a guardianship for the same child that the registrar revoked;
   * and the birth credential edited after signing (a tampered paper).
   */
  certificate: {
    issuer: string;
    claims: Record<string, unknown>;
    birth: { id: string; jwt: string };
    forgedBirth: { id: string; jwt: string };
    guardianship: { id: string; jwt: string };
    revokedGuardianship: { id: string; jwt: string };
    guardians: { id: string; role: string; name: string; document: { type: string; country: string; number: string } }[];
  };
  /**
   * The guardian's (the mother's) wallet: signs a presentation for a checkpoint's challenge, as a QR text;
   * with `consent`, it carries the father's travel consent for Uganda and Tanzania, in force or expired.
   */
  present(challenge: { nonce: string; domain: string }, now: Date, options?: { consent?: 'valid' | 'expired' }): Promise<string>;
}

function ed25519Signer(didOf: (publicKey: Uint8Array) => { did: string; kid: string }): Signer {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = base64UrlDecode((publicKey.export({ format: 'jwk' }) as { x: string }).x);
  return { ...didOf(raw), publicKey: raw, sign: (data) => new Uint8Array(sign(null, data, privateKey as KeyObject)) };
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
/** The `jti` (credential id) of a signed token. */
const idOf = (jwt: string) => (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { jti: string }).jti;

/** Creates the fixtures, with `dir` for files, as of `now`. */
export async function createFixtures(dir: string, now: Date): Promise<AppFixtures> {
  const nowS = Math.floor(now.getTime() / 1000);
  const address = `0x${randomBytes(20).toString('hex')}`;
  const registrar = ed25519Signer(() => {
    const did = `did:ethr:0x7a69:${address}`;
    return { did, kid: `${did}#delegate-1` };
  });
  const guardian = ed25519Signer((pk) => {
    const did = didKeyFromEd25519PublicKey(pk);
    return { did, kid: `${did}#${did.slice('did:key:'.length)}` };
  });
  // The other parent: signs travel consents for trips the child makes with the mother.
  const father = ed25519Signer((pk) => {
    const did = didKeyFromEd25519PublicKey(pk);
    return { did, kid: `${did}#${did.slice('did:key:'.length)}` };
  });
  const childDid = ed25519Signer((pk) => ({ did: didKeyFromEd25519PublicKey(pk), kid: '' })).did;
  const otherChildDid = ed25519Signer((pk) => ({ did: didKeyFromEd25519PublicKey(pk), kid: '' })).did;

  const document = {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/secp256k1recovery-2020/v2'],
    id: registrar.did,
    verificationMethod: [
      { id: `${registrar.did}#controller`, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: registrar.did,
        blockchainAccountId: `eip155:31337:${address}` },
      { id: registrar.kid, type: 'Ed25519VerificationKey2018', controller: registrar.did, publicKeyHex: hex(registrar.publicKey) },
    ],
    authentication: [`${registrar.did}#controller`],
    assertionMethod: [`${registrar.did}#controller`, registrar.kid],
  };

  // Status lists: random names, random indices, signed by the registrar and anchored (version 1).
  const listUrl = () => `https://registrar.example/status/${randomBytes(12).toString('hex')}`;
  const validIndex = 1 + Math.floor(Math.random() * 60_000);
  const revokedIndex = 70_000 + Math.floor(Math.random() * 60_000);
  const revokedGuardianshipIndex = revokedIndex + 1;
  const lists: CachedStatusList[] = [];
  const anchors: AnchorRecord[] = [];
  const urls = { revocation: listUrl(), suspension: listUrl() };
  for (const purpose of ['revocation', 'suspension'] as const) {
    const bits = StatusList.create();
    if (purpose === 'revocation') {
      bits.set(revokedIndex, 1);
      bits.set(revokedGuardianshipIndex, 1);
    }
    const url = urls[purpose];
    const jwt = await signJws(
      { alg: 'EdDSA', typ: 'vc+jwt', kid: registrar.kid },
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        id: url,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer: registrar.did,
        validFrom: new Date((nowS - 3600) * 1000).toISOString(),
        credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: purpose, encodedList: await bits.encode() },
        iss: registrar.did,
        iat: nowS - 3600,
        cradleListVersion: 1,
      },
      registrar.sign,
    );
    const anchor: AnchorRecord = {
      identity: address,
      listId: statusListIdOf(url),
      version: 1,
      digest: `0x${createHash('sha256').update(jwt).digest('hex')}`,
      uri: url,
      blockNumber: 120,
      blockTime: nowS - 3000,
    };
    anchors.push(anchor);
    lists.push({ url, issuer: registrar.did, purpose, jwt, bits: bits.bytes, statusSize: 1, anchor, checkedAt: nowS, checkedBlock: 130 });
  }

  // The repository's sample registration (fictional), as the issuer validates and signs it.
  const sample = JSON.parse(
    await readFile(new URL('../../../../examples/data/birth-registration.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown> & { givenName: string; familyName: string; birthDate: string };
  const child = { givenName: sample.givenName, familyName: sample.familyName, birthDate: sample.birthDate };
  const iat = nowS - 86_400;
  // Child-protection alerts: a 2-bit alert list, signed by the registrar, sealed to the checkpoint's key.
  const alertPair = await generateAlertKeyPair();
  const alertUrl = `https://registrar.example/alerts/${randomBytes(16).toString('hex')}`;
  const flaggedIndex = 1 + Math.floor(Math.random() * 60_000);
  const alertBits = StatusList.create({ statusSize: 2 });
  alertBits.set(flaggedIndex, 1); // 1 = missing
  const alertSigned = await signJws(
    { alg: 'EdDSA', typ: 'vc+jwt', kid: registrar.kid },
    {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: alertUrl,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: registrar.did,
      validFrom: new Date((nowS - 3600) * 1000).toISOString(),
      credentialSubject: { id: `${alertUrl}#list`, type: 'BitstringStatusList', statusPurpose: 'message', statusSize: 2, encodedList: await alertBits.encode() },
      iss: registrar.did,
      iat: nowS - 3600,
      cradleListVersion: 1,
    },
    registrar.sign,
  );
  const alertSealed = await sealAlertList(alertSigned, [alertPair.publicJwk]);
  const alertAnchor: AnchorRecord = {
    identity: address,
    listId: statusListIdOf(alertUrl),
    version: 1,
    digest: `0x${createHash('sha256').update(alertSealed).digest('hex')}`,
    uri: alertUrl,
    blockNumber: 120,
    blockTime: nowS - 3000,
  };
  const alertEntry = (index: number) => ({
    id: `${alertUrl}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'message',
    statusListIndex: String(index),
    statusListCredential: alertUrl,
    statusSize: 2,
    statusMessage: ALERT_STATUS_MESSAGES,
  });
  const credential = (type: string, subjectId: string, claims: object, index: number, alertIndex?: number) => {
    const id = `urn:uuid:${randomUUID()}`;
    return signJws(
      { alg: 'EdDSA', typ: 'vc+jwt', kid: registrar.kid },
      {
        '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/cradle/v1'],
        id,
        type: ['VerifiableCredential', type],
        issuer: registrar.did,
        validFrom: new Date(iat * 1000).toISOString().replace('.000Z', 'Z'),
        credentialSubject: { id: subjectId, ...claims },
        credentialStatus: [
          ...(['revocation', 'suspension'] as const).map((purpose) => ({
            id: `${urls[purpose]}#${index}`,
            type: 'BitstringStatusListEntry',
            statusPurpose: purpose,
            statusListIndex: String(index),
            statusListCredential: urls[purpose],
          })),
          ...(alertIndex === undefined ? [] : [alertEntry(alertIndex)]),
        ],
        iss: registrar.did,
        sub: subjectId,
        jti: id,
        iat,
        nbf: iat,
      },
      registrar.sign,
    );
  };
  const valid = await credential('BirthRegistrationCredential', childDid, sample, validIndex);
  const revoked = await credential('BirthRegistrationCredential', otherChildDid, { ...sample, givenName: 'Baraka', registrationNumber: 'KSM-2025-004218' }, revokedIndex);
  // A genuine birth credential, not revoked, whose child the registrar reported missing.
  const flagged = await credential('BirthRegistrationCredential', otherChildDid, { ...sample, givenName: 'Neema', registrationNumber: 'KSM-2025-004219' }, validIndex + 2, flaggedIndex);
  const guardians = [
    { id: guardian.did, role: 'mother', name: 'Grace Akinyi Otieno', document: { type: 'passport', country: 'KE', number: 'AK1234567' } },
    { id: father.did, role: 'father', name: 'Peter Ochieng Otieno', document: { type: 'national-id', country: 'KE', number: '23456789' } },
  ];
  const guardianship = await credential('GuardianshipCredential', childDid, { guardians }, validIndex + 1);
  const revokedGuardianship = await credential('GuardianshipCredential', childDid, { guardians }, revokedGuardianshipIndex);
  // Forged: a genuine credential whose birth date was edited after signing.
  const [h, p, s] = valid.split('.') as [string, string, string];
  const edited = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { credentialSubject: { birthDate: string } };
  edited.credentialSubject.birthDate = '2009-03-14';
  const forged = `${h}.${base64UrlEncode(utf8Encode(JSON.stringify(edited)))}.${s}`;

  // What a synced checkpoint holds; the verifier exports it as a bundle, as `cradle checkpoint bundle export` does.
  const governance = ed25519Signer((pk) => {
    const did = didKeyFromEd25519PublicKey(pk);
    return { did, kid: `${did}#${did.slice('did:key:'.length)}` };
  });
  const store = new MemoryVerifierStore();
  await store.write({
    config: {
      maxStatusAge: 86_400,
      governanceDid: governance.did,
      ledger: { chainId: 31_337, rpcUrl: 'http://127.0.0.1:8545', registry: `0x${'11'.repeat(20)}`, anchor: `0x${'22'.repeat(20)}`, confirmations: 1 },
    },
    trust: { operator: [{ did: registrar.did, addedAt: nowS }], removed: [] },
    didDocuments: [{ did: registrar.did, document, fetchedAt: nowS, blockNumber: 130, blockTime: nowS - 60 }],
    statusLists: lists,
    anchors,
    sync: { lastBlock: 130, lastBlockTime: nowS - 60, syncedAt: nowS },
  });
  // The governance authority's signed trust list names the registrar for officers.
  const registrarIdentity = { name: 'Kenya Civil Registration Service (fictional)', country: 'KE' };
  const trustList = await signTrustList({
    issuer: governance.did,
    kid: governance.kid,
    version: 1,
    registrars: [{ did: registrar.did, status: 'accredited', ...registrarIdentity }],
    sign: governance.sign,
    now: now.getTime(),
  });
  await importTrustList(store, trustList, { now: now.getTime() });
  const bundlePath = path.join(dir, 'checkpoint.bundle.json');
  await writeFile(bundlePath, await exportBundle(store, { now: now.getTime(), signer: governance }));
  const unsignedBundlePath = path.join(dir, 'checkpoint-unsigned.bundle.json');
  await writeFile(unsignedBundlePath, await exportBundle(store, { now: now.getTime() }));
  // A checkpoint that also synced the alert list (it holds the ciphertext as anchored) exports it in its bundle.
  await store.write({
    statusLists: [{ url: alertUrl, issuer: registrar.did, purpose: 'message', jwt: alertSealed, bits: alertBits.bytes, statusSize: 2, anchor: alertAnchor, checkedAt: nowS, checkedBlock: 130 }],
    anchors: [alertAnchor],
  });
  const alertBundlePath = path.join(dir, 'checkpoint-alerts.bundle.json');
  await writeFile(alertBundlePath, await exportBundle(store, { now: now.getTime(), signer: governance }));
  const alertKey = { privatePath: path.join(dir, 'checkpoint-alert.jwk'), publicPath: path.join(dir, 'checkpoint-alert.pub.jwk'), kid: alertPair.kid };
  await writeFile(alertKey.privatePath, JSON.stringify(alertPair.privateJwk, null, 2));
  await writeFile(alertKey.publicPath, JSON.stringify(alertPair.publicJwk, null, 2));

  // The attacker (keys from node:crypto, tokens from jose): a birth credential "from" the registrar,
  // and an unsigned bundle that tries to make the attacker's key the registrar's and the guardian's.
  const { privateKey: strangerKey, publicKey: strangerPub } = generateKeyPairSync('ed25519');
  const strangerRaw = base64UrlDecode((strangerPub.export({ format: 'jwk' }) as { x: string }).x);
  const hostileDoc = (did: string, kid: string) => ({
    id: did,
    verificationMethod: [{ id: kid, type: 'Ed25519VerificationKey2018', controller: did, publicKeyHex: hex(strangerRaw) }],
    authentication: [kid],
    assertionMethod: [kid],
  });
  const forgedByStranger = await new SignJWT({
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/cradle/v1'],
    id: `urn:uuid:${randomUUID()}`,
    type: ['VerifiableCredential', 'BirthRegistrationCredential'],
    issuer: registrar.did,
    validFrom: new Date(iat * 1000).toISOString().replace('.000Z', 'Z'),
    credentialSubject: { id: otherChildDid, ...sample, givenName: 'Stranger' },
    credentialStatus: [{ id: `${urls.revocation}#5`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '5', statusListCredential: urls.revocation }],
    iss: registrar.did,
    sub: otherChildDid,
    iat,
    nbf: iat,
  })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', kid: registrar.kid })
    .sign(strangerKey);
  // A credential from the attacker's own did:key (its signature verifies, so its names are shown) whose
  // names carry terminal escapes, control and bidi characters.
  const strangerDid = didKeyFromEd25519PublicKey(strangerRaw);
  const hostileNames = await new SignJWT({
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/cradle/v1'],
    id: `urn:uuid:${randomUUID()}`,
    type: ['VerifiableCredential', 'BirthRegistrationCredential'],
    issuer: strangerDid,
    validFrom: new Date(iat * 1000).toISOString().replace('.000Z', 'Z'),
    credentialSubject: { id: otherChildDid, ...sample, givenName: 'Amina\u202e\u2066ZZ\u2069\u001b[2J\u0007', familyName: 'Otieno\u200f\u061c\u200b' },
    iss: strangerDid,
    sub: otherChildDid,
    iat,
    nbf: iat,
  })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', kid: `${strangerDid}#${strangerDid.slice('did:key:'.length)}` })
    .sign(strangerKey);
  const cleanList = await new SignJWT({
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: urls.revocation,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: registrar.did,
    validFrom: new Date(nowS * 1000).toISOString(),
    credentialSubject: { id: `${urls.revocation}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: await StatusList.create().encode() },
    iss: registrar.did,
    iat: nowS,
    cradleListVersion: 9,
  })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', kid: registrar.kid })
    .sign(strangerKey);
  const cleanAnchor: AnchorRecord = { ...anchors[0]!, version: 9, digest: `0x${createHash('sha256').update(cleanList).digest('hex')}`, blockNumber: 1_000_000 };
  const hostileBundlePath = path.join(dir, 'hostile.bundle.json');
  const future = nowS + 10 * 365 * 86_400;
  await writeFile(
    hostileBundlePath,
    buildBundle({
      createdAt: future,
      chainId: 31_337,
      trustedIssuers: [registrar.did],
      didDocuments: [
        { did: registrar.did, document: hostileDoc(registrar.did, registrar.kid), fetchedAt: future, blockNumber: 1_000_000 },
        { did: guardian.did, document: hostileDoc(guardian.did, guardian.kid), fetchedAt: future },
      ],
      statusLists: [{ jwt: cleanList, anchor: cleanAnchor, checkedAt: future, checkedBlock: 1_000_000 }],
      anchors: [cleanAnchor],
    }),
  );

  return {
    bundlePath,
    unsignedBundlePath,
    hostileBundlePath,
    alertBundlePath,
    alertKey,
    governanceDid: governance.did,
    registrarDid: registrar.did,
    registrar: registrarIdentity,
    child,
    certificate: {
      issuer: registrar.did,
      claims: sample,
      birth: { id: idOf(valid), jwt: valid },
      forgedBirth: { id: idOf(valid), jwt: forged },
      guardianship: { id: idOf(guardianship), jwt: guardianship },
      revokedGuardianship: { id: idOf(revokedGuardianship), jwt: revokedGuardianship },
      guardians,
    },
    qr: { valid: encodeQrPayload(valid), revoked: encodeQrPayload(revoked), forged: encodeQrPayload(forged), forgedByStranger: encodeQrPayload(forgedByStranger), hostileNames: encodeQrPayload(hostileNames), flagged: encodeQrPayload(flagged) },
    async present(challenge, at, options = {}) {
      const t = Math.floor(at.getTime() / 1000);
      const consents: string[] = [];
      if (options.consent) {
        const day = 86_400_000;
        const [from, until] = options.consent === 'valid' ? [at.getTime() - day, at.getTime() + 90 * day] : [at.getTime() - 60 * day, at.getTime() - 2 * day];
        const { header, payload } = buildTravelConsent({
          by: father.did,
          child: childDid,
          traveller: guardian.did,
          countries: ['UG', 'TZ'],
          validFrom: new Date(from),
          validUntil: new Date(until),
        });
        consents.push(await signJws(header, payload, father.sign));
      }
      const envelope = (jwt: string) => ({
        '@context': 'https://www.w3.org/ns/credentials/v2',
        type: 'EnvelopedVerifiableCredential',
        id: `data:application/vc+jwt,${jwt}`,
      });
      const vp = await signJws(
        { alg: 'EdDSA', typ: 'vp+jwt', kid: guardian.kid },
        {
          '@context': ['https://www.w3.org/ns/credentials/v2'],
          type: ['VerifiablePresentation'],
          holder: guardian.did,
          verifiableCredential: [envelope(valid), envelope(guardianship), ...consents.map(envelope)],
          iss: guardian.did,
          aud: challenge.domain,
          nonce: challenge.nonce,
          iat: t,
          exp: t + 300,
        },
        guardian.sign,
      );
      return encodeQrPayload(vp);
    },
  };
}
