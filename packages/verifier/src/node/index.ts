export { FileVerifierStore, STATE_FILE } from './file-store.js';
export { nodeSignatureVerifier } from './node-signature-verifier.js';
export { MAX_PNG_BYTES, MAX_PNG_SIDE, isPng, readQrFromPng } from './png-qr.js';
export { directoryMirror, mirrorsFromArgs } from './directory-mirror.js';
export { filePackSource, packsFromArgs } from './file-pack-source.js';
export { readVerifierInput } from './read-input.js';
export { createVerifierServer } from './http-server.js';
export type { VerifierServerOptions } from './http-server.js';
