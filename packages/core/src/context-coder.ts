/**
 * A small context-mixing compressor for short texts that resemble a known one: the body of `CRADLE5:` QR
 * frames, primed with the QR dictionary (docs/formats.md, "QR payload"). Each bit is predicted from the
 * bit histories seen after the same 1, 2, 3, 4 and 6 preceding bytes, after the same text since the last
 * quote (the value being written), and from the longest earlier match; a gated linear mixer combines the
 * predictions in the logistic domain, and a binary arithmetic coder spends `-log2 p` bits on the bit.
 * The models first learn the primer, so a credential's body costs bits only where it differs from the
 * templates, and no code tables travel (DEFLATE's dynamic Huffman header was ~40 of a ~300-byte body).
 *
 * Integer arithmetic only (no `Math.exp`/`Math.log`; every intermediate an exact integer in a double), so
 * every engine, Node or browser, predicts the same bits: encoder and decoder agree exactly. The decoder
 * never throws: damaged input gives other bytes of the requested length, which the frame reader refuses.
 *
 * Speed: the models are primed once per primer ({@link primeContextCoder} does it ahead of the first text)
 * and each text then runs on that primed state in place. The 1.6 MB of bit-history and match tables are
 * not copied per text: every slot a text changes is written to an undo journal first and put back when
 * the text is done, so a text costs time in proportion to its own length and allocates almost nothing.
 * The output is bit for bit what copying the primed state would give (a frozen vector and a frozen
 * CRADLE5 payload pin it; `test/context-coder-differential.test.ts` checks generated texts against the
 * coder as it landed, kept in the tests). Per bit, a check's read is memory-bound on the bit-history
 * loads; the rest is kept to integer work on tables the predictor holds directly (docs/formats.md).
 *
 * The design follows Matt Mahoney's lpaq1 (public domain): its squash table, coder and mixer.
 */

/** Points of the logistic function, 12-bit probabilities at stretch -2048, -1920, …, 2048. */
const SQUASH_POINTS = [
  1, 2, 3, 6, 10, 16, 27, 45, 73, 120, 194, 310, 488, 747, 1101, 1546, 2047, 2549, 2994, 3348, 3607, 3785, 3901, 3975, 4024, 4050, 4068, 4079, 4085,
  4089, 4092, 4093, 4094,
];

/** 4096 / (1 + e^-d/256), interpolated: stretch domain (±2047) to a 12-bit probability. */
function squashPoint(d: number): number {
  if (d > 2047) return 4095;
  if (d < -2047) return 1;
  const w = d & 127;
  const i = (d >> 7) + 16;
  return (SQUASH_POINTS[i]! * (128 - w) + SQUASH_POINTS[i + 1]! * w + 64) >> 7;
}

/** {@link squashPoint} for every d in -2047..2047, at d + 2047. */
const SQUASH = (() => {
  const t = new Int16Array(4095);
  for (let d = -2047; d <= 2047; d++) t[d + 2047] = squashPoint(d);
  return t;
})();

/** The inverse of {@link squashPoint}, by table. */
const STRETCH = (() => {
  const t = new Int16Array(4096);
  let pi = 0;
  for (let x = -2047; x <= 2047; x++) {
    const v = squashPoint(x);
    for (let j = pi; j <= v; j++) t[j] = x;
    pi = v + 1;
  }
  for (let j = pi; j < 4096; j++) t[j] = 2047;
  return t;
})();

/** Context models: bytes of preceding context, `0` for the text since the last quote or control byte. */
const ORDERS = [1, 2, 3, 4, 6, 0] as const;
const HASHED = ORDERS.length;
const WORD_MAX = 24;
/** Order 0 (the partial byte alone), then the hashed models. */
const CONTEXTS = 1 + HASHED;
const TABLE_BITS = 18;
const SLOTS = 256 + HASHED * (1 << TABLE_BITS);
const MATCH_INPUT = CONTEXTS;
/** Inputs: each context model, the match model, a bias. */
const INPUTS = CONTEXTS + 2;

/**
 * Bit histories: `(zeros, ones)` seen in a slot, each 0..7; when one side grows, the other, if over 2,
 * is halved (recent bits count more). 64 states.
 */
