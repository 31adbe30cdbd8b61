// Alerts through the governance trust list (issue #14 item 3): the list distributes checkpoint alert
// public keys and accredits child-protection authorities; an authority's signed request counts for a
// registrar only when that list accredits it for that registrar. One test per rule; real signatures.
import { TYP_ALERT_REQUEST, generateAlertKeyPair, isCradleError, readAlertKey, signJws } from '@cradle/core';
import type { AlertAuthority, AlertKind, TrustListAlerts } from '@cradle/core';
import { describe, expect, it } from 'vitest';
import { acceptAlertRequest, checkGovernanceTrustList, signAlertRequest } from '../src/alert-request.js';
import type { CachedTrustList, TrustListEntry } from '../src/store.js';
import { signTrustList } from '../src/trust-list.js';
import { NOW, NOW_S, makeDidKey, makeRegistrar, signRaw } from './helpers/fixtures.js';
import type { Signer } from './helpers/fixtures.js';

const governance = makeDidKey(700);
const unit = makeDidKey(701); // a child-protection unit
const rogue = makeDidKey(702);
const registrar = makeRegistrar(1);
const otherRegistrar = makeRegistrar(2);
const CREDENTIAL = 'urn:uuid:7f1c0e6a-2b7d-4a8e-9f4e-1d2c3b4a5f60';

async function list(opts: { authorities?: AlertAuthority[]; registrars?: TrustListEntry[]; version?: number; recipients?: TrustListAlerts['recipients']; signer?: Signer } = {}): Promise<CachedTrustList> {
  const jwt = await listJwt(opts);
  return checkGovernanceTrustList(jwt, { governanceDid: governance.did, now: () => NOW });
}

function listJwt(opts: { authorities?: AlertAuthority[]; registrars?: TrustListEntry[]; version?: number; recipients?: TrustListAlerts['recipients']; signer?: Signer } = {}): Promise<string> {
  const signer = opts.signer ?? governance;
  return signTrustList({
    issuer: governance.did,
    kid: signer.kid,
    version: opts.version ?? 3,
    registrars: opts.registrars ?? [{ did: registrar.did, status: 'accredited' }],
    alerts: { recipients: opts.recipients ?? [], authorities: opts.authorities ?? [{ did: unit.did, registrars: [registrar.did] }] },
    sign: signer.sign,
    now: NOW,
  });
}

const request = (by: Signer, opts: { registrar?: string; kind?: AlertKind | null; now?: number; validForSeconds?: number } = {}) =>
  signAlertRequest({
    authority: by.did,
    kid: by.kid,
    registrar: opts.registrar ?? registrar.did,
    credentialId: CREDENTIAL,
    kind: opts.kind === undefined ? 'missing' : opts.kind,
    reason: 'Reported missing, case CPU/2026/118',
    sign: by.sign,
    now: opts.now ?? NOW,
    ...(opts.validForSeconds === undefined ? {} : { validForSeconds: opts.validForSeconds }),
  });

const judge = async (jwt: string, trustList: CachedTrustList | undefined, registrarDid = registrar.did, at = NOW) => acceptAlertRequest(jwt, { registrarDid, trustList, now: () => at });
const codeOf = (r: Awaited<ReturnType<typeof judge>>) => ('rejection' in r ? r.rejection.code : 'accepted');

