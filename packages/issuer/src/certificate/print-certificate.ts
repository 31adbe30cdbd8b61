import { CradleError, TYP_JWT, TYP_VC_JWT, decodeJws } from '@cradle/core';
import type { BirthRegistrationClaims } from '@cradle/core';
import { getCredential } from '../credential-records.js';
import type { CredentialRecord } from '../credential-records.js';
import { renderCertificatePdf } from './render-certificate.js';
import type { SqlExecutor } from '../storage/registrar-store.js';
import type { CertificateContent, CertificateGuardian, CertificateOptions } from './render-certificate.js';

/** What a stored credential says, read from its own signed payload (VCDM 2.0 `vc+jwt` or 1.1 JWT-VC). */
function signedContent(record: CredentialRecord): { issuer: string; subject: Record<string, unknown> } {
  if (record.format === 'sd-jwt-vc') {
    // A printed seal must show every claim to every checkpoint: that is what SD-JWT VC exists to avoid.
    throw new CradleError('INVALID_ARGUMENT', `Credential ${record.id} is an sd-jwt-vc credential; paper certificates carry vc+jwt seals. Issue the child's vc+jwt credentials to print a certificate.`, { details: { id: record.id } });
  }
  const { payload } = decodeJws(record.jwt, { expectedTyp: [TYP_VC_JWT, TYP_JWT] });
  const vc = (record.format === 'jwt-vc' ? payload.vc : payload) as Record<string, unknown> | undefined;
  const subject = vc?.credentialSubject as Record<string, unknown> | undefined;
  const issuerField = vc?.issuer ?? payload.iss;
  const issuer = typeof issuerField === 'string' ? issuerField : String((issuerField as { id?: unknown } | undefined)?.id ?? payload.iss ?? '');
  if (subject === undefined || typeof subject !== 'object') throw new CradleError('MALFORMED', `Stored credential ${record.id} has no credentialSubject.`);
  return { issuer, subject };
}

/** Credentials of `type` for `subject` that are neither revoked nor suspended, newest first (at most `limit`). */
async function currentCredentialsFor(db: SqlExecutor, subject: string, type: string, limit: number): Promise<CredentialRecord[]> {
  const rows = (await db.query(
    'SELECT "id" FROM "cradle_credential" WHERE "subject" = ? AND "type" = ? AND "revoked_at" IS NULL AND "suspended_at" IS NULL ORDER BY "created_at" DESC, "id" DESC LIMIT ?',
    [subject, type, limit],
  )) as { id: string }[];
  const records = await Promise.all(rows.map((r) => getCredential(db, r.id)));
  return records.filter((r): r is CredentialRecord => r !== undefined);
}

function refusal(record: CredentialRecord, current: readonly CredentialRecord[]): CradleError {
  const state = record.revokedAt !== null ? `was revoked on ${record.revokedAt}` : `is suspended (since ${record.suspendedAt})`;
  const next =
    current.length > 0
      ? ` This child's current birth credential${current.length === 1 ? ' is' : 's are'} ${current.map((c) => c.id).join(', ')}: print ${current.length === 1 ? 'that one' : 'the right one'}.`
      : record.revokedAt !== null
        ? ' To replace a corrected record, issue the corrected one (`cradle registrar correct ID --claims FILE`) and print it.'
        : ' Lift the suspension first (`cradle registrar unsuspend ID`) if the record is sound.';
  return new CradleError('CONFLICT', `Credential ${record.id} ${state}: a checkpoint would reject its seal, so it is not printed.${next}`, {
    details: { id: record.id, revokedAt: record.revokedAt, suspendedAt: record.suspendedAt, current: current.map((c) => c.id) },
  });
}

function guardiansOf(subject: Record<string, unknown>): CertificateGuardian[] {
  const list = Array.isArray(subject.guardians) ? (subject.guardians as unknown[]) : [];
  return list.flatMap((g): CertificateGuardian[] => {
    if (g === null || typeof g !== 'object') return [];
    const o = g as Record<string, unknown>;
    if (typeof o.id !== 'string' || typeof o.role !== 'string') return [];
    const doc = o.document !== null && typeof o.document === 'object' ? (o.document as Record<string, unknown>) : undefined;
    const document =
      doc === undefined
        ? undefined
        : {
            ...(typeof doc.type === 'string' ? { type: doc.type } : {}),
            ...(typeof doc.country === 'string' ? { country: doc.country } : {}),
            ...(typeof doc.number === 'string' ? { number: doc.number } : {}),
          };
    return [{ id: o.id, role: o.role, ...(typeof o.name === 'string' ? { name: o.name } : {}), ...(document ? { document } : {}) }];
  });
}

/**
 * What a certificate for birth credential `id` shows: that credential exactly as stored (a reprint
 * never issues a new one) and the child's current guardianship credential, if any.
 * `NOT_FOUND` for an unknown id; `INVALID_ARGUMENT` for a credential that is not a birth registration;
 * `CONFLICT` for a revoked or suspended one (a checkpoint would reject its seal), naming the child's
 * current birth credentials (`details.current`).
 */
export async function certificateContent(db: SqlExecutor, id: string): Promise<CertificateContent> {
  const record = await getCredential(db, id);
  if (record === undefined) throw new CradleError('NOT_FOUND', `No credential with id ${id} was issued here: check the id (\`cradle registrar issue --json\` prints it).`, { details: { id } });
  if (record.type !== 'BirthRegistrationCredential') {
    throw new CradleError('INVALID_ARGUMENT', `Credential ${id} is a ${record.type}; a certificate is printed from the child's birth registration credential.`, { details: { id } });
  }
  if (record.revokedAt !== null || record.suspendedAt !== null) {
    throw refusal(record, await currentCredentialsFor(db, record.subject, 'BirthRegistrationCredential', 5));
  }
  const birth = signedContent(record);
  const { id: _child, ...claims } = birth.subject;
  // The child's newest guardianship credential that a checkpoint would accept.
  const [guardianship] = await currentCredentialsFor(db, record.subject, 'GuardianshipCredential', 1);
  return {
    birth: { id: record.id, jwt: record.jwt, issuer: birth.issuer, claims: claims as unknown as BirthRegistrationClaims, issuedAt: record.createdAt },
    ...(guardianship === undefined ? {} : { guardianship: { id: guardianship.id, jwt: guardianship.jwt, guardians: guardiansOf(signedContent(guardianship).subject) } }),
  };
}

/**
 * The printable PDF birth certificate of birth credential `id` (see {@link certificateContent} for
 * what it refuses).
 */
export async function printCertificate(db: SqlExecutor, id: string, opts: CertificateOptions = {}): Promise<Uint8Array> {
  return renderCertificatePdf(await certificateContent(db, id), opts);
}