const NEXT_STATE = (() => {
  const t = new Uint8Array(128);
  for (let n0 = 0; n0 < 8; n0++) {
    for (let n1 = 0; n1 < 8; n1++) {
      const st = n0 * 8 + n1;
      t[st * 2] = Math.min(n0 + 1, 7) * 8 + (n1 > 2 ? (n1 >> 1) + 1 : n1);
      t[st * 2 + 1] = (n0 > 2 ? (n0 >> 1) + 1 : n0) * 8 + Math.min(n1 + 1, 7);
    }
  }
  return t;
})();

/** What a bit history means is learnt per model: rate 1/(n + 1.5) until n reaches the limit. */
const STATE_LIMIT = 255;
const RATE = Int32Array.from({ length: STATE_LIMIT + 1 }, (_, n) => Math.floor(65536 / (n + 1.5)));
const MATCH_MIN = 3;
/** From this match length on, a byte is first coded as one "it is the predicted byte" decision. */
const LZP_MIN = 16;
const MATCH_MAX = 31;
const MATCH_HASH_BITS = 16;
const MATCH_HASH_MASK = (1 << MATCH_HASH_BITS) - 1;
/** Mixer: weights in 16.16 fixed point, the update `x · err · 10 / 16384`, one set per partial byte. */
const MIXER_RATE = 10;
const MIXER_DIVISOR = 16384;
const INITIAL_WEIGHT = Math.floor(65536 * 0.1);
const WEIGHT_LIMIT = 1 << 22;
/** Undo-journal entries a byte can add: a bit-history slot per model and bit. */
const JOURNAL_PER_BYTE = CONTEXTS * 8;
/** A bit-history journal entry is `slot · 64 + previous state` (< 2^31: SLOTS · 64 ≈ 1.0e8). */
const STATE_BITS = 6;
/** A journal grown past this (a very long text) is dropped after the text instead of kept for the next. */
const JOURNAL_KEEP = 1 << 16;

function adapt(probs: Uint16Array, counts: Uint8Array, slot: number, y: number): void {
  const n = counts[slot]!;
  const p = probs[slot]!;
  probs[slot] = p + Math.trunc((((y << 16) - y - p) * RATE[n]!) / 65536);
  if (n < STATE_LIMIT) counts[slot] = n + 1;
}

/** The small adaptive tables: copied from the primed ones at the start of each text (about 20 kB). */
class SmallTables {
  /** Per model, per bit history: the 16-bit probability of a 1, and how often it was updated. */
  readonly stateProbs = new Uint16Array(CONTEXTS * 64).fill(32768);
  readonly stateCounts = new Uint8Array(CONTEXTS * 64);
  /** Integers within ±{@link WEIGHT_LIMIT}, so 32-bit slots hold them exactly. */
  readonly weights = new Int32Array(256 * INPUTS).fill(INITIAL_WEIGHT);
  /** Match model: the probability that the predicted bit is right, by match length and predicted bit. */
  readonly matchProbs = new Uint16Array(64).fill(32768);
  readonly matchCounts = new Uint8Array(64);
  /** Probability that a byte is the one a long match predicts, by match length. */
  readonly flagProbs = new Uint16Array(MATCH_MAX + 1).fill(32768);
  readonly flagCounts = new Uint8Array(MATCH_MAX + 1);

  copyFrom(o: SmallTables): void {
    this.stateProbs.set(o.stateProbs);
    this.stateCounts.set(o.stateCounts);
    this.weights.set(o.weights);
    this.matchProbs.set(o.matchProbs);
    this.matchCounts.set(o.matchCounts);
    this.flagProbs.set(o.flagProbs);
    this.flagCounts.set(o.flagCounts);
  }
}

/**
 * Everything that adapts, for one primer. After priming, `states`, `matchTable` and the primer's part
 * of `history` hold the primed state between texts (a text's changes to them are undone from the
 * journal); `primed` keeps the small tables as the primer left them.
 */
class Model {
  /** The bit history of each slot: order 0 (256 slots), then each hashed model's table. */
  readonly states = new Uint8Array(SLOTS);
  /** Last position (+1) of each hash of {@link MATCH_MIN} bytes. */
  readonly matchTable = new Int32Array(1 << MATCH_HASH_BITS);
  readonly tables = new SmallTables();
  readonly primed = new SmallTables();
  /** The primer, then the text (a view of exactly primer + text length, as each text needs). */
  history: Uint8Array;
  readonly primerLength: number;
  /** Undo journal of the bit histories while a text runs: `slot << 6 | previous state` per change. */
  journal = new Int32Array(0);
  journalLength = 0;
  /** Undo journal of the match table (one change a byte): slot and previous value. */
  matchJournalSlots = new Int32Array(0);
  matchJournalValues = new Int32Array(0);
  matchJournalLength = 0;
  journaling = false;

