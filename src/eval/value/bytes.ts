/**
 * Nix strings are byte strings; tsportable keeps them as JavaScript strings.
 *
 * The mapping is UTF-8 decoding with "surrogate escapes" (as Python's
 * `surrogateescape`): bytes that form valid UTF-8 become the characters they
 * encode, and every byte that does not (0x80–0xFF outside a valid sequence)
 * becomes the lone low surrogate U+DC80–U+DCFF of the same low byte. Valid
 * UTF-8 never decodes to a lone surrogate, so the mapping is one-to-one: every
 * byte string has exactly one JavaScript form (its *canonical* form), and
 * `encodeBytes(decodeBytes(b))` gives `b` back, byte for byte.
 *
 * Why this form and not one character per byte: almost every string a Nix
 * file holds is valid UTF-8, and in this form it is ordinary JavaScript text:
 * messages, paths, JSON and terminals need no conversion, equality is `===`,
 * and only the operations that count or cut bytes (`stringLength`,
 * `substring`, `replaceStrings`, regular expressions, hashes) and the edges
 * where bytes leave or enter the process (files, stdout, Nix processes) have
 * to think about bytes, through the functions below.
 *
 * The one rule that keeps forms canonical: joining two strings can join the
 * escaped halves of a character (`substring 0 1 "é" + substring 1 1 "é"`),
 * so concatenation goes through `concatBytes`, which re-reads the junction.
 */
import { Buffer, isUtf8 } from 'node:buffer';

const ESCAPE_BASE = 0xdc00;

/** Whether the code unit at `i` of `s` is an escaped byte (a lone U+DC80–U+DCFF). */
function isEscapeAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 0xdc80 || c > 0xdcff) return false;
  if (i === 0) return true;
  const before = s.charCodeAt(i - 1);
  return before < 0xd800 || before > 0xdbff;
}

/** Lone surrogates (escaped bytes, or stray ones from elsewhere): the only strings that need the slow paths. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether `s` holds escaped bytes (is not valid UTF-8 as a byte string). */
export function hasEscapes(s: string): boolean {
  return LONE_SURROGATE.test(s);
}

/** Whether every character of `s` is ASCII: then characters are bytes and JS string operations are byte operations. */
export function isAscii(s: string): boolean {
  if (s.length < 64) return ASCII.test(s);
  // `substring i 1 s` over a whole string asks about the same long string each time.
  if (s !== lastChecked) {
    lastAscii = ASCII.test(s);
    lastChecked = s;
  }
  return lastAscii;
}

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;
let lastChecked = '';
let lastAscii = true;

/** The canonical string of some bytes (file contents, a process's output). */
export function decodeBytes(bytes: Uint8Array): string {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(buf)) return buf.toString('utf8');
  let out = '';
  let i = 0;
  const n = buf.length;
  while (i < n) {
    const b = buf[i]!;
    if (b < 0x80) {
      // Runs of ASCII in one go.
      let j = i + 1;
      while (j < n && buf[j]! < 0x80) j++;
      out += buf.toString('latin1', i, j);
      i = j;
      continue;
    }
    const len = sequenceLength(buf, i);
    if (len === 0) {
      out += String.fromCharCode(ESCAPE_BASE + b);
      i++;
    } else {
      out += buf.toString('utf8', i, i + len);
      i += len;
    }
  }
  return out;
}

/** The length of the valid UTF-8 sequence starting at `i` (RFC 3629: no overlongs, no surrogates, at most U+10FFFF), or 0. */
function sequenceLength(buf: Uint8Array, i: number): number {
  const b = buf[i]!;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < buf.length && buf[i + k]! >= lo && buf[i + k]! <= hi;
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (b === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b >= 0xe1 && b <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b >= 0xf1 && b <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/**
 * The bytes of a string: UTF-8, with escaped bytes written as themselves.
 * A stray lone surrogate that is no escape (U+D800–U+DC7F, U+DD00–U+DFFF:
 * only a JSON `\ud800` makes one) is written as U+FFFD, as Node does.
 */
export function encodeBytes(s: string): Buffer {
  if (!LONE_SURROGATE.test(s)) return Buffer.from(s, 'utf8');
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    if (isEscapeAt(s, i)) {
      if (i > from) parts.push(Buffer.from(s.slice(from, i), 'utf8'));
      parts.push(Buffer.of(s.charCodeAt(i) - ESCAPE_BASE));
      from = i + 1;
    }
  }
  if (from < s.length) parts.push(Buffer.from(s.slice(from), 'utf8'));
  return Buffer.concat(parts);
}

/**
 * The byte offset of each UTF-16 index of `s` (and of its end), for turning
 * JS offsets into the byte columns Nix prints: both halves of a surrogate
 * pair get the pair's offset, an escaped byte counts one.
 */
export function byteOffsets(s: string): Uint32Array {
  const out = new Uint32Array(s.length + 1);
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    out[i] = bytes;
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      out[++i] = out[i - 1];
    } else if (isEscapeAt(s, i)) bytes += 1;
    else bytes += 3;
  }
  out[s.length] = bytes;
  return out;
}