describe('the governance trust list carries alert keys and alert authorities', () => {
  it('a signed list distributes checkpoint alert public keys and accredits authorities per registrar', async () => {
    const key = await generateAlertKeyPair();
    const l = await list({ recipients: [key.publicJwk as never] });
    expect(l.alerts?.recipients).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', x: key.publicJwk.x, y: key.publicJwk.y })]);
    expect((await readAlertKey(l.alerts!.recipients[0], 'public')).kid).toBe(key.kid);
    expect(l.alerts?.authorities).toEqual([{ did: unit.did, registrars: [registrar.did] }]);
  });

  it('a private key among the distributed keys refuses the whole list (it would hand every checkpoint key out)', async () => {
    const key = await generateAlertKeyPair();
    await expect(list({ recipients: [key.privateJwk as never] })).rejects.toSatisfy((e) => isCradleError(e, 'INVALID_ARGUMENT') && /PUBLIC keys only/.test((e as Error).message));
  });

  it('a malformed alerts member refuses the whole list, never throws out of the reader', async () => {
    for (const alerts of [[], 'x', { authorities: [{ did: 'not a did', registrars: ['*'] }] }, { authorities: [{ did: unit.did, registrars: [] }] }, { recipients: [{ kty: 'OKP' }] }]) {
      const jwt = await signJws({ alg: 'EdDSA', typ: 'cradle-trust-list+jwt', kid: governance.kid }, { iss: governance.did, type: 'CradleTrustList', version: 1, iat: NOW_S, registrars: [], alerts }, governance.sign);
      await expect(checkGovernanceTrustList(jwt, { governanceDid: governance.did, now: () => NOW })).rejects.toSatisfy(
        (e) => isCradleError(e, 'INVALID_ARGUMENT') && (e as { details?: { reason?: string } }).details?.reason === 'MALFORMED',
      );
    }
  });

  it('a registrar refuses a list not signed by its governance authority, and an older one (rollback)', async () => {
    await expect(list({ signer: rogue })).rejects.toSatisfy((e) => isCradleError(e, 'INVALID_ARGUMENT'));
    const current = await list({ version: 3 });
    await expect(checkGovernanceTrustList(await listJwt({ version: 2 }), { governanceDid: governance.did, now: () => NOW, current })).rejects.toSatisfy(
      (e) => isCradleError(e, 'INVALID_ARGUMENT') && /older than the one already in use/.test((e as Error).message),
    );
  });
});

