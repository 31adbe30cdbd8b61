/**
 * The other process: an NGO back office that talks to the registrar's HTTP service with nothing but
 * `fetch` and the bearer token. It depends on no Cradle package, to show the wire format is plain HTTP +
 * JSON + JWT: the status list it reads back is decoded here by hand (base64url, gzip, one bit).
 *
 * Input (environment): CRADLE_URL, CRADLE_API_TOKEN, CHILD_DID, CLAIMS_FILE. Output: what it did, then
 * one JSON line `{"result":…}` for the parent. Exits 1 on any unexpected answer.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined || v === '') throw new Error(`${name} is not set`);
  return v;
};
const base = env('CRADLE_URL');
const token = env('CRADLE_API_TOKEN');

async function call(method: 'GET' | 'POST', path: string, body?: unknown, auth = true): Promise<{ status: number; json: Record<string, unknown>; text: string; headers: Headers }> {
  const res = await fetch(new URL(path, base), {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(auth ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // status lists are served as a compact JWS, not JSON
  }
  console.log(`${method} ${path} -> ${res.status}`);
  return { status: res.status, json, text, headers: res.headers };
}

function expectStatus(what: string, got: number, want: number): void {
  if (got !== want) throw new Error(`${what}: expected HTTP ${want}, got ${got}`);
}

/** Read one bit of a signed BitstringStatusListCredential (W3C: index 0 is the first byte's high bit). */
function statusBit(jwt: string, index: number): { bit: number; version: unknown } {
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    credentialSubject: { encodedList: string };
    cradleListVersion: unknown;
  };
  const bits = gunzipSync(Buffer.from(payload.credentialSubject.encodedList.slice(1), 'base64url'));
  return { bit: ((bits[index >> 3] ?? 0) >> (7 - (index % 8))) & 1, version: payload.cradleListVersion };
}

const health = await call('GET', '/health', undefined, false);
console.log(`  registrar ${String(health.json.did)}`);

const claims = JSON.parse(await readFile(env('CLAIMS_FILE'), 'utf8')) as Record<string, unknown>;
const request = { credential: { credentialSubject: { id: env('CHILD_DID'), ...claims } } };

expectStatus('issue without the token', (await call('POST', '/credentials/issue', request, false)).status, 401);

const bad = await call('POST', '/credentials/issue', { credential: { credentialSubject: { ...request.credential.credentialSubject, sex: 'F' } } });
expectStatus('issue with bad claims', bad.status, 422);
console.log(`  ${String(bad.json.code)}: ${String(bad.json.message)}`);

// A field the registrar sets itself is refused (never silently replaced), naming the field.
const replaced = await call('POST', '/credentials/issue', { credential: { ...request.credential, validUntil: '2030-01-01T00:00:00Z' } });
expectStatus('issue with a validUntil', replaced.status, 400);
console.log(`  ${String(replaced.json.code)}: ${String(replaced.json.message)}`);

const issued = await call('POST', '/credentials/issue', request);
expectStatus('issue', issued.status, 201);
const id = String(issued.json.id);
const envelope = issued.json.verifiableCredential as { type?: unknown; id?: unknown };
if (envelope.type !== 'EnvelopedVerifiableCredential' || envelope.id !== `data:application/vc+jwt,${String(issued.json.jwt)}`) {
  throw new Error('verifiableCredential is not the VC-API enveloped credential');
}
const entries = issued.json.credentialStatus as { statusPurpose: string; statusListIndex: string; statusListCredential: string }[];
const revocation = entries.find((e) => e.statusPurpose === 'revocation');
if (revocation === undefined) throw new Error('the credential has no revocation entry');
console.log(`  issued ${id} (${String(issued.json.jwt).length}-char vc+jwt); revocation list ${revocation.statusListCredential} index ${revocation.statusListIndex}`);

const listPath = new URL(revocation.statusListCredential).pathname;
expectStatus('status list before the first publish', (await call('GET', listPath, undefined, false)).status, 404);
expectStatus('publish', (await call('POST', '/status-lists/publish', {})).status, 200);
const v1 = await call('GET', listPath, undefined, false);
expectStatus('status list', v1.status, 200);
const before = statusBit(v1.text, Number(revocation.statusListIndex));
console.log(`  list v${String(before.version)}, ETag ${v1.headers.get('etag')?.slice(0, 20)}…: bit ${revocation.statusListIndex} = ${before.bit}`);

const revoked = await call('POST', '/credentials/status', { credentialId: id, action: 'revoke' });
expectStatus('revoke', revoked.status, 200);
console.log(`  revokedAt ${String(revoked.json.revokedAt)}`);
const published = await call('POST', '/status-lists/publish', {});
expectStatus('publish', published.status, 200);
console.log(`  anchors confirmed: ${(published.json.confirmed as unknown[]).length}, pending: ${(published.json.pending as unknown[]).length}`);

const v2 = await call('GET', listPath, undefined, false);
expectStatus('status list', v2.status, 200);
const after = statusBit(v2.text, Number(revocation.statusListIndex));
console.log(`  list v${String(after.version)} (x-cradle-list-version ${v2.headers.get('x-cradle-list-version')}): bit ${revocation.statusListIndex} = ${after.bit}`);

console.log(JSON.stringify({ result: { id, bitBefore: before.bit, bitAfter: after.bit, versionBefore: before.version, versionAfter: after.version, badClaimsField: (bad.json.details as { field?: string } | undefined)?.field } }));
