import type {
  ICreateVerifiableCredentialArgs,
  ICreateVerifiablePresentationArgs,
  IIdentifier,
  IKey,
  IssuerAgentContext,
  IVerifyResult,
  ProofFormat,
  VerifiableCredential,
  VerifiablePresentation,
} from '@veramo/core-types';
import type { ICredentialProvider, ProofFormatQuery, TentativeVerificationQuery } from '@veramo/credential-w3c';
import { CradleError, VC_CONTEXT_V1, VC_CONTEXT_V2, encodeJwsSigningInput } from '@cradle/core';
import type { JwsAlgorithm } from '@cradle/core';

/** The Veramo proof format name of VC-JOSE-COSE compact JWS credentials (VCDM 2.0). */
export const PROOF_FORMAT_VC_JWT = 'vc+jwt';

/** Which verification method id (`kid`) to put in the header for a signing key of an identifier. */
export type KidResolver = (identifier: IIdentifier, key: IKey) => string;

/** Options for {@link CredentialProviderVcJose}. */
export interface CredentialProviderVcJoseOptions {
  /**
   * Maps a managed key to the id of its verification method in the issuer's DID document (for did:ethr:
   * `did:ethr:…#delegate-N`). Computed once when the key is published, so issuance never resolves a DID.
   */
  kid: KidResolver;
}

const ALG_BY_KEY_TYPE: Partial<Record<string, JwsAlgorithm>> = { Ed25519: 'EdDSA', Secp256k1: 'ES256K', Secp256r1: 'ES256' };

/**
 * A Veramo credential provider for **VCDM 2.0 secured with VC-JOSE-COSE** (`typ: vc+jwt`, compact JWS),
 * the format fixed in docs/formats.md. Register it next to Veramo's JWT provider:
 *
 * @example
 * ```ts
 * new CredentialPlugin([new CredentialProviderVcJose({ kid }), new CredentialProviderJWT()])
 * await agent.createVerifiableCredential({ credential, proofFormat: 'vc+jwt', keyRef })
 * ```
 *
 * The payload is the credential itself plus the registered JWT claims `iss`, `sub`, `jti`, `iat`, `nbf`
 * and `exp` (from `issuer`, `credentialSubject.id`, `id`, `validFrom`, `validUntil`). It signs through
 * `keyManagerSign`, so the private key never leaves the KMS. Verification is `@cradle/verifier`'s job:
 * this provider only issues.
 */
export class CredentialProviderVcJose implements ICredentialProvider {
  readonly #kid: KidResolver;

  constructor(opts: CredentialProviderVcJoseOptions) {
    this.#kid = opts.kid;
  }

  getProofFormatsSupportedForKey(key: IKey): ProofFormat[] {
    return ALG_BY_KEY_TYPE[key.type] === undefined ? [] : [PROOF_FORMAT_VC_JWT];
  }

  canIssueProofFormat(query: ProofFormatQuery): boolean {
    return query.proofFormat === PROOF_FORMAT_VC_JWT;
  }

  canVerifyDocumentType(_query: TentativeVerificationQuery): boolean {
    return false;
  }

  async createVerifiableCredential(args: ICreateVerifiableCredentialArgs, context: IssuerAgentContext): Promise<VerifiableCredential> {
    // Veramo's CredentialPlugin adds a VCDM 1.1 `issuanceDate` to the caller's object; VCDM 2.0 uses validFrom.
    // It also prepends the VCDM 1.1 context to the caller's @context array in place; drop it again.
    const { issuanceDate: _drop, ...credential } = args.credential as Record<string, unknown>;
    if (Array.isArray(credential['@context'])) {
      const contexts = credential['@context'] as unknown[];
      if (contexts.includes(VC_CONTEXT_V2)) credential['@context'] = contexts.filter((c) => c !== VC_CONTEXT_V1);
    }
    const issuer = typeof credential.issuer === 'string' ? credential.issuer : (credential.issuer as { id?: unknown } | undefined)?.id;
    if (typeof issuer !== 'string') throw new CradleError('INVALID_ARGUMENT', 'credential.issuer must be the issuer DID.');
    const identifier = await context.agent.didManagerGet({ did: issuer });
    const key = pickKey(identifier, args.keyRef);
    const alg = ALG_BY_KEY_TYPE[key.type];
    if (alg === undefined) throw new CradleError('INVALID_ARGUMENT', `Keys of type ${key.type} cannot sign vc+jwt credentials.`);

    const subject = credential.credentialSubject as { id?: unknown } | undefined;
    const validFrom = typeof credential.validFrom === 'string' ? Date.parse(credential.validFrom) : NaN;
    if (Number.isNaN(validFrom)) throw new CradleError('INVALID_ARGUMENT', 'credential.validFrom must be an RFC 3339 date-time.');
    const payload: Record<string, unknown> = { ...credential, iss: issuer };
    if (typeof subject?.id === 'string') payload.sub = subject.id;
    if (typeof credential.id === 'string') payload.jti = credential.id;
    const nowSeconds = typeof args.now === 'number' ? args.now : args.now instanceof Date ? Math.floor(args.now.getTime() / 1000) : Math.floor(validFrom / 1000);
    payload.iat = nowSeconds;
    payload.nbf = Math.floor(validFrom / 1000);
    if (typeof credential.validUntil === 'string') payload.exp = Math.floor(Date.parse(credential.validUntil) / 1000);
    for (const [k, v] of Object.entries((args.extraClaims as Record<string, unknown> | undefined) ?? {})) payload[k] = v;

    const { signingInput } = encodeJwsSigningInput({ alg, typ: PROOF_FORMAT_VC_JWT, kid: this.#kid(identifier, key) }, payload);
    const signature = await context.agent.keyManagerSign({ keyRef: key.kid, data: signingInput, algorithm: alg, encoding: 'utf-8' });
    const jwt = `${signingInput}.${signature}`;
    return { ...credential, proof: { type: 'EnvelopedVerifiableCredential', jwt } } as unknown as VerifiableCredential;
  }

  async createVerifiablePresentation(_args: ICreateVerifiablePresentationArgs, _context: IssuerAgentContext): Promise<VerifiablePresentation> {
    throw new CradleError('NOT_IMPLEMENTED', 'The registrar does not sign presentations (wallets do, with @cradle/holder).');
  }

  async verifyCredential(): Promise<IVerifyResult> {
    throw new CradleError('NOT_IMPLEMENTED', 'Verify vc+jwt credentials with @cradle/verifier.');
  }

  async verifyPresentation(): Promise<IVerifyResult> {
    throw new CradleError('NOT_IMPLEMENTED', 'Verify presentations with @cradle/verifier.');
  }
}

function pickKey(identifier: IIdentifier, keyRef: string | undefined): IKey {
  const key = keyRef === undefined ? identifier.keys.find((k) => k.type === 'Ed25519') : identifier.keys.find((k) => k.kid === keyRef);
  if (key === undefined) throw new CradleError('NOT_FOUND', `The issuer ${identifier.did} has no ${keyRef === undefined ? 'Ed25519' : keyRef} signing key.`);
  return key;
}
