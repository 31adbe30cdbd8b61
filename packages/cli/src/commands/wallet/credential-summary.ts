import type { StoredCredential } from '@cradle/holder';

/** The JSON summary of a stored credential that `list` and `show` print. */
export function summary(c: StoredCredential): Record<string, unknown> {
  return {
    id: c.id,
    type: c.type,
    format: c.format,
    subject: c.subject,
    issuer: c.issuer,
    ...(c.guardians.length > 0 ? { guardians: c.guardians } : {}),
    ...(c.travelConsent !== undefined ? { travelConsent: c.travelConsent } : {}),
    ...(c.validFrom !== undefined ? { validFrom: c.validFrom } : {}),
    ...(c.validUntil !== undefined ? { validUntil: c.validUntil } : {}),
    importedAt: c.importedAt,
  };
}
