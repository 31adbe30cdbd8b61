import { base64UrlDecode, utf8Decode } from '../../src/base64url.js';

/**
 * Everything a party receiving `token` can read: each JWS segment, SD-JWT disclosure or data-URL part,
 * base64url-decoded where it decodes. Tests assert that withheld claims appear nowhere in it.
 */
export function readableText(token: string): string {
  return token
    .split(/[~.,]/)
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return utf8Decode(base64UrlDecode(s));
      } catch {
        return s;
      }
    })
    .join('\n');
}
