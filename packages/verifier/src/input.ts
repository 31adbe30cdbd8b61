import type { VerificationProblem } from '@cradle/core';
import { base64UrlDecode, decodeQrPayload, isCradleError, utf8Decode } from '@cradle/core';
import { problem } from './messages.js';

/** Largest input (characters) looked at, QR payload or token, before anything is decoded. */
export const MAX_INPUT_CHARS = 128 * 1024;
/** Largest token a QR payload may unpack to (the presentation limit). */
const MAX_TOKEN_CHARS = 96 * 1024;

/** A compact JWS taken from text input, or the problem that stopped it. */
export type NormalizedInput = { readonly token: string } | { readonly problem: VerificationProblem };

/**
 * Turn checkpoint input (a compact JWS or a `CRADLE5:` (or `CRADLE4:`, `CRADLE3:`, `CRADLE2:`, `CRADLE1:`) QR payload) into a compact JWS. Bounded before
 * decoding; QR decompression is bounded by `@cradle/core`.
 */
export function normalizeInput(input: unknown): NormalizedInput {
  if (typeof input !== 'string') return { problem: problem('MALFORMED', 'Nothing readable was given: expected the text of a credential or a QR code.') };
  if (input.length > MAX_INPUT_CHARS) {
    return { problem: problem('TOO_LARGE', 'The input is far larger than any genuine credential or presentation: it was not read.') };
  }
  const text = input.trim();
  if (text.length === 0) return { problem: problem('MALFORMED', 'The input is empty.') };
  if (!/^CRADLE\d:/i.test(text)) return { token: text };
  try {
    return { token: decodeQrPayload(text, { maxBytes: MAX_TOKEN_CHARS }) };
  } catch (e) {
    const code = isCradleError(e, 'TOO_LARGE') || isCradleError(e, 'DECOMPRESSION_LIMIT') ? 'TOO_LARGE' : 'MALFORMED';
    return {
      problem: problem(
        code,
        code === 'TOO_LARGE'
          ? 'The QR code unpacks to far more data than any genuine credential: it was rejected.'
          : 'The QR code could not be read as a Cradle credential: it is damaged or not a Cradle code.',
      ),
    };
  }
}

/** The `typ` of a compact JWS header without verifying anything; `undefined` if unreadable. */
export function peekTyp(token: string): string | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot > 2048) return undefined;
  try {
    const header: unknown = JSON.parse(utf8Decode(base64UrlDecode(token.slice(0, dot))));
    const typ = (header as { typ?: unknown } | null)?.typ;
    return typeof typ === 'string' ? typ : undefined;
  } catch {
    return undefined;
  }
}
