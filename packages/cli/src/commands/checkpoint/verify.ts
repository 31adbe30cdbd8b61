import type { Command } from 'commander';
import { displayText, isCradleError } from '@cradle/core';
import { presenterInstruction, verify, verifyCertificate } from '@cradle/verifier';
import type { VerificationResult } from '@cradle/verifier';
import { nodeSignatureVerifier, readQrCodesFromImageFile, readVerifierInput } from '@cradle/verifier/node/offline';
import { formatCertificateResult } from '../../certificate-verdict.js';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { action, displayField } from '../../output.js';
import type { CommandOutput } from '../../output.js';
import { openStore, parseDuration, parseTime } from './home.js';

/** Exit status of `checkpoint verify` per outcome (the CLI contract: docs/getting-started.md, packages/cli/README.md); 2 also when it could not verify at all; 3 a child-protection alert. */
export const VERIFY_EXIT = { valid: 0, invalid: 1, indeterminate: 2, alert: 3 } as const;

function headline(r: VerificationResult): string {
  const what = r.kind === 'presentation' ? 'presentation' : 'credential';
  if (r.outcome === 'alert') return 'CHILD-PROTECTION ALERT: do not let the child leave. Call the child-protection desk.';
  if (r.outcome === 'valid') return `VALID: this ${what} checks out${r.kind === 'presentation' ? ', and the presenter is a listed guardian' : ''}.`;
  if (r.outcome === 'invalid') return `INVALID: do not accept this ${what}.`;
  return `CANNOT CONFIRM: this ${what} could not be fully checked on this device. Do not treat it as valid.`;
}

const ALERT_CHECK_TEXT: Record<NonNullable<NonNullable<VerificationResult['facts']>['alertCheck']>, (raised: number) => string> = {
  checked: (raised) => (raised > 0 ? 'ALERT RAISED (see above)' : 'no alert raised'),
  'no-alert-key': () => 'alerts NOT checked: this checkpoint has no alert key',
  'no-alert-entry': () => 'no alert entry in this credential (issued before its registrar enabled alerts)',
};

function ago(seconds: number): string {
  if (seconds < 120) return `${seconds} seconds`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} minutes`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} hours`;
  return `${Math.round(seconds / 86_400)} days`;
}

/** Human text of a verification result: headline, facts, every failed check. */
export function formatResult(r: VerificationResult): string {
  // Every untrusted field is sanitized on its own (one line each), so it can neither escape nor add lines.
  const t = displayField;
  const lines = [headline(r), ''];
  for (const a of r.alerts ?? []) lines.push(`  ALERT [${t(a.code)}] ${t(a.message)}`);
  if ((r.alerts ?? []).length > 0) lines.push('');
  const f = r.facts;
  if (f?.child !== undefined) {
    const age = f.child.ageYears === undefined ? '' : ` (${f.child.ageYears} year${f.child.ageYears === 1 ? '' : 's'} old)`;
    lines.push(`  Child:               ${t(f.child.givenName)} ${t(f.child.familyName)}, born ${t(f.child.birthDate)}${age}`);
  }
  if (f?.registrationNumber !== undefined) lines.push(`  Registration number: ${t(f.registrationNumber)}`);
  if (f !== undefined) lines.push(`  Registrar:           ${t(f.registrar.did)} (${f.registrar.trusted ? 'accredited' : 'NOT accredited here'})`);
  if (f?.guardian !== undefined) {
    const role = f.guardian.role === undefined ? '' : `, recorded as ${t(f.guardian.role)}`;
    lines.push(`  Presented by:        ${t(f.guardian.did)} (${f.guardian.isListedGuardian ? 'a listed guardian of this child' : 'NOT a confirmed guardian'}${role})`);
    const instruction = presenterInstruction(f.guardian);
    if (instruction !== undefined) lines.push(`  ${t(instruction)}`);
  }
  // Where the policy is off, the consent lines appear only when a consent was shown (no noise on ordinary checks).
  if (f?.travelConsent !== undefined && f.travelConsent.from.length > 0 && (f.travelConsent.required || (f.consents?.length ?? 0) > 0)) {
    const where = f.travelConsent.destination === undefined ? '' : ` to ${f.travelConsent.destination}`;
    lines.push(`  Travel consent${t(where)}: ${f.travelConsent.required ? 'required here from every other parent' : 'not required here'}`);
    for (const need of f.travelConsent.from) {
      const who = `${t(need.role ?? 'guardian')}${need.name === undefined ? '' : ` ${t(need.name)}`}`;
      lines.push(`    - from the ${who}: ${need.given ? 'given' : 'NOT GIVEN'}`);
    }
  }
  for (const c of f?.consents ?? []) {
    const by = `${t(c.byRole ?? 'signer')}${c.byName === undefined ? '' : ` ${t(c.byName)}`}`;
    const verdict = c.counts ? 'counts' : `does not count: ${t(c.reason?.message ?? '')}`;
    lines.push(`  Consent shown:       by the ${by} (${t(c.by)}), for ${c.countries.map(t).join(', ')} until ${t(c.validUntil.slice(0, 16).replace('T', ' '))} UTC; ${verdict}`);
  }
  if (f?.guardians !== undefined) lines.push(`  Guardians listed:    ${f.guardians.map(t).join(', ')}`);
  if (f?.alertCheck !== undefined) lines.push(`  Child-protection:    ${ALERT_CHECK_TEXT[f.alertCheck](r.alerts?.length ?? 0)}`);
  if (r.statusAge !== undefined) lines.push(`  Status data:         ${ago(r.statusAge.seconds)} old (as of ${t(r.statusAge.asOf.slice(0, 16).replace('T', ' '))} UTC)`);
  if (r.bearer) lines.push('  Note: a bare credential shows the record is genuine, not that the person holding it is the child or a guardian.');
  if (r.errors.length > 0) {
    lines.push('', 'Failed checks:');
    for (const e of r.errors) lines.push(`  - [${t(e.code)}]${e.where !== undefined && e.where !== 'credential' && e.where !== 'presentation' ? ` (${t(e.where)})` : ''} ${t(e.message)}`);
  }
  return lines.join('\n');
}

