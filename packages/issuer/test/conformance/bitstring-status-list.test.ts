// The data-model checks of the W3C Bitstring Status List test suite (w3c/vc-bitstring-status-list-test-suite,
// tests/10-data_model.js at commit 5cdc562, by Digital Bazaar for the W3C VC WG) that apply to what a Cradle
// registrar issues, ported to vitest: each test is one normative statement of the spec, checked on real
// credentials and real signed status lists from a registrar on a dev chain. The GZIP decoding uses
// node:zlib (not Cradle's codec). docs/conformance.md lists which checks apply and why the others do not.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevChain } from '@cradle/ledger/devchain';
import type { Registrar } from '../../src/index.js';
import { CHILD, chain, decodeJwt, initRegistrar, sampleClaims, tempHome } from '../helpers.js';

const VC_V2 = 'https://www.w3.org/ns/credentials/v2';
let devChain: DevChain;
let registrar: Registrar;
let cleanup: () => void;
let credential: Record<string, unknown>;
let entries: Record<string, unknown>[];
const listCredentials = new Map<string, Record<string, unknown>>(); // statusListCredential URL -> decoded list credential

beforeAll(async () => {
  devChain = await chain();
  const t = tempHome();
  cleanup = t.cleanup;
  registrar = await initRegistrar(devChain, t.home, { suspension: true });
  const issued = await registrar.issueBirthRegistration({ subject: CHILD, claims: sampleClaims() });
  credential = decodeJwt(issued.jwt).payload;
  entries = credential.credentialStatus as Record<string, unknown>[];
  await registrar.publish();
  await registrar.processOutbox(); // the list URL serves a version once its anchor is confirmed
  for (const slot of issued.status) {
    const signed = await registrar.statusListJwt(slot.listName);
    if (signed !== undefined) listCredentials.set(slot.url, decodeJwt(signed.jwt).payload);
  }
}, 120_000);

afterAll(async () => {
  await registrar?.close();
  await devChain?.stop();
  cleanup?.();
});

function isUrl(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    return new URL(v).protocol.length > 0;
  } catch {
    return false;
  }
}

/** testCredential / testSlCredential of the suite's assertions.js: a conforming VCDM 2.0 credential. */
function expectVcdm2(vc: Record<string, unknown>): void {
  expect(Array.isArray(vc['@context']) && (vc['@context'] as unknown[]).includes(VC_V2)).toBe(true);
  expect(Array.isArray(vc.type) && (vc.type as unknown[]).includes('VerifiableCredential')).toBe(true);
  expect(typeof vc.credentialSubject).toBe('object');
  expect(typeof vc.issuer === 'string' || typeof (vc.issuer as { id?: unknown } | undefined)?.id === 'string').toBe(true);
}

describe('Bitstring Status List data model: BitstringStatusListEntry (in a Cradle credential)', () => {
  it('the credential carries revocation and suspension entries (the checks below run on each)', () => {
    expect(entries.map((e) => e.statusPurpose)).toEqual(['revocation', 'suspension']);
  });
  it('Any expression of the data model MUST be expressed in a conforming verifiable credential (VCDM 2.0)', () => {
    expectVcdm2(credential);
  });
  it('If present, the id is a URL identifying the status information; it MUST NOT be the URL for the status list', () => {
    for (const e of entries) {
      expect(isUrl(e.id)).toBe(true);
      expect(e.id).not.toBe(e.statusListCredential);
    }
  });
  it('The type property MUST be BitstringStatusListEntry', () => {
    for (const e of entries) expect(e.type).toBe('BitstringStatusListEntry');
  });
  it('The purpose of the status entry MUST be a string', () => {
    for (const e of entries) expect(typeof e.statusPurpose).toBe('string');
  });
  it('The statusListIndex MUST be an arbitrary size integer >= 0, expressed as a string in base 10', () => {
    for (const e of entries) {
      expect(typeof e.statusListIndex).toBe('string');
      expect(e.statusListIndex).toMatch(/^(0|[1-9][0-9]*)$/);
    }
  });
  it('The statusListCredential MUST be a URL to a verifiable credential (dereferenced: a conforming list credential)', () => {
    for (const e of entries) {
      expect(isUrl(e.statusListCredential)).toBe(true);
      const list = listCredentials.get(e.statusListCredential as string);
      expect(list).toBeDefined();
      expectVcdm2(list!);
    }
  });
  it('When the URL is dereferenced, the credential MUST have a type that includes BitstringStatusListCredential', () => {
    for (const e of entries) expect(listCredentials.get(e.statusListCredential as string)!.type).toContain('BitstringStatusListCredential');
  });
  it('statusSize, statusMessage and statusReference are absent (statusSize 1: the suite skips those checks)', () => {
    for (const e of entries) {
      expect('statusSize' in e).toBe(false);
      expect('statusMessage' in e).toBe(false);
      expect('statusReference' in e).toBe(false);
    }
  });
});

describe('Bitstring Status List data model: BitstringStatusListCredential (as the registrar publishes it)', () => {
  const lists = (): Record<string, unknown>[] => [...listCredentials.values()];
  it('both lists (revocation, suspension) were published', () => {
    expect(lists()).toHaveLength(2);
  });
  it('When a status list verifiable credential is published, it MUST be a conforming document (VCDM 2.0)', () => {
    for (const l of lists()) expectVcdm2(l);
  });
  it('The verifiable credential that contains the status list MAY express an id that matches statusListCredential', () => {
    for (const [url, l] of listCredentials) expect(l.id).toBe(url);
  });
  it('It MUST express a type property that includes BitstringStatusListCredential', () => {
    for (const l of lists()) expect(l.type).toContain('BitstringStatusListCredential');
  });
  it('The type of the credential subject, which is the status list, MUST be BitstringStatusList', () => {
    for (const l of lists()) expect((l.credentialSubject as Record<string, unknown>).type).toBe('BitstringStatusList');
  });
  it('The statusPurpose MUST be one or more strings (and matches the entry that points to the list)', () => {
    for (const e of entries) expect((listCredentials.get(e.statusListCredential as string)!.credentialSubject as Record<string, unknown>).statusPurpose).toBe(e.statusPurpose);
  });
  it('The encodedList MUST be a Multibase base64url (no padding) representation of the GZIP-compressed bitstring', () => {
    for (const l of lists()) {
      const encoded = (l.credentialSubject as Record<string, unknown>).encodedList as string;
      expect(encoded).toMatch(/^u[A-Za-z0-9_-]+$/);
      const gz = Buffer.from(encoded.slice(1), 'base64url');
      expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]); // RFC 1952 magic
      expect(() => gunzipSync(gz)).not.toThrow();
    }
  });
  it('The uncompressed bitstring MUST be at least 16KB in size', () => {
    for (const l of lists()) {
      const bits = gunzipSync(Buffer.from(((l.credentialSubject as Record<string, unknown>).encodedList as string).slice(1), 'base64url'));
      expect(bits.length).toBeGreaterThanOrEqual(16 * 1024);
    }
  });
});
