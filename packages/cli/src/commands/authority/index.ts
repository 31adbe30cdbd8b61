import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CradleError } from '@cradle/core';
import { signAlertRequest } from '@cradle/verifier';
import { alertKindOption } from '../../alert-kind-option.js';
import { withCommonOptions } from '../../context.js';
import type { CommonOptions } from '../../context.js';
import { loadEd25519Signer } from '../../ed25519-signer.js';
import { action } from '../../output.js';
import { parseDuration } from '../checkpoint/home.js';

/**
 * `cradle authority alert-request`: a child-protection authority that the governance trust list
 * accredits for alerts asks a registrar to raise or clear the alert on one of its birth credentials.
 * The registrar applies it with `cradle registrar alert --request FILE` (docs/privacy.md).
 */
export function registerAuthorityCommands(program: Command): void {
  const authority = program.command('authority').description('child-protection authority accredited by the governance trust list: signed alert requests to registrars');
  withCommonOptions(authority.command('alert-request'), undefined)
    .description("sign a request to raise or clear the child-protection alert on a registrar's birth credential")
    .requiredOption('--key <jwk-file>', "the authority's Ed25519 private key (JWK): the key of the DID the trust list accredits")
    .option('--did <did>', 'DID of the authority (default: the did:key of --key)')
    .option('--kid <kid>', 'verification method id of the key in that DID (required with --did)')
    .requiredOption('--registrar <did>', 'DID of the registrar that issued the credential')
    .requiredOption('--credential <id>', 'the birth credential id (urn:uuid:…)')
    .option('--kind <kind>', 'missing, protection-order or verify-with-authority')
    .option('--clear', 'clear the alert')
    .requiredOption('--reason <text>', 'why (the registrar records it; never published)')
    .option('--valid-for <duration>', 'how long the registrar may apply it (e.g. 1h, 1d; at most 7d)', '1d')
    .option('--out <file>', 'also write the request to this file')
    .action(
      action(async (common: CommonOptions) => {
        const opts = common as CommonOptions & { key: string; did?: string; kid?: string; registrar: string; credential: string; kind?: string; clear?: boolean; reason: string; validFor: string; out?: string };
        const kind = alertKindOption(opts);
        const signer = await loadEd25519Signer(opts.key, opts.did, opts.kid);
        let jwt: string;
        try {
          jwt = await signAlertRequest({
            authority: signer.did,
            kid: signer.kid,
            registrar: opts.registrar,
            credentialId: opts.credential,
            kind,
            reason: opts.reason,
            validForSeconds: parseDuration(opts.validFor),
            sign: signer.sign,
          });
        } catch (e) {
          if (e instanceof TypeError || e instanceof RangeError) throw new CradleError('INVALID_ARGUMENT', `The alert request cannot be made: ${e.message}.`);
          throw e;
        }
        if (opts.out !== undefined) await writeFile(resolve(opts.out), `${jwt}\n`);
        return {
          json: { jwt, authority: signer.did, registrar: opts.registrar, credential: opts.credential, kind, ...(opts.out === undefined ? {} : { file: resolve(opts.out) }) },
          text: [
            `Alert request signed by ${signer.did} for ${opts.registrar}: ${kind === null ? 'clear the alert' : `raise "${kind}"`} on ${opts.credential}.`,
            opts.out === undefined ? jwt : `  written to ${resolve(opts.out)}`,
            'The registrar applies it with `cradle registrar alert --request FILE`, then publishes.',
          ].join('\n'),
        };
      }),
    );
}
