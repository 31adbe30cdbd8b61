import type { Command } from 'commander';
import { CradleError } from '@cradle/core';
import { createResolver } from '@cradle/ledger';
import type { LedgerConfig } from '@cradle/ledger';
import { checkGovernanceTrustList, isSelfCertifyingDid } from '@cradle/verifier';
import type { CachedDidDocument } from '@cradle/verifier';
import { nodeSignatureVerifier } from '@cradle/verifier/node';
import { resolveHome, withCommonOptions } from '../../context.js';
import { readInputFile } from '../../input-file.js';
import type { CommonOptions } from '../../context.js';
import { action, displayField } from '../../output.js';
import { effectiveAlertRecipients, readHomeConfig, writeHomeConfig } from './home.js';
import type { RegistrarHomeConfig } from './home.js';

const MAX_TRUST_LIST_FILE_BYTES = 1024 * 1024;

/**
 * DID documents of the DIDs whose keys a registrar must check (the governance authority, an alert
 * authority): none for did:key / did:jwk (their keys are the DID), did:ethr from this registrar's chain.
 */
export async function didDocumentsFor(ledger: LedgerConfig, dids: readonly string[]): Promise<CachedDidDocument[]> {
  const out: CachedDidDocument[] = [];
  const resolver = createResolver(ledger);
  for (const did of dids.filter((d) => !isSelfCertifyingDid(d))) {
    if (!did.startsWith('did:ethr:')) {
      throw new CradleError('CONFIG_INVALID', `${displayField(did)}: a registrar checks did:key, did:jwk or did:ethr (on its own chain) signers only.`);
    }
    const res = await resolver.resolve(did);
    if (res.didResolutionMetadata.error !== undefined || res.didDocument === null) {
      throw new CradleError('RPC_ERROR', `Could not resolve ${displayField(did)} on the ledger (${String(res.didResolutionMetadata.error ?? 'no document')}).`);
    }
    out.push({ did, document: res.didDocument, fetchedAt: Math.floor(Date.now() / 1000) });
  }
  return out;
}

/** `cradle registrar trust-list FILE --governance DID`: take a governance-signed trust list (alert keys, alert authorities). */
export function registerTrustListCommand(registrar: Command): void {
  withCommonOptions(registrar.command('trust-list'), 'registrar')
    .description("check and keep the governance authority's signed trust list: the checkpoint alert keys it distributes are encrypted to, and the authorities it accredits may raise alerts (`registrar alert --request`)")
    .argument('<file>', 'trust list (compact JWS, typ cradle-trust-list+jwt)')
    .requiredOption('--governance <did>', 'DID of the governance authority that must have signed it (did:key, or did:ethr on this chain)')
    .action(
      action(async (file: string, common: CommonOptions) => {
        const opts = common as CommonOptions & { governance: string };
        const home = resolveHome('registrar', opts);
        const config = await readHomeConfig(home);
        const jwt = await readInputFile(file, 'the trust list', { maxBytes: MAX_TRUST_LIST_FILE_BYTES, notA: 'a trust list' });
        const current = config.governance?.did === opts.governance ? config.governance.trustList : undefined;
        const list = await checkGovernanceTrustList(jwt, {
          governanceDid: opts.governance,
          didDocuments: await didDocumentsFor(config.ledger, [opts.governance]),
          signatureVerifier: nodeSignatureVerifier,
          ...(current === undefined ? {} : { current }),
        });
        const next: RegistrarHomeConfig = { ...config, governance: { did: opts.governance, trustList: list } };
        const recipients = (await effectiveAlertRecipients(next)) ?? [];
        await writeHomeConfig(home, next);
        const mine = config.did?.toLowerCase();
        const authorities = (list.alerts?.authorities ?? []).filter((a) => a.registrars.some((r) => r === '*' || r.toLowerCase() === mine)).map((a) => a.did);
        return {
          json: { governance: opts.governance, version: list.version, registrars: list.registrars.length, alertRecipients: recipients.length, alertAuthorities: authorities },
          text: [
            `Trust list version ${list.version} of ${opts.governance} checked and kept (${list.registrars.length} registrars).`,
            `  alert lists are encrypted to ${recipients.length} checkpoint key(s)${(list.alerts?.recipients.length ?? 0) > 0 ? ` (${list.alerts!.recipients.length} from this list)` : ''}${recipients.length > 0 ? '' : ': alerts stay off'}`,
            authorities.length === 0
              ? '  no authority is accredited to raise alerts on this registrar\'s credentials'
              : `  authorities accredited to raise alerts here: ${authorities.join(', ')} (they send signed requests: \`cradle registrar alert --request FILE\`)`,
          ].join('\n'),
        };
      }),
    );
}
