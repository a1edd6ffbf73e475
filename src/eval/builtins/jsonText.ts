/**
 * JSON text as Nix reads and writes it (Nix uses the nlohmann library, whose
 * choices are observable in `toJSON` output and `fromJSON` results):
 * - strings escape only `"`, `\` and control characters (`\n`, `\t`, ...,
 *   others as `\u00XX`); `/` and non-ASCII text are written as they are;
 * - floats are written with Grisu2's round-trip digits (grisu2.ts), with `.0`
 *   added to integral values and exponents of at least two digits (`1e+20`, `1e-05`);
 * - strings must be valid UTF-8 both ways (Nix strings are bytes, JSON text
 *   is not): writing refuses other bytes with nlohmann's message, reading
 *   refuses them and unpaired `\uD800`-style surrogates;
 * - reading, an integer literal becomes a Nix int (an error beyond 64 bits),
 *   anything with a fraction or exponent a float; a string containing a NUL
 *   is rejected, as Nix strings cannot hold one; columns in messages count
 *   bytes.
 * The parser builds Nix values directly, so it also keeps attribute order.
 */
import { NixAttrs, NixFloat, NixList, type Lazy, type Value } from '../value/index.js';
import { normInt } from '../value/int.js';
import { encodeBytes, fromLatin1, hasEscapes, toLatin1 } from '../value/bytes.js';
import { grisu2 } from './grisu2.js';

/** Writes a JSON string literal as nlohmann does. */
export function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20) out += s[i];
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else out += '\\u' + c.toString(16).padStart(4, '0');
  }
  return out + '"';
}

/**
 * Why nlohmann refuses to write `s` (a Nix string holding bytes that are not
 * UTF-8), in its words, or undefined. Its decoder stops at the first byte that
 * cannot continue a character, which may be the byte after a lead byte.
 */
export function utf8Refusal(s: string): string | undefined {
  if (!hasEscapes(s)) return undefined;
  const b = encodeBytes(s);
  const hex = (x: number) => '0x' + x.toString(16).toUpperCase().padStart(2, '0');
  for (let i = 0; i < b.length; ) {
    const need = utf8Continuations(b[i]);
    if (need < 0) return `[json.exception.type_error.316] invalid UTF-8 byte at index ${i}: ${hex(b[i])}`;
    for (let k = 1; k <= need; k++) {
      if (i + k >= b.length) return `[json.exception.type_error.316] incomplete UTF-8 string; last byte: ${hex(b[b.length - 1])}`;
      if (!continues(b[i], k, b[i + k])) return `[json.exception.type_error.316] invalid UTF-8 byte at index ${i + k}: ${hex(b[i + k])}`;
    }
    i += need + 1;
  }
  return undefined;
}

/** How many continuation bytes a UTF-8 lead byte takes, or -1 for a byte no character starts with (RFC 3629). */
function utf8Continuations(lead: number): number {
  if (lead < 0x80) return 0;
  if (lead >= 0xc2 && lead <= 0xdf) return 1;
  if (lead >= 0xe0 && lead <= 0xef) return 2;
  if (lead >= 0xf0 && lead <= 0xf4) return 3;
  return -1;
}

/** Whether `byte` may be continuation byte `k` (1-based) after `lead`: E0, ED, F0 and F4 narrow the first one. */
function continues(lead: number, k: number, byte: number): boolean {
  let lo = 0x80;
  let hi = 0xbf;
  if (k === 1) {
    if (lead === 0xe0) lo = 0xa0;
    else if (lead === 0xed) hi = 0x9f;
    else if (lead === 0xf0) lo = 0x90;
    else if (lead === 0xf4) hi = 0x8f;
  }
  return byte >= lo && byte <= hi;
}

/** Writes a float as nlohmann's `dump` does. */
export function jsonFloat(x: number): string {
  if (!Number.isFinite(x)) return 'null';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const { digits, exponent } = grisu2(Math.abs(x));
  const k = digits.length;
  const n = k + exponent; // the decimal point sits after n digits
  let body: string;
  if (k <= n && n <= 15) body = digits + '0'.repeat(n - k) + '.0';
  else if (0 < n && n <= 15) body = digits.slice(0, n) + '.' + digits.slice(n);
  else if (-4 < n && n <= 0) body = '0.' + '0'.repeat(-n) + digits;
  else {
    const e = n - 1;
    const exp = (e < 0 ? '-' : '+') + String(Math.abs(e)).padStart(2, '0');
    body = (k === 1 ? digits : digits[0] + '.' + digits.slice(1)) + 'e' + exp;
  }
  return sign + body;
}

/** A fromJSON failure; the message is Nix's text after "error: ". */
export class JsonError extends Error {}

const MAX64 = (1n << 63n) - 1n;
const MIN64 = -(1n << 63n);

/**
 * Parses JSON text into Nix values (eager: the result is fully built). The
 * text is read one character per byte (value/bytes.ts), as nlohmann reads it:
 * its UTF-8 checks and its columns are about bytes.
 */
