// The one check that a secret opens a key-encryption box (issue #13: "secret -> scrypt -> SecretBox
// twice"). The registrar and the guardian's wallet each store a known text sealed with the SecretBox
// derived from the operator's secret; re-opening it at start tells a wrong secret apart from damaged
// keys, before the first signature comes out wrong. The box is Veramo's SecretBox
// (`@veramo/kms-local`), seen only through the one method this needs, so core does not depend on Veramo.
import { CradleError } from '../errors.js';

/** What the canary check needs of a key-encryption box: Veramo's `SecretBox` has it. */
export interface CanaryBox {
  decrypt(sealed: string): Promise<string>;
}

/**
 * Throw `SECRET_WRONG` with `wrongSecretMessage` unless `box` opens `sealed` to exactly `canary`. A
 * box that cannot decrypt at all (a wrong key fails authentication) and one that decrypts to another
 * text are the same answer: this secret is not the one the store was created with.
 *
 * @example
 * ```ts
 * const box = new SecretBox(Buffer.from(await scryptKey(secret, salt, params)).toString('hex'));
 * await requireCanary(box, record.canary, 'my-canary-v1', 'This secret does not open the wallet: use the one it was created with.');
 * ```
 */
export async function requireCanary(box: CanaryBox, sealed: string, canary: string, wrongSecretMessage: string): Promise<void> {
  let opened: string | undefined;
  try {
    opened = await box.decrypt(sealed);
  } catch {
    opened = undefined;
  }
  if (opened !== canary) throw new CradleError('SECRET_WRONG', wrongSecretMessage);
}
