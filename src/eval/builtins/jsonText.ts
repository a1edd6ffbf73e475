/**
 * JSON text as Nix reads and writes it (Nix uses the nlohmann library, whose
 * choices are observable in `toJSON` output and `fromJSON` results):
 * - strings escape only `"`, `\` and control characters (`\n`, `\t`, ...,
 *   others as `\u00XX`); `/` and non-ASCII text are written as they are;
 * - floats are written with Grisu2's round-trip digits (grisu2.ts), with `.0`
 *   added to integral values and exponents of at least two digits (`1e+20`, `1e-05`);
 * - reading, an integer literal becomes a Nix int (an error beyond 64 bits),
 *   anything with a fraction or exponent a float; a string containing a NUL
 *   is rejected, as Nix strings cannot hold one.
 * The parser builds Nix values directly, so it also keeps attribute order.
 */
import { NixAttrs, NixFloat, NixList, type Lazy, type Value } from '../value/index.js';
import { normInt } from '../value/int.js';
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

/** Parses JSON text into Nix values (eager: the result is fully built). */
export function parseJson(text: string): Value {
  let i = 0;
  const fail = (what: string): never => {
    const at = i >= text.length ? 'end of input' : `'${text[i]}'`;
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
    i++; // opening quote
    let out = '';
    for (;;) {
      if (i >= text.length) fail('unexpected end of input');
      const c = text[i];
      if (c === '"') { i++; return noNul(out); }
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
            const hex = text.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("invalid string: '\\u' must be followed by 4 hex digits");
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            i -= 2;
            fail('invalid string: forbidden character after backslash');
        }
        continue;
      }
      if (c.charCodeAt(0) < 0x20) fail('invalid string: control character must be escaped');
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
