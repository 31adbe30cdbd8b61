import type { Command } from 'commander';
import { CradleError, displayText } from '@cradle/core';
import type { AlertKind, AlertRequest } from '@cradle/core';
import { acceptAlertRequest } from '@cradle/verifier';
import { nodeSignatureVerifier } from '@cradle/verifier/node';
import { alertKindOption } from '../../alert-kind-option.js';
import { resolveHome, withCommonOptions } from '../../context.js';
import { readInputFile } from '../../input-file.js';
import type { CommonOptions } from '../../context.js';
import { action, displayField } from '../../output.js';
import type { CommandOutput } from '../../output.js';
import { didDocumentsFor } from './governance.js';
import { cliActor, readHomeConfig, withRegistrar } from './home.js';

/** Largest alert request file read. */
const MAX_REQUEST_FILE_BYTES = 64 * 1024;

/** "urn:uuid:… now has alert "missing" (before: none)…", then what to do for checkpoints to learn of it. */
function alertChangeText(change: { id: string; kind: AlertKind | null; previous: AlertKind | null }, why: string): string {
  const now = change.kind === null ? 'no alert' : `alert "${change.kind}"`;
  return `${change.id} now has ${now} (before: ${change.previous ?? 'none'})${why}. Run \`cradle registrar publish\` so checkpoints learn of it.`;
}

/** Marks the alert event an authority's request made, so the same request is never applied twice. */
const requestTag = (r: AlertRequest) => `[alert request ${r.id} from ${r.authority}]`;

/**
 * `registrar alert --request FILE`: apply a child-protection authority's signed request, only when the
 * governance trust list this registrar keeps (`registrar trust-list`) accredits that authority for it.
 */
async function applyAlertRequest(file: string, id: string | undefined, opts: CommonOptions): Promise<CommandOutput> {
  const home = resolveHome('registrar', opts);
  const config = await readHomeConfig(home);
  const jwt = await readInputFile(file, 'the alert request', { maxBytes: MAX_REQUEST_FILE_BYTES, notA: 'an alert request' });
  if (config.did === undefined) throw new CradleError('CONFIG_INVALID', `The registrar in ${home} has no DID yet: finish \`cradle registrar init\` first.`);
  const r = await acceptAlertRequest(jwt, {
    registrarDid: config.did,
    trustList: config.governance?.trustList,
    // An accredited authority's did:ethr document comes from this registrar's chain; a did:key needs none.
    resolveDidDocument: async (did) => (await didDocumentsFor(config.ledger, [did]))[0],
    signatureVerifier: nodeSignatureVerifier,
  });
  if ('rejection' in r) {
    throw new CradleError(r.rejection.code === 'AUTHORITY_NOT_ACCREDITED' || r.rejection.code === 'WRONG_REGISTRAR' ? 'FORBIDDEN' : 'INVALID_ARGUMENT', displayText(r.rejection.message, { maxLength: 500 }), {
      details: { reason: r.rejection.code },
    });
  }
  const request = r.request;
  if (id !== undefined && id !== request.credentialId) {
    throw new CradleError('INVALID_ARGUMENT', `The request is for credential ${request.credentialId}, not ${displayField(id)}.`);
  }
  return withRegistrar(opts, async (reg) => {
    const tag = requestTag(request);
    if ((await reg.alertHistory(request.credentialId)).some((e) => e.reason.endsWith(tag))) {
      throw new CradleError('CONFLICT', `This alert request (${request.id}) was already applied: a request is applied once (ask the authority for a new one).`);
    }
    const change = await reg.alert(request.credentialId, { kind: request.kind, reason: `${request.reason} ${tag}`, actor: { name: `authority:${request.authority}` } });
    return {
      json: { ...change, authority: request.authority, request: request.id },
      text: alertChangeText(change, `, at the request of ${request.authority}, accredited by the governance trust list`),
    };
  });
}

/** Recorded when `--reason` is left out (the CLI contract, `registrar alert ID --kind … | --clear`, does not require it). */
const NO_REASON = '(no reason given on the command line)';

/** `cradle registrar alert ID --kind missing|protection-order|verify-with-authority | --clear --reason TEXT`. */
export function registerAlertCommand(registrar: Command): void {
  withCommonOptions(registrar.command('alert'), 'registrar', { secret: true })
    .description('raise or clear a child-protection alert on a birth credential (checkpoints with an alert key see it after the next publish)')
    .argument('[id]', 'birth credential id (with --request: optional, must be the one requested)')
    .option('--kind <kind>', 'missing, protection-order or verify-with-authority')
    .option('--clear', 'clear the alert')
    .option('--reason <text>', 'why: recorded with the change, never published (give one: it is the audit trail)')
    .option('--request <file>', "apply a child-protection authority's signed alert request (`cradle authority alert-request`); only an authority the governance trust list accredits for this registrar is obeyed")
    .action(
      action(async (id: string | undefined, common: CommonOptions) => {
        const opts = common as CommonOptions & { kind?: string; clear?: boolean; reason?: string; request?: string };
        if (opts.request !== undefined) {
          if (opts.kind !== undefined || opts.clear === true || opts.reason !== undefined) {
            throw new CradleError('INVALID_ARGUMENT', '--request carries the kind and the reason: do not give --kind, --clear or --reason with it.');
          }
          return applyAlertRequest(opts.request, id, opts);
        }
        if (id === undefined) throw new CradleError('INVALID_ARGUMENT', 'Give the birth credential id (or --request FILE).');
        const kind = alertKindOption(opts);
        return withRegistrar(opts, async (r) => {
          const change = await r.alert(id, { kind, reason: opts.reason ?? NO_REASON, actor: cliActor() });
          return { json: { ...change }, text: alertChangeText(change, '') };
        });
      }),
    );
}
