/**
 * A TOML 1.0 reader producing Nix values, for `builtins.fromTOML`.
 *
 * What is hard: TOML's table rules. A key path may be defined once; `[a.b]`
 * may extend a table created implicitly by `[a.b.c]` or by a dotted key, but
 * not one written out with `[a.b]` before; inline tables and static arrays are
 * closed; `[[a]]` appends a table to an array of tables and later `[a.x]`
 * headers go into its last element. The reader builds a small mutable tree
 * that records how each table came to be, then converts it to Nix values.
 *
 * Dates and times are errors ("Dates and times are not supported"), unless
 * the caller asks for Nix's experimental `{ _type = "timestamp"; value; }`
 * form, with the fraction of seconds written in 3, 6 or 9 digits as Nix does.
 */
import { NixAttrs, NixFloat, NixList, type Lazy, type Value } from '../value/index.js';
import { normInt } from '../value/int.js';
import { hasEscapes } from '../value/bytes.js';

export class TomlError extends Error {}

type Origin = 'header' | 'implicit' | 'dotted' | 'inline' | 'aot-elem';
interface Table { kind: 'table'; origin: Origin; entries: Map<string, Node> }
interface Arr { kind: 'array'; static: boolean; items: Node[] }
interface Leaf { kind: 'leaf'; value: Value }
type Node = Table | Arr | Leaf;

const table = (origin: Origin): Table => ({ kind: 'table', origin, entries: new Map() });