  constructor(primer: Uint8Array) {
    this.primerLength = primer.length;
    this.history = new Uint8Array(primer.length);
  }

  /** Start a text of `length` bytes on the primed state. */
  beginText(length: number): void {
    const history = new Uint8Array(this.primerLength + length);
    history.set(this.history.subarray(0, this.primerLength));
    this.history = history;
    this.tables.copyFrom(this.primed);
    this.journalLength = 0;
    this.matchJournalLength = 0;
    this.journaling = true;
  }

  /** Undo everything the text changed in the shared tables. */
  endText(): void {
    // Newest first: a slot changed twice gets its value from before the text last.
    const journal = this.journal;
    const states = this.states;
    for (let i = this.journalLength - 1; i >= 0; i--) {
      const entry = journal[i]!;
      states[entry >>> STATE_BITS] = entry & ((1 << STATE_BITS) - 1);
    }
    const slots = this.matchJournalSlots;
    const values = this.matchJournalValues;
    for (let i = this.matchJournalLength - 1; i >= 0; i--) this.matchTable[slots[i]!] = values[i]!;
    this.journalLength = 0;
    this.matchJournalLength = 0;
    this.journaling = false;
    if (this.journal.length > JOURNAL_KEEP) {
      this.journal = new Int32Array(0);
      this.matchJournalSlots = new Int32Array(0);
      this.matchJournalValues = new Int32Array(0);
    }
  }

  /** Room in the journal for one more byte's changes. */
  reserveJournal(): void {
    if (this.journalLength + JOURNAL_PER_BYTE > this.journal.length) {
      const journal = new Int32Array(Math.max(4096, this.journal.length * 2));
      journal.set(this.journal.subarray(0, this.journalLength));
      this.journal = journal;
    }
    if (this.matchJournalLength + 1 > this.matchJournalSlots.length) {
      const size = Math.max(512, this.matchJournalSlots.length * 2);
      const slots = new Int32Array(size);
      const values = new Int32Array(size);
      slots.set(this.matchJournalSlots.subarray(0, this.matchJournalLength));
      values.set(this.matchJournalValues.subarray(0, this.matchJournalLength));
      this.matchJournalSlots = slots;
      this.matchJournalValues = values;
    }
  }
}

/** Call {@link Predictor.p} for the next bit, then {@link Predictor.update} with it. */
class Predictor {
  readonly #m: Model;
  readonly #t: SmallTables;
  // The tables every bit touches, held here rather than reached through the model on each bit.
  readonly #states: Uint8Array;
  readonly #stateProbs: Uint16Array;
  readonly #stateCounts: Uint8Array;
  readonly #weights: Int32Array;
  #length: number;
  /** The partial byte behind a leading 1 (1..255), and how many of its bits are known. */
  #c0 = 1;
  #bit = 0;
  readonly #hashes = new Int32Array(HASHED);
  readonly #slots = new Int32Array(CONTEXTS);
  readonly #inputs = new Int32Array(INPUTS);
  #matchPtr = 0;
  #matchLen = 0;
  #matchSlot = -1;
  #expected = 0;
  #pr = 2048;
  /** The byte contexts are computed when a byte's bits are first coded (a predicted byte needs none). */
  #stale = true;
  /** The match was refused for this byte (its "predicted byte" decision said no). */
  #missed = false;

  constructor(model: Model, length: number) {
    this.#m = model;
    this.#t = model.tables;
    this.#states = model.states;
    this.#stateProbs = model.tables.stateProbs;
    this.#stateCounts = model.tables.stateCounts;
    this.#weights = model.tables.weights;
    this.#length = length;
  }

  /** The byte a long match predicts next, or -1: then code {@link pFlag} first. */
  predicted(): number {
    return this.#matchLen >= LZP_MIN ? this.#m.history[this.#matchPtr]! : -1;
  }

  /** Probability (of 4096) that the next byte is {@link predicted}. */
  pFlag(): number {
    const p = this.#t.flagProbs[this.#matchLen < MATCH_MAX ? this.#matchLen : MATCH_MAX]! >> 4;
    return p < 1 ? 1 : p;
  }

