// `@cradle/verifier/node/offline`: what one offline check on Node needs, and nothing more: the checkpoint's
// file store, Node's native signature verifier and the readers of what was handed over (a token, a text
// file, a PNG or JPEG photo of a QR code or of a certificate's seals). `@cradle/verifier/node` has the same
// functions plus the HTTP verifier service (Fastify, OpenID4VP) and the list-sync sources; a process that
// verifies once and exits (`cradle checkpoint verify`) starts faster without loading those.
export { FileVerifierStore, STATE_FILE } from './file-store.js';
export { nodeSignatureVerifier } from './node-signature-verifier.js';
export { readVerifierInput } from './read-input.js';
export { MAX_QR_CODES_PER_IMAGE, readQrCodesFromImageFile } from './image-qr.js';