type VerifyOptions = CommonOptions & { nonce?: string; domain?: string; at?: string; maxStatusAge?: string; destination?: string; allowMissingRevocationEntry?: boolean };

async function verifyCommand(input: string, common: CommonOptions): Promise<CommandOutput> {
  const opts = common as VerifyOptions;
  let result: VerificationResult;
  try {
    const store = await openStore(opts);
    const at = opts.at === undefined ? undefined : parseTime(opts.at);
    const options = {
      store,
      signatureVerifier: nodeSignatureVerifier,
      ...(opts.nonce === undefined ? {} : { nonce: opts.nonce }),
      ...(opts.domain === undefined ? {} : { domain: opts.domain }),
      ...(at === undefined ? {} : { now: () => at }),
      ...(opts.maxStatusAge === undefined ? {} : { maxStatusAge: parseDuration(opts.maxStatusAge) }),
      ...(opts.destination === undefined ? {} : { destination: opts.destination }),
      ...(opts.allowMissingRevocationEntry === true ? { requireRevocationEntry: false } : {}),
    };
    // A photo or scan of a printed certificate carries several seals: they are checked together.
    const seals = await readQrCodesFromImageFile(input);
    if (seals !== undefined && seals.length > 1) {
      const paper = await verifyCertificate(seals, options);
      return { json: { ...paper }, text: formatCertificateResult(paper), exitCode: VERIFY_EXIT[paper.outcome] };
    }
    result = await verify(seals?.[0] ?? (await readVerifierInput(input)), options);
  } catch (e) {
    // The command could not verify at all (no checkpoint here, unreadable file or image): "cannot confirm".
    const code = isCradleError(e) ? e.code : 'INTERNAL';
    const message = e instanceof Error ? e.message : String(e);
    return {
      json: { outcome: 'indeterminate', verified: false, errors: [{ code, message }], error: { code, message } },
      text: `CANNOT CONFIRM: the input could not be verified.\n  - [${code}] ${displayText(message)}`,
      exitCode: VERIFY_EXIT.indeterminate,
    };
  }
  return {
    json: { ...result, errors: result.errors.map((e) => ({ ...e })) },
    text: formatResult(result),
    exitCode: VERIFY_EXIT[result.outcome],
  };
}

/** `cradle checkpoint verify`: a credential or presentation, offline. */
export function registerVerifyCommand(checkpoint: Command): void {
  withCommonOptions(checkpoint.command('verify'), 'checkpoint')
    .description('verify a credential or presentation offline (exit 0 valid, 1 invalid, 2 indeterminate or could not verify, 3 child-protection alert)')
    .argument('<input>', 'compact JWT, QR payload, a file (text, or a PNG/JPEG photo of a QR code or of a printed certificate with its seals), or - for stdin')
    .option('--nonce <n>', 'nonce this checkpoint gave the guardian (presentations)')
    .option('--domain <d>', 'domain of this checkpoint (presentations)')
    .option('--at <time>', 'verify as of this time instead of now (audits, drills)')
    .option('--max-status-age <duration>', 'override the checkpoint limit on status-data age for this check')
    .option('--allow-missing-revocation-entry', 'for this check, accept a registrar credential that carries no revocation entry (default: the checkpoint policy, which refuses it: STATUS_MISSING)')
    .option('--destination <cc>', 'where the child is travelling (ISO 3166-1 alpha-2): a travel consent for other countries does not count')
    .action(action(verifyCommand, 2));
}
