// `@cradle/core/node`: what Cradle's Node packages share that needs `node:` modules (the root entry runs
// in browsers and has none).
export { requireCanary } from './key-encryption-canary.js';
export type { CanaryBox } from './key-encryption-canary.js';
export { SCRYPT_MAX_N, isSupportedScryptParams, scryptKey } from './scrypt-key.js';
export type { ScryptParams } from './scrypt-key.js';
