/**
 * A stand-in for `@cradle/verifier` while it is being written: checks a bare `vc+jwt` credential's
 * EdDSA signature against keys from a JSON trust bundle, its validity window and its status bits.
 * It exists so the app and its browser tests can be built in parallel; verifier-adapter.ts switches to
 * the real package as soon as it lands, and this file is deleted.
 */
import { StatusList, base64UrlDecode, outcomeOf, utf8Decode, utf8Encode } from '@cradle/core';
import type { CradleErrorCode, VerificationProblem } from '@cradle/core';
import type { IdbKeyValue } from './idb.js';
import type { CheckpointFacts, CheckpointResult, CheckpointVerifier, TrustSummary } from './verifier-adapter.js';

interface InterimBundle {
  format: 'cradle-interim-bundle';
  asOf: string;
  registrars: { did: string; name?: string; publicKeyJwk: JsonWebKey }[];
  statusLists: { url: string; purpose: string; encodedList: string }[];
}

const KEY = 'interim-bundle';

function isInterimBundle(v: unknown): v is InterimBundle {
  if (typeof v !== 'object' || v === null) return false;
  const b = v as Partial<InterimBundle>;
  return b.format === 'cradle-interim-bundle' && typeof b.asOf === 'string' && Array.isArray(b.registrars) &&
    Array.isArray(b.statusLists);
}

function summarise(bundle: InterimBundle | undefined): TrustSummary {
  if (!bundle) return { registrars: [], statusLists: 0 };
  return {
    registrars: bundle.registrars.map((r) => (r.name ? { did: r.did, name: r.name } : { did: r.did })),
    statusLists: bundle.statusLists.length,
    statusAsOf: bundle.asOf,
  };
}

function problem(code: CradleErrorCode, message: string): VerificationProblem {
  return { code, message };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** See the file comment. */
export function createInterimVerifier(store: IdbKeyValue): CheckpointVerifier {
  return {
    async importBundle(bytes) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(utf8Decode(bytes));
      } catch {
        throw new Error('This file is not a trust bundle.');
      }
      if (!isInterimBundle(parsed)) throw new Error('This file is not a trust bundle.');
      await store.set(KEY, parsed);
      return summarise(parsed);
    },
    sync() {
      return Promise.reject(new Error('Network sync needs @cradle/verifier, which is not available yet.'));
    },
    async summary() {
      return summarise(await store.get<InterimBundle>(KEY));
    },
    async verify(input, { now, policy }) {
      const result = (problems: VerificationProblem[], facts?: CheckpointFacts, statusAge?: CheckpointResult['statusAge']): CheckpointResult => {
        const r: CheckpointResult = {
          outcome: outcomeOf(problems),
          verified: problems.length === 0,
          kind: 'credential',
          bearer: true,
          errors: problems.map((p) => ({ code: p.code, message: p.message })),
        };
        if (facts) r.facts = facts;
        if (statusAge) r.statusAge = statusAge;
        return r;
      };
      const parts = input.trim().split('.');
      if (parts.length !== 3 || input.length > 20_000) return result([problem('MALFORMED', 'Not a compact JWS.')]);
      let header: Record<string, unknown>;
      let payload: Record<string, unknown>;
      let signature: Uint8Array;
      try {
        header = JSON.parse(utf8Decode(base64UrlDecode(parts[0]!))) as Record<string, unknown>;
        payload = JSON.parse(utf8Decode(base64UrlDecode(parts[1]!))) as Record<string, unknown>;
        signature = base64UrlDecode(parts[2]!);
      } catch {
        return result([problem('MALFORMED', 'Not a compact JWS.')]);
      }
      if (header.alg !== 'EdDSA') return result([problem('ALG_NOT_ALLOWED', 'Only EdDSA is accepted.')]);
      if (header.typ !== 'vc+jwt') return result([problem('TYP_UNEXPECTED', 'Expected a vc+jwt credential.')]);
      const bundle = await store.get<InterimBundle>(KEY);
      const problems: VerificationProblem[] = [];
      const issuer = str(payload.issuer);
      const registrar = bundle?.registrars.find((r) => r.did === issuer);
      const subject = (payload.credentialSubject ?? {}) as Record<string, unknown>;
      const facts: CheckpointFacts = {
        child: { givenName: str(subject.givenName), familyName: str(subject.familyName), birthDate: str(subject.birthDate) },
        registrar: { did: issuer, trusted: registrar !== undefined },
      };
      if (typeof subject.registrationNumber === 'string') facts.registrationNumber = subject.registrationNumber;
      if (registrar?.name) facts.registrar.name = registrar.name;
      if (!registrar) {
        problems.push(problem('ISSUER_NOT_TRUSTED', `The issuer ${issuer} is not in the trust store.`));
        return result(problems, facts);
      }
      const key = await crypto.subtle.importKey('jwk', registrar.publicKeyJwk, { name: 'Ed25519' }, false, ['verify']);
      const ok = await crypto.subtle.verify(
        { name: 'Ed25519' },
        key,
        signature as Uint8Array<ArrayBuffer>,
        utf8Encode(`${parts[0]}.${parts[1]}`) as Uint8Array<ArrayBuffer>,
      );
      if (!ok) {
        problems.push(problem('SIGNATURE_INVALID', 'The signature does not match the registrar’s key.'));
        return result(problems, facts);
      }
      const t = Math.floor(now.getTime() / 1000);
      if (typeof payload.nbf === 'number' && payload.nbf > t + 300) problems.push(problem('NOT_YET_VALID', 'Not valid yet.'));
      if (typeof payload.exp === 'number' && payload.exp < t - 300) problems.push(problem('EXPIRED', 'Expired.'));
      const asOf = new Date(bundle!.asOf);
      const statusAge = { seconds: Math.max(0, Math.round((now.getTime() - asOf.getTime()) / 1000)), asOf: bundle!.asOf };
      const entries = Array.isArray(payload.credentialStatus) ? (payload.credentialStatus as Record<string, unknown>[]) : [];
      if (statusAge.seconds > policy.maxStatusAgeSeconds) {
        problems.push(problem('STATUS_STALE', `The status data is ${statusAge.seconds} s old, over the limit.`));
      } else {
        for (const entry of entries) {
          const list = bundle!.statusLists.find((l) => l.url === entry.statusListCredential);
          if (!list) {
            problems.push(problem('STATUS_UNKNOWN', 'No status list cached for this credential.'));
            continue;
          }
          const bits = await StatusList.decode(list.encodedList);
          if (bits.get(Number(entry.statusListIndex)) === 1) {
            problems.push(
              list.purpose === 'suspension'
                ? problem('SUSPENDED', 'The registrar has suspended this credential.')
                : problem('REVOKED', 'The registrar has revoked this credential.'),
            );
          }
        }
      }
      return result(problems, facts, statusAge);
    },
  };
}
