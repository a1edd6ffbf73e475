/**
 * A 128-bit hash for the keys and checksums of the caches the CLI reads at
 * every start (the parse cache's keys and entries, the global-name sets of
 * compiled trees), cheap for a run that reads a few small files. Short inputs
 * are hashed in JavaScript: loading even tsportable's own native module
 * costs more than hashing them. But JavaScript that has just been loaded runs
 * slowly (V8 optimises a loop only after many turns: a cold 250 KB text took
 * 30 ms), so inputs of `Tuning.NativeFrom` units or more are hashed by the
 * native module (src/native.ts; hundreds of megabytes a second, where
 * node:crypto's SHA-256 took 6 ms to load and a first-use conversion of the
 * text to UTF-8). Which one is a matter of the length alone: the same input
 * always gets the same hash.
 *
 * Neither is a cryptographic hash. They find accidental differences (edited
 * files, damaged entries) with the odds of 128 random bits; nobody is
 * defended against here, as the caches are written by the user's own runs in
 * the user's own directory. Hashes that leave the process or stand for
 * content to others (store paths, `builtins.hashString`, image keys) are
 * SHA-2s from `node:crypto`.
 *
 * The JavaScript hash: four 32-bit lanes each take one 32-bit word of every
 * 16 bytes (or 8 UTF-16 units), multiplied, rotated and mixed; the length and
 * the other lanes are folded in at the end, and each lane is finished with an
 * avalanche step. The native one is described in grammar/src/binding.c.
 */

import { nativeModule } from './native.js';

const enum Tuning {
  /** UTF-16 units (of a text) or bytes from which the native module hashes. */
  NativeFrom = 4096,
}

const enum K {
  M1 = 0x239b961b,
  M2 = 0xab0e9789,
  M3 = 0x38b34ae5,
  M4 = 0xa1e38b93,
  Fin1 = 0x85ebca6b,
  Fin2 = 0xc2b2ae35,
}

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

/** Mixes one word into a lane's state. */
function mix(h: number, word: number, m1: number, m2: number, r: number, add: number): number {
  let k = Math.imul(word, m1);
  k = rotl(k, r);
  k = Math.imul(k, m2);
  h ^= k;
  h = rotl(h, 19 - (r & 7));
  return (Math.imul(h, 5) + add) | 0;
}

function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, K.Fin1);
  h ^= h >>> 13;
  h = Math.imul(h, K.Fin2);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The state of a hash: four lanes. */
class Lanes {
  a: number;
  b: number;
  c: number;
  d: number;
  constructor(seed: number) {
    this.a = seed ^ 0x5bd1e995;
    this.b = seed ^ 0x1b873593;
    this.c = seed ^ 0xcc9e2d51;
    this.d = seed ^ 0x27d4eb2f;
  }

  /** Four words, one per lane. */
  round(w0: number, w1: number, w2: number, w3: number): void {
    this.a = mix(this.a, w0, K.M1, K.M2, 15, 0x561ccd1b);
    this.b = mix(this.b, w1, K.M2, K.M3, 16, 0x0bcaa747);
    this.c = mix(this.c, w2, K.M3, K.M4, 17, 0x96cd1c35);
    this.d = mix(this.d, w3, K.M4, K.M1, 18, 0x32ac3b17);
  }

  /** The hex digest, after `tail` (fewer than four words) and `length`. */
  finish(tail: readonly number[], length: number): string {
    this.round((tail[0] ?? 0) ^ tail.length, tail[1] ?? 0, tail[2] ?? 0, tail[3] ?? 0);
    let { a, b, c, d } = this;
    a ^= length;
    b ^= Math.floor(length / 0x100000000);
    a = (a + b + c + d) | 0;
    b = (b + a) | 0;
    c = (c + a) | 0;
    d = (d + a) | 0;
    a = avalanche(a);
    b = avalanche(b);
    c = avalanche(c);
    d = avalanche(d);
    a = (a + b + c + d) | 0;
    b = (b + a) | 0;
    c = (c + a) | 0;
    d = (d + a) | 0;
    return [a, b, c, d].map((x) => (x >>> 0).toString(16).padStart(8, '0')).join('');
  }
}

/**
 * The hash of a string's UTF-16 units (lone surrogates included), as 32 hex
 * digits; `seed` gives another, independent hash of the same text.
 */
export function hashText(text: string, seed = 0): string {
  if (text.length >= Tuning.NativeFrom) return nativeModule().hashText(text, seed >>> 0);
  const lanes = new Lanes(seed);
  const n = text.length;
  const whole = n - (n % 8);
  let i = 0;
  for (; i < whole; i += 8) {
    lanes.round(
      text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16),
      text.charCodeAt(i + 2) | (text.charCodeAt(i + 3) << 16),
      text.charCodeAt(i + 4) | (text.charCodeAt(i + 5) << 16),
      text.charCodeAt(i + 6) | (text.charCodeAt(i + 7) << 16),
    );
  }
  const tail: number[] = [];
  for (; i < n; i += 2) tail.push(text.charCodeAt(i) | (i + 1 < n ? text.charCodeAt(i + 1) << 16 : 0));
  return lanes.finish(tail, n);
}

/** Mixed into the seed of a hash of bytes: bytes and a text never share a hash by construction. */
const BYTES_SEED = 0x7f4a7c15;

/** The hash of bytes (words read little-endian), as 32 hex digits. */
export function hashBytes(bytes: Uint8Array, seed = 0): string {
  if (bytes.length >= Tuning.NativeFrom) return nativeModule().hashBytes(bytes, (seed ^ BYTES_SEED) >>> 0);
  const lanes = new Lanes(seed ^ BYTES_SEED);
  const n = bytes.length;
  const whole = n - (n % 16);
  const word = (j: number): number => bytes[j]! | (bytes[j + 1]! << 8) | (bytes[j + 2]! << 16) | (bytes[j + 3]! << 24);
  let i = 0;
  for (; i < whole; i += 16) lanes.round(word(i), word(i + 4), word(i + 8), word(i + 12));
  const tail: number[] = [];
  for (; i < n; i += 4) {
    let w = 0;
    for (let j = 0; j < 4 && i + j < n; j++) w |= bytes[i + j]! << (8 * j);
    tail.push(w);
  }
  return lanes.finish(tail, n);
}

/** `hashBytes` of the parts one after another, without joining them first (an encoded tree of tens of megabytes is written in parts). */
export function hashByteParts(parts: readonly Uint8Array[], seed = 0): string {
  let length = 0;
  for (const part of parts) length += part.length;
  if (length < Tuning.NativeFrom) return hashBytes(Buffer.concat(parts), seed);
  return nativeModule().hashParts(parts, (seed ^ BYTES_SEED) >>> 0);
}