/** The number of bytes of a string. */
export function byteLength(s: string): number {
  if (isAscii(s)) return s.length;
  return hasEscapes(s) ? encodeBytes(s).length : Buffer.byteLength(s, 'utf8');
}

/**
 * One character per byte (char code = byte): the form in which byte-level
 * algorithms (regular expressions, byte offsets, byte searches) can use
 * JavaScript's string operations. Never a value's form: convert back with
 * `fromLatin1`.
 */
export function toLatin1(s: string): string {
  if (isAscii(s)) return s;
  // `substring i 1 s` over a whole string converts the same string each time.
  if (s !== lastText) {
    lastLatin1 = encodeBytes(s).toString('latin1');
    lastText = s;
  }
  return lastLatin1;
}

let lastText = '';
let lastLatin1 = '';

/** The canonical string of a one-character-per-byte string. */
export function fromLatin1(s: string): string {
  return isAscii(s) ? s : decodeBytes(Buffer.from(s, 'latin1'));
}

/** `a + b` in canonical form: escaped bytes on both sides of the junction may form a character together. */
export function concatBytes(a: string, b: string): string {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  if (!isEscapeAt(b, 0) || !isEscapeAt(a, a.length - 1)) return a + b;
  // At most three escaped bytes on each side can belong to one character.
  let i = a.length - 1;
  while (i > 0 && a.length - i < 3 && isEscapeAt(a, i - 1)) i--;
  let j = 1;
  while (j < b.length && j < 3 && isEscapeAt(b, j)) j++;
  return a.slice(0, i) + fromLatin1(toLatin1(a.slice(i) + b.slice(0, j))) + b.slice(j);
}

/** Bytes `start` to `end` (exclusive, clamped) of `s`, canonical. */
export function sliceBytes(s: string, start: number, end: number): string {
  if (isAscii(s)) return s.slice(start, end);
  return fromLatin1(toLatin1(s).slice(start, end));
}

/**
 * The canonical form of a string whose escaped bytes may have been put side
 * by side without `concatBytes`: an unescaped string literal, where the
 * bytes C3, `\`, A9 of a file are the two bytes of "é".
 */
export function canonicalBytes(s: string): string {
  return hasEscapes(s) ? decodeBytes(encodeBytes(s)) : s;
}

/**
 * Orders strings by their bytes, as Nix compares strings (`<`, `sort`,
 * attribute names): negative, zero or positive. Below U+D800 UTF-16 code
 * units are in code point order, which UTF-8 keeps; from the first
 * difference involving a surrogate (a pair, an escaped byte) or U+E000 and
 * above, the rest is compared as bytes.
 */
export function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x - y;
    // Start at the character: a differing low surrogate belongs to the pair before it.
    const before = i > 0 ? a.charCodeAt(i - 1) : 0;
    const from = before >= 0xd800 && before <= 0xdbff ? i - 1 : i;
    return Buffer.compare(encodeBytes(a.slice(from)), encodeBytes(b.slice(from)));
  }
  if (a.length === b.length) return 0;
  return a.length < b.length ? -1 : 1;
}

/**
 * Sorts `xs` in place by bytes (as `compareBytes`). Names below U+D800 (all
 * of them, nearly always) are in byte order by their code units, which the
 * engine's own sort compares without calling back into JavaScript.
 */
export function sortByBytes(xs: string[]): string[] {
  for (let i = 0; i < xs.length; i++) if (BEYOND_CODE_UNIT_ORDER.test(xs[i])) return xs.sort(compareBytes);
  return xs.sort();
}

/** The code units from which UTF-16 order and byte order can differ (compareBytes). */
const BEYOND_CODE_UNIT_ORDER = /[\ud800-\uffff]/;

/** A path for `node:fs`: a string, or its bytes when it holds bytes that are not UTF-8. */
export function osPath(s: string): string | Buffer {
  return hasEscapes(s) ? encodeBytes(s) : s;
}

/** For messages shown to people: escaped bytes as U+FFFD (terminals and JSON want valid text). */
export function displayText(s: string): string {
  return hasEscapes(s) ? encodeBytes(s).toString('utf8') : s;
}