export function parseToml(text: string, timestamps: boolean): Value {
  let i = 0;
  let line = 1;
  const fail = (msg: string, where = 'parse'): never => {
    throw new TomlError(`[error] toml::${where}: ${msg}\n --> fromTOML\n   |\n ${line} | ${text.split('\n')[line - 1] ?? ''}`);
  };
  const peek = (s: string) => text.startsWith(s, i);
  const skipWs = () => {
    while (text[i] === ' ' || text[i] === '\t') i++;
  };
  const skipComment = () => {
    if (text[i] === '#') {
      while (i < text.length && text[i] !== '\n') {
        const c = text.charCodeAt(i);
        if ((c < 0x20 && c !== 0x09) || c === 0x7f) fail('control character in comment');
        i++;
      }
    }
  };
  const newline = (): boolean => {
    if (text[i] === '\n') { i++; line++; return true; }
    if (text[i] === '\r' && text[i + 1] === '\n') { i += 2; line++; return true; }
    return false;
  };
  /** Skips whitespace, comments and newlines (inside arrays). */
  const skipAll = () => {
    for (;;) {
      skipWs();
      skipComment();
      if (!newline()) return;
    }
  };
  // TOML text is UTF-8: bytes that are not (value/bytes.ts) are refused, as Nix's toml11 refuses them.
  const bad = hasEscapes(text) ? text.search(/(?<![\ud800-\udbff])[\udc80-\udcff]/) : -1;
  if (bad >= 0) {
    line = text.slice(0, bad).split('\n').length;
    fail('invalid UTF-8 sequence found');
  }

  const endOfLine = () => {
    skipWs();
    skipComment();
    if (i < text.length && !newline()) fail('expected newline');
  };

  const basicString = (): string => {
    let out = '';
    const multi = peek('"""');
    i += multi ? 3 : 1;
    if (multi) newline();
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      if (multi && peek('"""')) {
        // Up to two extra quotes may close the string ("""a""""").
        let n = 3;
        while (text[i + n] === '"' && n < 5) n++;
        out += '"'.repeat(n - 3);
        i += n;
        return out;
      }
      if (!multi && text[i] === '"') { i++; return out; }
      const c = text[i];
      if (c === '\\') {
        const e = text[i + 1];
        if (multi && (e === ' ' || e === '\t' || e === '\n' || e === '\r')) {
          // Line-ending backslash: trim whitespace and newlines that follow.
          let j = i + 1;
          while (text[j] === ' ' || text[j] === '\t') j++;
          if (text[j] !== '\n' && !(text[j] === '\r' && text[j + 1] === '\n')) fail('invalid escape');
          i = j;
          while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) {
            if (text[i] === '\n') line++;
            i++;
          }
          continue;
        }
        i += 2;
        const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
        if (e in simple) { out += simple[e]; continue; }
        if (e === 'u' || e === 'U') {
          const len = e === 'u' ? 4 : 8;
          const hex = text.slice(i, i + len);
          if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) fail('invalid unicode escape');
          const cp = parseInt(hex, 16);
          if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) fail('invalid unicode scalar');
          out += String.fromCodePoint(cp);
          i += len;
          continue;
        }
        fail('invalid escape sequence');
      }
      if (c === '\n' || c === '\r') {
        if (!multi) fail('newline in string');
        if (newline()) { out += '\n'; continue; }
      }
      const code = c.charCodeAt(0);
      if ((code < 0x20 && code !== 0x09) || code === 0x7f) fail('control character in string');
      out += c;
      i++;
    }
  };

  const literalString = (): string => {
    const multi = peek("'''");
    i += multi ? 3 : 1;
    if (multi) newline();
    let out = '';
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      if (multi && peek("'''")) {
        let n = 3;
        while (text[i + n] === "'" && n < 5) n++;
        out += "'".repeat(n - 3);
        i += n;
        return out;
      }
      if (!multi && text[i] === "'") { i++; return out; }
      if (text[i] === '\n' || text[i] === '\r') {
        if (!multi) fail('newline in string');
        if (newline()) { out += '\n'; continue; }
      }
      const code = text.charCodeAt(i);
      if ((code < 0x20 && code !== 0x09) || code === 0x7f) fail('control character in string');
      out += text[i++];
    }
  };

  const simpleKey = (): string => {
    if (text[i] === '"') {
      if (peek('"""')) fail('multi-line string as key');
      return basicString();
    }
    if (text[i] === "'") {
      if (peek("'''")) fail('multi-line string as key');
      return literalString();
    }
    const m = /^[A-Za-z0-9_-]+/.exec(text.slice(i, i + 256));
    if (!m) fail('expected a key');
    let k = m![0];
    i += k.length;
    while (/[A-Za-z0-9_-]/.test(text[i] ?? '')) k += text[i++];
    return k;
  };
  const keyPath = (): string[] => {
    const ks = [simpleKey()];
    for (;;) {
      skipWs();
      if (text[i] !== '.') return ks;
      i++;
      skipWs();
      ks.push(simpleKey());
    }
  };

  const timestamp = (m: string): Value => {
    if (!timestamps) throw new TomlError('Dates and times are not supported');
    let s = m.replace(/^(\d{4}-\d{2}-\d{2})[Tt ]/, '$1T').replace(/z$/, 'Z');
    s = s.replace(/\.(\d+)/, (_, f: string) => {
      const len = f.length <= 3 ? 3 : f.length <= 6 ? 6 : 9;
      return '.' + f.slice(0, 9).padEnd(len, '0');
    });
    return new NixAttrs(new Map<string, Lazy>([['_type', 'timestamp'], ['value', s]]));
  };

  const number = (): Value => {
    const rest = text.slice(i, i + 128);
    const dt = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})?)?|^\d{2}:\d{2}:\d{2}(?:\.\d+)?/.exec(rest);
    if (dt) {
      // "1979-05-27 07" with a space but no time is a date followed by junk.
      i += dt[0].length;
      return timestamp(dt[0]);
    }
    let m = /^[+-]?(inf|nan)/.exec(rest);
    if (m) {
      i += m[0].length;
      const neg = m[0][0] === '-';
      return new NixFloat(m[1] === 'inf' ? (neg ? -Infinity : Infinity) : NaN);
    }
    m = /^0x[0-9A-Fa-f](_?[0-9A-Fa-f])*|^0o[0-7](_?[0-7])*|^0b[01](_?[01])*/.exec(rest);
    if (m) {
      i += m[0].length;
      const digits = m[0].slice(2).replace(/_/g, '');
      const base = { x: 16, o: 8, b: 2 }[m[0][1] as 'x' | 'o' | 'b'];
      let v = 0n;
      for (const d of digits) v = v * BigInt(base) + BigInt(parseInt(d, base));
      return checkInt(v);
    }
    m = /^[+-]?(0|[1-9](_?[0-9])*)(\.[0-9](_?[0-9])*)?([eE][+-]?[0-9](_?[0-9])*)?/.exec(rest);
    if (!m) fail('expected a value');
    i += m![0].length;
    const clean = m![0].replace(/_/g, '');
    if (m![3] === undefined && m![5] === undefined) return checkInt(BigInt(clean));
    return new NixFloat(Number(clean));
  };
  const checkInt = (v: bigint): Value => {
    if (v > (1n << 63n) - 1n || v < -(1n << 63n)) fail('too large integer: current max digits = 2^63', 'parse_dec_integer');
    return normInt(v);
  };

  const value = (): Node => {
    const c = text[i];
    if (c === '"') return { kind: 'leaf', value: basicString() };
    if (c === "'") return { kind: 'leaf', value: literalString() };
    if (peek('true')) { i += 4; return { kind: 'leaf', value: true }; }
    if (peek('false')) { i += 5; return { kind: 'leaf', value: false }; }
    if (c === '[') {
      i++;
      const items: Node[] = [];
      for (;;) {
        skipAll();
        if (text[i] === ']') { i++; break; }
        items.push(value());
        skipAll();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; break; }
        fail("expected ',' or ']'");
      }
      return { kind: 'array', static: true, items };
    }
    if (c === '{') {
      i++;
      const t = table('inline');
      skipWs();
      if (text[i] === '}') { i++; return t; }
      for (;;) {
        skipWs();
        keyValue(t);
        skipWs();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; break; }
        fail("expected ',' or '}'");
      }
      close(t);
      return t;
    }
    return { kind: 'leaf', value: number() };
  };

  /** Marks an inline table (and its dotted sub-tables) as closed to later additions. */
  const close = (t: Table) => {
    t.origin = 'inline';
    for (const n of t.entries.values()) if (n.kind === 'table' && n.origin === 'dotted') close(n);
  };

  const keyValue = (into: Table) => {
    const ks = keyPath();
    skipWs();
    if (text[i] !== '=') fail("expected '='");
    i++;
    skipWs();
    let t = into;
    for (const k of ks.slice(0, -1)) {
      const n = t.entries.get(k);
      if (!n) {
        const nt = table('dotted');
        t.entries.set(k, nt);
        t = nt;
      } else if (n.kind === 'table' && (n.origin === 'dotted' || (n.origin === 'implicit' && t === into))) {
        t = n;
      } else fail(`cannot redefine key '${k}'`);
    }
    const last = ks[ks.length - 1];
    if (t.entries.has(last)) fail(`duplicate key '${last}'`);
    t.entries.set(last, value());
  };

  const root = table('header');
  let current = root;
  for (;;) {
    skipAll();
    if (i >= text.length) break;
    if (text[i] === '[') {
      const aot = peek('[[');
      i += aot ? 2 : 1;
      skipWs();
      const ks = keyPath();
      skipWs();
      if (aot ? !peek(']]') : text[i] !== ']') fail('expected end of table header');
      i += aot ? 2 : 1;
      endOfLine();
      let t = root;
      ks.forEach((k, idx) => {
        const lastKey = idx === ks.length - 1;
        const n = t.entries.get(k);
        if (lastKey) {
          if (aot) {
            const elem = table('aot-elem');
            if (!n) t.entries.set(k, { kind: 'array', static: false, items: [elem] });
            else if (n.kind === 'array' && !n.static) n.items.push(elem);
            else fail(`cannot redefine key '${k}' as an array of tables`);
            t = elem;
          } else if (!n) {
            const nt = table('header');
            t.entries.set(k, nt);
            t = nt;
          } else if (n.kind === 'table' && n.origin === 'implicit') {
            n.origin = 'header';
            t = n;
          } else fail(`cannot redefine table '${k}'`);
          return;
        }
        if (!n) {
          const nt = table('implicit');
          t.entries.set(k, nt);
          t = nt;
        } else if (n.kind === 'table' && n.origin !== 'inline') t = n;
        else if (n.kind === 'array' && !n.static) t = n.items[n.items.length - 1] as Table;
        else fail(`key '${k}' is not a table`);
      });
      current = t;
      continue;
    }
    keyValue(current);
    endOfLine();
  }
  return toValue(root);
}

function toValue(n: Node): Value {
  switch (n.kind) {
    case 'leaf':
      return typeof n.value === 'string' ? noNul(n.value) : n.value;
    case 'array':
      return new NixList(n.items.map(toValue));
    case 'table': {
      const map = new Map<string, Lazy>();
      for (const [k, v] of n.entries) map.set(noNul(k), toValue(v));
      return new NixAttrs(map);
    }
  }
}

function noNul(s: string): string {
  if (s.includes('\0')) {
    throw new TomlError(`error: input string '${s.replace(/\0/g, '␀')}' cannot be represented as Nix string because it contains null bytes`);
  }
  return s;
}
