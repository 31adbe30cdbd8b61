// `@cradle/verifier/openid4vp`: ask any wallet for a checkpoint presentation over OpenID4VP 1.0 (DCQL,
// direct_post) and check its answer with the offline rules. Browser-safe like the root entry.
export { BIRTH_CLAIMS, DCQL_IDS, DEFAULT_BIRTH_CLAIMS, checkpointDcqlQuery, createPresentationRequest } from './presentation-request.js';
export type { BirthClaim, BirthCredentialFormat, PresentationRequest, PresentationRequestOptions } from './presentation-request.js';
export { MAX_VP_TOKEN_LENGTH, verifyPresentationResponse } from './verify-presentation-response.js';
export type { Openid4vpAuthorizationRequest } from '@openid4vc/openid4vp';