export function parseJson(input: string): Value {
  const text = toLatin1(input);
  let i = 0;
  /** `lastRead`: the token read so far (nlohmann shows it), when it is more than the character at `i`. */
  const fail = (what: string, lastRead?: string): never => {
    const at = lastRead !== undefined ? `'${fromLatin1(lastRead)}'` : i >= text.length ? 'end of input' : `'${fromLatin1(text[i])}'`;
    throw new JsonError(
      `[json.exception.parse_error.101] parse error at line ${lineOf(text, i)}, column ${colOf(text, i)}: syntax error while parsing value - ${what}; last read: ${at}`,
    );
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const noNul = (s: string): string => {
    if (s.includes('\0')) {
      throw new JsonError(`input string '${s.replace(/\0/g, '␀')}' cannot be represented as Nix string because it contains null bytes`);
    }
    return s;
  };
  const str = (): string => {
    const start = i;
    i++; // opening quote
    // Built one character per byte, like `text`.
    let out = '';
    /** Fails at the character at `i`, read as part of the string token. */
    const failHere = (what: string): never => fail(what, text.slice(start, i + 1));
    for (;;) {
      if (i >= text.length) fail('unexpected end of input');
      const c = text[i];
      if (c === '"') { i++; return noNul(fromLatin1(out)); }
      if (c === '\\') {
        const e = text[i + 1];
        i += 2;
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const unit = (): number => {
              const hex = text.slice(i, i + 4);
              if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("invalid string: '\\u' must be followed by 4 hex digits");
              i += 4;
              return parseInt(hex, 16);
            };
            let cp = unit();
            if (cp >= 0xdc00 && cp <= 0xdfff) {
              i--;
              failHere('invalid string: surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF');
            }
            if (cp >= 0xd800 && cp <= 0xdbff) {
              const high = cp;
              if (text[i] !== '\\' || text[i + 1] !== 'u') {
                // nlohmann has read one character past the escape, or two.
                if (text[i] === '\\') i++;
                failHere('invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF');
              }
              i += 2;
              const low = unit();
              if (low < 0xdc00 || low > 0xdfff) {
                i--;
                failHere('invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF');
              }
              cp = 0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00);
            }
            out += Buffer.from(String.fromCodePoint(cp), 'utf8').toString('latin1');
            break;
          }
          default:
            i -= 2;
            fail('invalid string: forbidden character after backslash');
        }
        continue;
      }
      const code = c.charCodeAt(0);
      if (code < 0x20) fail('invalid string: control character must be escaped');
      if (code >= 0x80) {
        // One UTF-8 character, checked byte by byte: nlohmann stops at the first byte out of place.
        const need = utf8Continuations(code);
        if (need < 0) failHere('invalid string: ill-formed UTF-8 byte');
        for (let k = 1; k <= need; k++) {
          i++;
          if (i >= text.length || !continues(code, k, text.charCodeAt(i))) failHere('invalid string: ill-formed UTF-8 byte');
        }
        out += text.slice(i - need, i + 1);
        i++;
        continue;
      }
      out += c;
      i++;
    }
  };
  const num = (): Value => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-') fail('invalid number');
    i += m![0].length;
    if (m![2] === undefined && m![3] === undefined) {
      const b = BigInt(m![0]);
      if (b > MAX64) {
        // nlohmann reads it as unsigned up to 2^64-1, then Nix refuses it;
        // beyond that it becomes a float.
        if (b <= (1n << 64n) - 1n) throw new JsonError(`unsigned json number ${b} outside of Nix integer range`);
        return new NixFloat(Number(m![0]));
      }
      if (b < MIN64) return new NixFloat(Number(m![0]));
      return normInt(b);
    }
    return new NixFloat(Number(m![0]));
  };
  const value = (depth: number): Value => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const map = new Map<string, Lazy>();
      ws();
      if (text[i] === '}') { i++; return new NixAttrs(map); }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("invalid literal; expected string literal");
        const k = str();
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        const v = value(depth + 1);
        // Duplicate keys: the last one wins, as in Nix.
        map.set(k, v);
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return new NixAttrs(map); }
        fail("expected '}'");
      }
    }
    if (c === '[') {
      i++;
      const items: Lazy[] = [];
      ws();
      if (text[i] === ']') { i++; return new NixList(items); }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return new NixList(items); }
        fail("expected ']'");
      }
    }
    if (c === '"') return str();
    if (c === '-' || (c >= '0' && c <= '9')) return num();
    if (text.startsWith('true', i)) { i += 4; return true; }
    if (text.startsWith('false', i)) { i += 5; return false; }
    if (text.startsWith('null', i)) { i += 4; return null; }
    return fail(i >= text.length ? 'unexpected end of input; expected value' : 'invalid literal');
  };
  const v = value(0);
  ws();
  if (i < text.length) fail('unexpected trailing input; expected end of input');
  return v;
}

function lineOf(text: string, i: number): number {
  let n = 1;
  for (let j = 0; j < i && j < text.length; j++) if (text[j] === '\n') n++;
  return n;
}

function colOf(text: string, i: number): number {
  const nl = text.lastIndexOf('\n', i - 1);
  return Math.min(i, text.length) - nl;
}