describe('an alert request counts only from an authority the trust list accredits for this registrar', () => {
  it('accredited for this registrar: accepted, with what to do', async () => {
    const r = await judge(await request(unit), await list());
    expect(r).toEqual({ request: expect.objectContaining({ authority: unit.did, credentialId: CREDENTIAL, kind: 'missing', reason: 'Reported missing, case CPU/2026/118' }) });
    const cleared = await judge(await request(unit, { kind: null }), await list());
    expect('request' in cleared && cleared.request.kind).toBeNull();
  });

  it('an authority the list does not name is refused (AUTHORITY_NOT_ACCREDITED), however well it signs', async () => {
    expect(codeOf(await judge(await request(rogue), await list()))).toBe('AUTHORITY_NOT_ACCREDITED');
  });

  it("an authority accredited for another registrar is refused for this one", async () => {
    const l = await list({ authorities: [{ did: unit.did, registrars: [otherRegistrar.did] }], registrars: [{ did: registrar.did, status: 'accredited' }, { did: otherRegistrar.did, status: 'accredited' }] });
    expect(codeOf(await judge(await request(unit), l))).toBe('AUTHORITY_NOT_ACCREDITED');
    expect(codeOf(await judge(await request(unit, { registrar: otherRegistrar.did }), l, otherRegistrar.did))).toBe('accepted');
  });

  it('"*" covers only registrars the same list accredits; a de-accredited registrar takes no alert requests', async () => {
    const wildcard = [{ did: unit.did, registrars: ['*'] }];
    expect(codeOf(await judge(await request(unit), await list({ authorities: wildcard })))).toBe('accepted');
    expect(codeOf(await judge(await request(unit), await list({ authorities: wildcard, registrars: [] })))).toBe('AUTHORITY_NOT_ACCREDITED');
    const revoked = await list({ registrars: [{ did: registrar.did, status: 'revoked' }] });
    expect(codeOf(await judge(await request(unit), revoked))).toBe('AUTHORITY_NOT_ACCREDITED');
  });

  it('without a trust list nobody but the registrar raises alerts (NO_TRUST_LIST)', async () => {
    expect(codeOf(await judge(await request(unit), undefined))).toBe('NO_TRUST_LIST');
  });

  it('a request addressed to another registrar is refused (WRONG_REGISTRAR)', async () => {
    expect(codeOf(await judge(await request(unit, { registrar: otherRegistrar.did }), await list()))).toBe('WRONG_REGISTRAR');
  });

  it('an expired request, or one dated in the future, is refused', async () => {
    const l = await list();
    expect(codeOf(await judge(await request(unit, { validForSeconds: 3600 }), l, registrar.did, NOW + 2 * 3600_000))).toBe('EXPIRED');
    expect(codeOf(await judge(await request(unit, { now: NOW + 3600_000 }), l))).toBe('NOT_YET_VALID');
  });

  it("a request in the accredited authority's name signed with another key is refused (SIGNATURE_INVALID)", async () => {
    const genuine = await request(unit);
    const payload = JSON.parse(Buffer.from(genuine.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    const forged = signRaw({ alg: 'EdDSA', typ: TYP_ALERT_REQUEST, kid: unit.kid }, payload, rogue.sign);
    expect(codeOf(await judge(forged, await list()))).toBe('SIGNATURE_INVALID');
  });

  it('hostile input never throws: junk, wrong typ, a payload that is not a request', async () => {
    const l = await list();
    const wrongTyp = signRaw({ alg: 'EdDSA', typ: 'vc+jwt', kid: unit.kid }, JSON.parse(Buffer.from((await request(unit)).split('.')[1]!, 'base64url').toString()) as Record<string, unknown>, unit.sign);
    const notRequest = signRaw({ alg: 'EdDSA', typ: TYP_ALERT_REQUEST, kid: unit.kid }, { iss: unit.did, aud: registrar.did, type: 'CradleAlertRequest', sub: 'not-a-uuid' }, unit.sign);
    for (const input of ['', 'a.b.c', 'x'.repeat(100_000), wrongTyp, notRequest, 42 as unknown as string]) {
      expect(codeOf(await judge(input, l))).toBe('MALFORMED');
    }
  });
});

describe('alert requests and governance trust lists read the one clock (milliseconds, like Date.now)', () => {
  it('the validity window and its skew are measured on a millisecond clock, to the second', async () => {
    const l = await list();
    const jwt = await request(unit, { validForSeconds: 3600 }); // issued at NOW, expires NOW + 1 h; skew 300 s
    expect(codeOf(await judge(jwt, l, registrar.did, NOW + 3600_000 + 300_000))).toBe('accepted');
    expect(codeOf(await judge(jwt, l, registrar.did, NOW + 3600_000 + 301_000))).toBe('EXPIRED');
    expect(codeOf(await judge(jwt, l, registrar.did, NOW - 300_000))).toBe('accepted');
    expect(codeOf(await judge(jwt, l, registrar.did, NOW - 301_000))).toBe('NOT_YET_VALID');
  });

  it('without a clock the time is Date.now, for signing and for judging', async () => {
    const jwt = await signAlertRequest({ authority: unit.did, kid: unit.kid, registrar: registrar.did, credentialId: CREDENTIAL, kind: 'missing', reason: 'r', sign: unit.sign });
    const l = await checkGovernanceTrustList(await signTrustList({ issuer: governance.did, kid: governance.kid, version: 1, registrars: [{ did: registrar.did, status: 'accredited' }], alerts: { recipients: [], authorities: [{ did: unit.did, registrars: [registrar.did] }] }, sign: governance.sign }), { governanceDid: governance.did });
    expect(codeOf(await acceptAlertRequest(jwt, { registrarDid: registrar.did, trustList: l }))).toBe('accepted');
  });

  it('signAlertRequest dates the request by the clock it is given', async () => {
    const at = NOW + 12_345_678;
    const jwt = await request(unit, { now: at });
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number };
    expect(payload.iat).toBe(Math.floor(at / 1000));
    const byClock = await signAlertRequest({ authority: unit.did, kid: unit.kid, registrar: registrar.did, credentialId: CREDENTIAL, kind: null, reason: 'r', sign: unit.sign, now: () => at });
    expect((JSON.parse(Buffer.from(byClock.split('.')[1]!, 'base64url').toString()) as { iat: number }).iat).toBe(Math.floor(at / 1000));
  });

  it('a number of seconds (the form before the one clock) is refused as INVALID_ARGUMENT, never read as milliseconds', async () => {
    const l = await list();
    const old = { now: NOW_S as unknown as () => number };
    await expect(acceptAlertRequest(await request(unit), { registrarDid: registrar.did, trustList: l, ...old })).rejects.toSatisfy(
      (e) => isCradleError(e, 'INVALID_ARGUMENT') && /Date\.now/.test((e as Error).message),
    );
    await expect(checkGovernanceTrustList(await listJwt(), { governanceDid: governance.did, ...old })).rejects.toSatisfy((e) => isCradleError(e, 'INVALID_ARGUMENT') && /Date\.now/.test((e as Error).message));
  });
});
