import { describe, expect, it } from 'vitest';
import { displayText, isDisplaySafe } from '../src/display-text.js';

// Every character class a person must never be shown raw (docs/threat-model.md, "What a person sees").
const HOSTILE = {
  csi: '\u001b[2J\u001b[H\u001b[1;32m',
  csi8bit: '\u009b2J',
  osc: '\u001b]0;window title\u0007',
  oscSt: '\u001b]8;;https://evil.example\u001b\\',
  dcs: '\u001bPq#0;2;0;0;0\u001b\\',
  c0: '\u0000\u0007\b\u000e\u001f\u007f',
  c1: '\u0080\u0081\u008d\u009a',
  bidi: '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c',
  invisible: '\u200b\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u034f\u180e\u115f\u3164\ufff9\u{e0041}',
};

describe('displayText: untrusted text shown to a person', () => {
  it.each(Object.entries(HOSTILE))('removes %s sequences and characters entirely', (_name, bad) => {
    const out = displayText(`Amina${bad}VALID`);
    expect(out).toBe('AminaVALID');
    expect(isDisplaySafe(out)).toBe(true);
  });

  it('an escape sequence is removed whole, not just its ESC (no "[2J" left behind)', () => {
    expect(displayText('a\u001b[38;5;196mb')).toBe('ab');
    expect(displayText('unterminated \u001b]0;rest of the line')).toBe('unterminated ');
  });

  it('a bidi override cannot reorder what is shown', () => {
    expect(displayText('invoice\u202egnp.exe')).toBe('invoicegnp.exe');
    expect(displayText('Amina \u2067Otieno\u2069')).toBe('Amina Otieno');
  });

  it('line breaks become spaces unless multi-line text is allowed', () => {
    expect(displayText('line1\nline2\r\nline3\u2028x\ty')).toBe('line1 line2 line3 x y');
    expect(displayText('a\tb', { multiline: true })).toBe('a b');
    expect(displayText('line1\nline2\r\n\u001b[31mline3', { multiline: true })).toBe('line1\nline2\nline3');
  });

  it('keeps real names in every script, ZWJ/ZWNJ and emoji', () => {
    for (const name of ['Amina Wanjiru', 'أمينة', 'Zoë Ñúñez', 'नमस्ते', 'می\u200cخواهم', '👩\u200d👧', '北京']) {
      expect(displayText(name)).toBe(name);
    }
  });

  it('removes lone surrogates and cuts long text at a code point', () => {
    expect(displayText('a\ud800b\udc00c')).toBe('abc');
    expect(displayText('😀😀😀😀', { maxLength: 3 })).toBe('😀😀…');
  });

  it('never throws, whatever it gets', () => {
    expect(displayText(undefined)).toBe('undefined');
    expect(displayText(42)).toBe('42');
    expect(displayText({ toString: () => '\u001b[2Jx' })).toBe('x');
  });
});
