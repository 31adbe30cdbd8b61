/**
 * The one sanitizer for untrusted text shown to a person (terminal, web page, log line meant for humans).
 *
 * Attacker-controlled strings (issuer DIDs, names, URLs, messages that echo input) can carry terminal
 * escape sequences that clear the screen or paint a fake "VALID", and Unicode bidi controls that
 * reorder what a reader sees. Markup-safe sinks (DOM `textContent`) stop HTML, not these.
 */

/** Options of {@link displayText}. */
export interface DisplayTextOptions {
  /** Keep line breaks (`\n`); by default every line break and tab becomes a space. */
  readonly multiline?: boolean;
  /** Cut the result to this many code points, ending with `…`. Default: no limit. */
  readonly maxLength?: number;
}

// Escape sequences, removed whole (not just their ESC): CSI (ESC [ or C1 0x9B) with parameters and a final
// byte; OSC (ESC ] or 0x9D) up to BEL/ST or the end; DCS/SOS/PM/APC (ESC P X ^ _, C1 0x90 0x98 0x9E 0x9F)
// up to ST or the end; any other ESC with its intermediate and final bytes.
/* eslint-disable no-control-regex -- matching control characters is the point of this module */
const ESCAPE_SEQUENCES =
  /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|(?:\u001b\]|\u009d)[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|(?:\u001b[PX^_]|[\u0090\u0098\u009e\u009f])[^\u001b\u009c]*(?:\u001b\\|\u009c)?|\u001b[\u0020-\u002f]*[\u0030-\u007e]?/g;
/** Line breaks (kept as `\n` in multi-line text, else a space), including U+2028/U+2029 and NEL. */
const BREAKS = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;
/**
 * Removed: C0 and C1 controls and DEL; bidi embeddings/overrides/isolates and marks (U+202A–202E,
 * U+2066–2069, U+200E, U+200F, U+061C); invisible characters that hide or fake text (zero-width space,
 * word joiner and invisible operators, BOM, soft hyphen, combining grapheme joiner, Mongolian vowel
 * separator, Hangul fillers, interlinear annotation, tag characters); lone surrogates. ZWJ/ZWNJ
 * (U+200C/U+200D) stay: Arabic, Persian and Indic names and emoji need them, and they cannot reorder text.
 */
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class -- U+034F (a combining mark) is listed to be removed, not combined
  /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb\u{e0000}-\u{e007f}\ud800-\udfff]/gu;
/* eslint-enable no-control-regex */

/**
 * Make an untrusted string safe to show to a person: escape sequences (ANSI/CSI/OSC/DCS, 7- and 8-bit)
 * removed whole, control characters, bidi overrides/isolates/marks and other invisible format
 * characters removed, line breaks turned into spaces (unless `multiline`). Never throws: non-strings
 * are converted with `String()`.
 *
 * @example
 * ```ts
 * displayText('Amina\u001b[2J\u001b[32mVALID') // 'AminaVALID'
 * displayText('evil\u202egnp.exe')             // 'evilgnp.exe'
 * ```
 */
export function displayText(value: unknown, opts: DisplayTextOptions = {}): string {
  let text = typeof value === 'string' ? value : String(value);
  text = text.replace(ESCAPE_SEQUENCES, '').replace(BREAKS, opts.multiline === true ? '\n' : ' ').replace(/\t/g, ' ').replace(INVISIBLE, (c) => (c === '\n' && opts.multiline === true ? c : ''));
  const max = opts.maxLength;
  if (max !== undefined && max >= 1) {
    const points = Array.from(text);
    if (points.length > max) text = `${points.slice(0, max - 1).join('')}…`;
  }
  return text;
}

/**
 * True when `value` is already safe to display ({@link displayText} would not change it, ignoring length).
 *
 * @example
 * ```ts
 * isDisplaySafe('did:ethr:0x7a69:0xabc') // true
 * ```
 */
export function isDisplaySafe(value: string): boolean {
  return displayText(value, { multiline: true }) === value;
}