  /** Learn whether the byte was the predicted one; if it was, it is taken as the next byte. */
  updateFlag(hit: number): void {
    const t = this.#t;
    adapt(t.flagProbs, t.flagCounts, this.#matchLen < MATCH_MAX ? this.#matchLen : MATCH_MAX, hit);
    if (hit === 1) this.#push(this.#m.history[this.#matchPtr]!);
    else this.#missed = true;
  }

  /** Probability (1..4095, of 4096) that the next bit is 1. */
  p(): number {
    if (this.#stale) this.#byteContexts();
    const states = this.#states;
    const stateProbs = this.#stateProbs;
    const c0 = this.#c0;
    const x = this.#inputs;
    const slots = this.#slots;
    const hashes = this.#hashes;
    const w = this.#weights;
    const base = c0 * INPUTS;
    slots[0] = c0;
    let xk = STRETCH[stateProbs[states[c0]!]! >> 4]!;
    x[0] = xk;
    let dot = xk * w[base]!;
    for (let k = 0; k < HASHED; k++) {
      const slot = 256 + (k << TABLE_BITS) + (Math.imul(hashes[k]! + c0, 0x2f0b4c25) >>> (32 - TABLE_BITS));
      slots[k + 1] = slot;
      xk = STRETCH[stateProbs[((k + 1) << 6) + states[slot]!]! >> 4]!;
      x[k + 1] = xk;
      dot += xk * w[base + k + 1]!;
    }
    // The bit the longest earlier match predicts, while this byte still follows it.
    this.#matchSlot = -1;
    xk = 0;
    if (this.#matchLen > 0 && !this.#missed) {
      const predicted = this.#m.history[this.#matchPtr]! | 0x100;
      const shift = 8 - this.#bit;
      if (predicted >> shift === c0) {
        const expected = (predicted >> (shift - 1)) & 1;
        this.#expected = expected;
        const matchSlot = ((this.#matchLen < MATCH_MAX ? this.#matchLen : MATCH_MAX) << 1) | expected;
        this.#matchSlot = matchSlot;
        const st = STRETCH[this.#t.matchProbs[matchSlot]! >> 4]!;
        xk = expected === 1 ? st : -st;
      }
    }
    x[MATCH_INPUT] = xk;
    dot += xk * w[base + MATCH_INPUT]!;
    x[INPUTS - 1] = 256;
    dot += 256 * w[base + INPUTS - 1]!;
    // Every product and partial sum is an exact integer below 2^53, so the order of the sum does not matter.
    const d = Math.trunc(dot / 65536);
    const pr = d > 2047 ? 4095 : d < -2047 ? 1 : SQUASH[d + 2047]!;
    this.#pr = pr < 1 ? 1 : pr > 4095 ? 4095 : pr;
    return this.#pr;
  }

  /** Learn the bit just coded. */
  update(y: number): void {
    const m = this.#m;
    const states = this.#states;
    const stateProbs = this.#stateProbs;
    const stateCounts = this.#stateCounts;
    const slots = this.#slots;
    // adapt() inline: the probability moves towards the bit at rate 1/(n + 1.5).
    const target = (y << 16) - y;
    if (m.journaling) {
      const journal = m.journal;
      let n = m.journalLength;
      for (let k = 0; k < CONTEXTS; k++) {
        const slot = slots[k]!;
        const st = states[slot]!;
        journal[n++] = (slot << STATE_BITS) | st;
        const i = (k << 6) + st;
        const count = stateCounts[i]!;
        const p = stateProbs[i]!;
        stateProbs[i] = p + Math.trunc(((target - p) * RATE[count]!) / 65536);
        if (count < STATE_LIMIT) stateCounts[i] = count + 1;
        states[slot] = NEXT_STATE[st * 2 + y]!;
      }
      m.journalLength = n;
    } else {
      for (let k = 0; k < CONTEXTS; k++) {
        const slot = slots[k]!;
        const st = states[slot]!;
        adapt(stateProbs, stateCounts, (k << 6) + st, y);
        states[slot] = NEXT_STATE[st * 2 + y]!;
      }
    }
    if (this.#matchSlot >= 0) adapt(this.#t.matchProbs, this.#t.matchCounts, this.#matchSlot, y === this.#expected ? 1 : 0);
    // |x · err · 10| < 2^31: the 32-bit truncation is Math.trunc's.
    const err = ((y << 12) - this.#pr) * MIXER_RATE;
    const w = this.#weights;
    const x = this.#inputs;
    const base = this.#c0 * INPUTS;
    for (let k = 0; k < INPUTS; k++) {
      let v = w[base + k]! + (((x[k]! * err) / MIXER_DIVISOR) | 0);
      if (v > WEIGHT_LIMIT) v = WEIGHT_LIMIT;
      else if (v < -WEIGHT_LIMIT) v = -WEIGHT_LIMIT;
      w[base + k] = v;
    }
    this.#c0 = (this.#c0 << 1) | y;
    this.#bit++;
    if (this.#bit === 8) {
      this.#push(this.#c0 & 0xff);
      this.#c0 = 1;
      this.#bit = 0;
    }
  }

  #push(byte: number): void {
    const m = this.#m;
    const history = m.history;
    const length = this.#length;
    history[length] = byte;
    const end = length + 1;
    this.#length = end;
    if (this.#matchLen > 0) {
      if (history[this.#matchPtr] === byte) {
        this.#matchLen++;
        this.#matchPtr++;
      } else {
        this.#matchLen = 0;
      }
    }
    if (end >= MATCH_MIN) {
      let h = 0;
      for (let i = end - MATCH_MIN; i < end; i++) h = Math.imul(h ^ history[i]!, 0x2f0b4c25) + 1;
      h = (h ^ (h >>> 16)) & MATCH_HASH_MASK;
      const table = m.matchTable;
      if (this.#matchLen === 0) {
        const candidate = table[h]!;
        if (candidate > 0) {
          let len = 0;
          while (len < MATCH_MAX && len < candidate && history[candidate - 1 - len] === history[end - 1 - len]) len++;
          if (len >= MATCH_MIN) {
            this.#matchLen = len;
            this.#matchPtr = candidate;
          }
        }
      }
      if (m.journaling) {
        m.matchJournalSlots[m.matchJournalLength] = h;
        m.matchJournalValues[m.matchJournalLength++] = table[h]!;
      }
      table[h] = end;
    }
    this.#missed = false;
    this.#stale = true;
  }

  #byteContexts(): void {
    this.#stale = false;
    const history = this.#m.history;
    const end = this.#length;
    for (let k = 0; k < HASHED; k++) {
      const n = ORDERS[k]!;
      let h = Math.imul(k + 1, 0x3c6ef372);
      if (n === 0) {
        for (let i = 1; i <= WORD_MAX && end - i >= 0; i++) {
          const b = history[end - i]!;
          if (b === 0x22 || b < 0x20) break;
          h = Math.imul(h ^ b, 0x01000193) + i;
        }
      } else {
        for (let i = 1; i <= n; i++) h = Math.imul(h ^ (end - i >= 0 ? history[end - i]! : 0), 0x01000193) + i;
      }
      this.#hashes[k] = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    }
    // A match that reached the present has nothing more to predict.
    if (this.#matchLen > 0 && this.#matchPtr >= end) this.#matchLen = 0;
  }
}

/** Codes one bit with probability `p` (of 4096) that it is 1: `y` when writing, the bit read when reading. */
interface BitCoder {
  bit(p: number, y: number): number;
}

/** One byte through the models and `coder` (`byte` is ignored when reading); returns the byte. */
function codeByte(m: Predictor, coder: BitCoder, byte: number): number {
  const predicted = m.predicted();
  if (predicted >= 0) {
    const hit = coder.bit(m.pFlag(), byte === predicted ? 1 : 0);
    m.updateFlag(hit);
    if (hit === 1) return predicted;
  }
  let c = 0;
  for (let i = 7; i >= 0; i--) {
    const y = coder.bit(m.p(), (byte >> i) & 1);
    m.update(y);
    c = (c << 1) | y;
  }
  return c;
}

/** Priming: every bit is known, nothing is written. */
const LEARN: BitCoder = { bit: (_p, y) => y };

class Encoder implements BitCoder {
  readonly out: number[] = [];
  #x1 = 0;
  #x2 = 0xffffffff;

  bit(p: number, y: number): number {
    const xmid = split(this.#x1, this.#x2, p);
    if (y === 1) this.#x2 = xmid;
    else this.#x1 = xmid + 1;
    while (((this.#x1 ^ this.#x2) & 0xff000000) === 0) {
      this.out.push(this.#x2 >>> 24);
      this.#x1 = (this.#x1 << 8) >>> 0;
      this.#x2 = ((this.#x2 << 8) | 255) >>> 0;
    }
    return y;
  }

  /** The decoder reads 0xff past the end: the top byte of x1 followed by those lies in [x1, x2] (their top bytes differ). */
  finish(): Uint8Array {
    this.out.push(this.#x1 >>> 24);
    return Uint8Array.from(this.out);
  }
}

class Decoder implements BitCoder {
  readonly #coded: Uint8Array;
  #pos = 0;
  #x1 = 0;
  #x2 = 0xffffffff;
  #x = 0;

  constructor(coded: Uint8Array) {
    this.#coded = coded;
    for (let i = 0; i < 4; i++) this.#x = ((this.#x << 8) | this.#next()) >>> 0;
  }

  bit(p: number): number {
    const xmid = split(this.#x1, this.#x2, p);
    const y = this.#x <= xmid ? 1 : 0;
    if (y === 1) this.#x2 = xmid;
    else this.#x1 = xmid + 1;
    while (((this.#x1 ^ this.#x2) & 0xff000000) === 0) {
      this.#x1 = (this.#x1 << 8) >>> 0;
      this.#x2 = ((this.#x2 << 8) | 255) >>> 0;
      this.#x = ((this.#x << 8) | this.#next()) >>> 0;
    }
    return y;
  }

  #next(): number {
    return this.#pos < this.#coded.length ? this.#coded[this.#pos++]! : 0xff;
  }
}

/** Primed models by primer (a handful of frozen dictionaries: primed once each, then reused). */
const models = new WeakMap<Uint8Array, Model>();

function primedModel(primer: Uint8Array): Model {
  let model = models.get(primer);
  if (model === undefined) {
    model = new Model(primer);
    const m = new Predictor(model, 0);
    for (const b of primer) codeByte(m, LEARN, b);
    model.primed.copyFrom(model.tables);
    models.set(primer, model);
  }
  return model;
}

/** Run one text through the primed models of `primer`: `code` gets a fresh predictor for it. */
function withPrimedModel<T>(primer: Uint8Array, length: number, code: (m: Predictor, reserve: () => void) => T): T {
  const model = primedModel(primer);
  model.beginText(length);
  try {
    return code(new Predictor(model, model.primerLength), () => model.reserveJournal());
  } finally {
    model.endText();
  }
}

/**
 * Learn `primer` now rather than inside the first text coded with it (tens of milliseconds on a phone):
 * a verifier calls it when idle after start-up, so the first scan does not wait for it. Optional: the
 * coder primes on first use. Returns true when it did the work now, false when `primer` was already
 * learnt (by an earlier call or text).
 *
 * @example
 * ```ts
 * requestIdleCallback(() => primeContextCoder(QR_DICTIONARY_V4));
 * ```
 */
export function primeContextCoder(primer: Uint8Array): boolean {
  if (models.has(primer)) return false;
  primedModel(primer);
  return true;
}

/**
 * Compress `text` with the models primed on `primer`. The length is not part of the output: the caller
 * stores it and passes it to {@link contextDecode}.
 *
 * @example
 * ```ts
 * const coded = contextEncode(body, QR_DICTIONARY_V4);
 * contextDecode(coded, QR_DICTIONARY_V4, body.length); // the bytes of body
 * ```
 */
export function contextEncode(text: Uint8Array, primer: Uint8Array): Uint8Array {
  return withPrimedModel(primer, text.length, (m, reserve) => {
    const coder = new Encoder();
    for (const byte of text) {
      reserve();
      codeByte(m, coder, byte);
    }
    return coder.finish();
  });
}

/**
 * The `length` bytes that {@link contextEncode} compressed into `coded` with the same primer. Never throws;
 * damaged input gives other bytes. Costs time in proportion to `length`: bound it before calling.
 */
export function contextDecode(coded: Uint8Array, primer: Uint8Array, length: number): Uint8Array {
  return withPrimedModel(primer, length, (m, reserve) => {
    const coder = new Decoder(coded);
    const out = new Uint8Array(length);
    for (let n = 0; n < length; n++) {
      reserve();
      out[n] = codeByte(m, coder, 0);
    }
    return out;
  });
}

/** The point dividing [x1, x2] in proportion p / 4096 (unsigned 32-bit values; exact in doubles). */
function split(x1: number, x2: number, p: number): number {
  const range = x2 - x1;
  // range < 2^32: >>> 12 and & 4095 are floor(range / 4096) and range % 4096; (range & 4095) * p < 2^24.
  return x1 + (range >>> 12) * p + (((range & 4095) * p) >>> 12);
}
