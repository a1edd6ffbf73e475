/**
 * src/fastHash.ts, the hash of the parse cache's keys and checksums: the same
 * input gives the same 32 hex digits; any one changed UTF-16 unit or byte, at
 * any place, a longer or shorter input, or another seed gives another; bytes
 * hash the same wherever they sit in memory.
 */
import { hashByteParts, hashBytes, hashText } from '../../src/fastHash.js';

/** A deterministic pseudo-random generator (xorshift), so that a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

describe('hashText', () => {
  test('the same text, the same 32 hex digits; the seed gives another hash', () => {
    const text = 'let x = 1; in x + 1\n';
    expect(hashText(text)).toMatch(/^[0-9a-f]{32}$/);
    expect(hashText(text)).toBe(hashText(`let x = 1; in ${'x'} + 1\n`));
    expect(hashText(text, 1)).not.toBe(hashText(text));
  });

  test('every one-unit change, at every place of texts of 0 to 40 units, gives a hash of its own', () => {
    const next = random(7);
    const seen = new Map<string, string>();
    const note = (t: string) => {
      const h = hashText(t);
      const before = seen.get(h);
      if (before !== undefined && before !== t) throw new Error(`${JSON.stringify(t)} and ${JSON.stringify(before)} share ${h}`);
      seen.set(h, t);
    };
    for (let length = 0; length <= 40; length++) {
      const units = Array.from({ length }, () => 32 + Math.floor(next() * 90));
      const base = String.fromCharCode(...units);
      note(base);
      for (let i = 0; i < length; i++) {
        for (const replacement of [units[i]! ^ 1, units[i]! ^ 0x100, 0, 0xdc80]) {
          note(base.slice(0, i) + String.fromCharCode(replacement) + base.slice(i + 1));
        }
      }
    }
    expect(seen.size).toBeGreaterThan(3000);
  });

  test('long texts: the same text the same hash, a changed unit or a longer text another', () => {
    const long = 'abcdefgh'.repeat(5000);
    const changed = [long, `${long}\0`, long.slice(1), `${long.slice(0, 20000)}\ud800${long.slice(20001)}`, `${long.slice(0, 20000)}\ufffd${long.slice(20001)}`];
    const hashes = changed.map((t) => hashText(t));
    expect(new Set(hashes).size).toBe(changed.length);
    expect(hashText(`${long}`)).toBe(hashes[0]);
    expect(hashes[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(hashText(long, 1)).not.toBe(hashes[0]);
  });

  test('trailing zero units, and lone surrogates against U+FFFD, are told apart', () => {
    const hashes = ['', '\0', '\0\0', 'a', 'a\0', '\ud800', '\ufffd', '\udc80\udc81'].map((t) => hashText(t));
    expect(new Set(hashes).size).toBe(hashes.length);
  });
});

describe('hashBytes', () => {
  test('the same bytes at an aligned and an unaligned place hash the same', () => {
    const next = random(11);
    for (const length of [0, 1, 3, 4, 15, 16, 17, 64, 1000, 4099, 20_001]) {
      const bytes = Uint8Array.from({ length }, () => Math.floor(next() * 256));
      const aligned = new Uint8Array(new ArrayBuffer(length + 8), 0, length);
      aligned.set(bytes);
      const unaligned = new Uint8Array(new ArrayBuffer(length + 8), 1, length);
      unaligned.set(bytes);
      expect(hashBytes(unaligned)).toBe(hashBytes(aligned));
    }
  });

  test('bytes given in parts hash as the bytes joined (hashByteParts), however they are cut', () => {
    const next = random(13);
    for (const length of [0, 5, 4095, 4096, 4097, 30_000]) {
      const bytes = Uint8Array.from({ length }, () => Math.floor(next() * 256));
      for (const cuts of [[], [0], [length], [1, length - 1], [Math.floor(length / 3), Math.floor(length / 2)]]) {
        const at = [0, ...cuts.filter((c) => c >= 0 && c <= length), length];
        const parts = at.slice(1).map((end, i) => bytes.subarray(at[i], end));
        expect(hashByteParts(parts)).toBe(hashBytes(bytes));
      }
    }
  });

  test('every one-byte change and every length gives a hash of its own', () => {
    const base = Uint8Array.from({ length: 70 }, (_, i) => (i * 37) & 0xff);
    const hashes = new Set<string>();
    for (let length = 0; length <= base.length; length++) hashes.add(hashBytes(base.subarray(0, length)));
    for (let i = 0; i < base.length; i++) {
      for (const bit of [1, 0x80]) {
        const changed = Uint8Array.from(base);
        changed[i]! ^= bit;
        hashes.add(hashBytes(changed));
      }
    }
    expect(hashes.size).toBe(base.length + 1 + base.length * 2);
  });

  test('long bytes: every length near its blocks, every bit at sampled places, trailing zeros and the seed give hashes of their own', () => {
    const next = random(17);
    const base = Uint8Array.from({ length: 4200 }, () => Math.floor(next() * 256));
    const hashes = new Set<string>();
    let made = 0;
    const note = (h: string) => {
      hashes.add(h);
      made++;
    };
    for (let length = 4096; length <= 4160; length++) note(hashBytes(base.subarray(0, length)));
    const places = [0, 1, 7, 8, 15, 16, 17, 4095, 4096, 4150, 4199, ...Array.from({ length: 40 }, (_, i) => 100 + i * 97)];
    for (const at of places) {
      for (let bit = 0; bit < 8; bit++) {
        const changed = Uint8Array.from(base);
        changed[at]! ^= 1 << bit;
        note(hashBytes(changed));
      }
    }
    for (let zeros = 1; zeros <= 20; zeros++) {
      const longer = new Uint8Array(base.length + zeros);
      longer.set(base);
      note(hashBytes(longer));
    }
    for (let seed = 1; seed <= 20; seed++) note(hashBytes(base, seed));
    expect(hashes.size).toBe(made);
    // A text is hashed as its UTF-16 units, little-endian, under its own seed: not as those bytes.
    const text = 'x\u00e9\ud800'.repeat(2000);
    expect(hashText(text)).toBe(hashText(text.slice(0, 3000) + text.slice(3000)));
    expect(hashText(text)).not.toBe(hashBytes(Buffer.from(text, 'utf16le')));
  });
});
