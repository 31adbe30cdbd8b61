import { displayText } from '@cradle/core';
import type { AccompanyingAdult, CertificateVerificationResult } from '@cradle/verifier';

/** Untrusted text made safe to show: core's one display sanitizer, one line, bounded. */
function safe(text: string, max = 200): string {
  return displayText(text, { maxLength: max }).trim();
}

const DOCUMENT_WORDS: Record<string, string> = { passport: 'passport', 'national-id': 'national ID card' };

/** One line per adult: who, and which document to compare. */
export function accompanyingLine(a: AccompanyingAdult): string {
  const who = `${a.role === undefined ? 'guardian' : a.role}: ${a.name === undefined ? safe(a.did, 80) : safe(a.name)}`;
  if (a.document !== undefined) {
    return `${who}. Check their ${DOCUMENT_WORDS[a.document.type] ?? 'identity document'} (${safe(a.document.country, 2)}) number ${safe(a.document.number, 40)}${a.name === undefined ? '' : `, name ${safe(a.name)}`}.`;
  }
  return `${who}. No identity document is recorded: confirm who this adult is by other means before letting the child travel with them.`;
}

/** Human text of a paper-certificate verdict: headline, child, seals, adults, every failed check. */
export function formatCertificateResult(r: CertificateVerificationResult): string {
  const headline =
    r.outcome === 'alert'
      ? 'CHILD-PROTECTION ALERT: do not let the child leave. Call the child-protection desk.'
      : r.outcome === 'valid'
      ? 'VALID: the seals of this printed birth certificate check out.'
      : r.outcome === 'invalid'
        ? 'INVALID: do not accept this printed certificate.'
        : 'CANNOT CONFIRM: this printed certificate could not be fully checked on this device. Do not treat it as valid.';
  const lines = [headline, '  Bearer check: whoever holds this paper. It shows the record is genuine and current, not that the person holding it is the child or a guardian.', ''];
  for (const a of r.alerts ?? []) lines.push(`  ALERT [${safe(a.code)}] ${safe(a.message)}`);
  const f = r.facts;
  if (f?.child !== undefined) {
    const age = f.child.ageYears === undefined ? '' : ` (${f.child.ageYears} year${f.child.ageYears === 1 ? '' : 's'} old)`;
    lines.push(`  Child:               ${safe(f.child.givenName)} ${safe(f.child.familyName)}, born ${safe(f.child.birthDate, 10)}${age}`);
  }
  if (f?.registrationNumber !== undefined) lines.push(`  Registration number: ${safe(f.registrationNumber, 100)}`);
  if (f !== undefined) lines.push(`  Registrar:           ${safe(f.registrar.did)} (${f.registrar.trusted ? 'accredited' : 'NOT accredited here'})`);
  for (const s of r.seals) lines.push(`  ${s.where[0]!.toUpperCase()}${s.where.slice(1)}:              ${s.kind.replace('-', ' ')}: ${s.outcome}`);
  if (r.statusAge !== undefined) lines.push(`  Status data:         as of ${r.statusAge.asOf.slice(0, 16).replace('T', ' ')} UTC`);
  lines.push('');
  if (r.accompanying.length > 0) {
    lines.push('  Adults who may accompany the child (from the guardianship seal):');
    for (const a of r.accompanying) lines.push(`    - ${accompanyingLine(a)}`);
  } else {
    lines.push('  No valid guardianship seal: this paper does not say which adults may travel with the child.');
  }
  if (r.errors.length > 0) {
    lines.push('', 'Failed checks:');
    for (const e of r.errors) lines.push(`  - [${e.code}] ${safe(e.message, 400)}`);
  }
  return lines.join('\n');
}
