/**
 * POSIX extended regular expressions (what `builtins.match` and
 * `builtins.split` take), read exactly as Nix reads them: with libstdc++'s
 * `std::regex(re, std::regex::extended)`. The parser follows libstdc++'s
 * scanner and compiler, whose choices differ from other ERE readers and from
 * JavaScript:
 * - inside brackets a backslash is an ordinary character (`[\]` is one
 *   backslash), `]` first in a bracket is literal, a `-` may only start or end
 *   a bracket or a range, classes are `[:alpha:]`-style (the C locale's, and
 *   `d`, `s`, `w`), `[.name.]` and `[=name=]` take only the POSIX names of
 *   the 128 ASCII characters (single letters among them), and an equivalence
 *   class holds both cases of a letter;
 * - characters are C++ `char`s, signed: a range is compared as signed bytes,
 *   so `[a-\xe9]` is invalid and `[\x80-\xff]` holds the bytes 80 to FF;
 * - outside brackets only the special characters may be escaped (`\d`, `\b`,
 *   back-references are errors), `(?` is not a group extension; a quantifier
 *   after a quantifier applies to the quantified atom (`a+?` is `(a+)?`, not
 *   lazy); an assertion takes no quantifier;
 * - `.` matches anything but NUL, newlines too;
 * - braces must form a valid interval.
 * Anything libstdc++ refuses is an invalid pattern, which the builtins report
 * as Nix does ("invalid regular expression '...'").
 *
 * Patterns and subjects are strings of one character per byte (value/bytes.ts
 * `toLatin1`), or ASCII. The result of parsing is a tree (`Ere`) that two
 * matchers share: JavaScript's RegExp, fast, where it is known to give
 * libstdc++'s results (`jsAgrees`), and stdRegex.ts, libstdc++'s own
 * backtracking executor, everywhere else.
 */

/** Thrown for a pattern that is not a valid ERE; the builtin turns it into a NixError. */
export class InvalidRegex extends Error {}

/**
 * A parsed ERE, shaped as libstdc++'s compiler builds its automaton: `alt`
 * nests to the left (`a|b|c` is `alt(alt(a, b), c)`), and the quantifiers
 * keep their own kind, since `*`, `+`, `?` and intervals make different states.
 */
export type Ere =
  | { readonly kind: 'empty' }
  | { readonly kind: 'char'; readonly code: number }
  /** `.`: any character but NUL. */
  | { readonly kind: 'any' }
  /** A bracket expression: which of the 256 byte values it matches. */
  | { readonly kind: 'set'; readonly bytes: Uint8Array }
  | { readonly kind: 'bol' }
  | { readonly kind: 'eol' }
  | { readonly kind: 'group'; readonly index: number; readonly body: Ere }
  | { readonly kind: 'seq'; readonly items: readonly Ere[] }
  | { readonly kind: 'alt'; readonly left: Ere; readonly right: Ere }
  | { readonly kind: 'repeat'; readonly op: '*' | '+' | '?'; readonly body: Ere }
  | { readonly kind: 'interval'; readonly body: Ere; readonly min: number; readonly max: number };

export interface ParsedEre {
  readonly root: Ere;
  /** The number of capture groups. */
  readonly groups: number;
}

/** The characters that are special outside brackets (and so may be escaped). */
const SPECIAL = '.[\\()*+?{|^$';

/** The C locale's character classes, as libstdc++'s `lookup_classname` names them (lowercased first). */
const CLASSES: Record<string, (c: number) => boolean> = {
  d: (c) => c >= 0x30 && c <= 0x39,
  w: (c) => isAlnum(c) || c === 0x5f,
  s: isSpace,
  alnum: isAlnum,
  alpha: isAlpha,
  blank: (c) => c === 0x20 || c === 0x09,
  cntrl: (c) => c < 0x20 || c === 0x7f,
  digit: (c) => c >= 0x30 && c <= 0x39,
  graph: (c) => c > 0x20 && c < 0x7f,
  lower: (c) => c >= 0x61 && c <= 0x7a,
  print: (c) => c >= 0x20 && c < 0x7f,
  punct: (c) => c > 0x20 && c < 0x7f && !isAlnum(c),
  space: isSpace,
  upper: (c) => c >= 0x41 && c <= 0x5a,
  xdigit: (c) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66),
};

function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isAlnum(c: number): boolean {
  return isAlpha(c) || (c >= 0x30 && c <= 0x39);
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/**
 * The POSIX names of the ASCII characters, by code (libstdc++'s
 * `lookup_collatename` table): `[.space.]`, `[.a.]`, but not `[.0.]` (that is `zero`).
 */
const COLLATE_NAMES = [
  'NUL', 'SOH', 'STX', 'ETX', 'EOT', 'ENQ', 'ACK', 'alert', 'backspace', 'tab', 'newline', 'vertical-tab', 'form-feed',
  'carriage-return', 'SO', 'SI', 'DLE', 'DC1', 'DC2', 'DC3', 'DC4', 'NAK', 'SYN', 'ETB', 'CAN', 'EM', 'SUB', 'ESC',
  'IS4', 'IS3', 'IS2', 'IS1', 'space', 'exclamation-mark', 'quotation-mark', 'number-sign', 'dollar-sign',
  'percent-sign', 'ampersand', 'apostrophe', 'left-parenthesis', 'right-parenthesis', 'asterisk', 'plus-sign', 'comma',
  'hyphen', 'period', 'slash', 'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'colon',
  'semicolon', 'less-than-sign', 'equals-sign', 'greater-than-sign', 'question-mark', 'commercial-at',
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'left-square-bracket', 'backslash', 'right-square-bracket', 'circumflex',
  'underscore', 'grave-accent', ...'abcdefghijklmnopqrstuvwxyz', 'left-curly-bracket', 'vertical-line',
  'right-curly-bracket', 'tilde', 'DEL',
];

/** A byte as the C++ `char` libstdc++ compares in ranges: signed. */
const signed = (c: number) => (c >= 0x80 ? c - 0x100 : c);

/** Parses an ERE (one character per byte); throws InvalidRegex. */
export function parseEre(re: string): ParsedEre {
  let i = 0;
  let groups = 0;

  const disjunction = (): Ere => {
    let left = alternative();
    while (re[i] === '|') {
      i++;
      left = { kind: 'alt', left, right: alternative() };
    }
    return left;
  };

  const alternative = (): Ere => {
    const items: Ere[] = [];
    for (;;) {
      const t = term();
      if (t === undefined) break;
      items.push(t);
    }
    if (items.length === 0) return { kind: 'empty' };
    return items.length === 1 ? items[0] : { kind: 'seq', items };
  };

  const term = (): Ere | undefined => {
    const c = re[i];
    if (c === '^' || c === '$') {
      i++;
      return { kind: c === '^' ? 'bol' : 'eol' };
    }
    let e = atom();
    if (e === undefined) return undefined;
    for (let q = quantifier(e); q !== undefined; q = quantifier(e)) e = q;
    return e;
  };

  const quantifier = (body: Ere): Ere | undefined => {
    const c = re[i];
    if (c === '*' || c === '+' || c === '?') {
      i++;
      return { kind: 'repeat', op: c, body };
    }
    if (c !== '{') return undefined;
    const m = /^\{(\d+)(,(\d*))?\}/.exec(re.slice(i));
    if (!m) throw new InvalidRegex('bad interval');
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (max < min) throw new InvalidRegex('bad interval');
    i += m[0].length;
    return { kind: 'interval', body, min, max };
  };

  const atom = (): Ere | undefined => {
    if (i >= re.length) return undefined;
    const c = re[i];
    switch (c) {
      case '.':
        i++;
        return { kind: 'any' };
      case '(': {
        i++;
        const index = ++groups;
        const body = disjunction();
        if (re[i] !== ')') throw new InvalidRegex('unmatched (');
        i++;
        return { kind: 'group', index, body };
      }
      case '[':
        i++;
        return { kind: 'set', bytes: bracket() };
      case '\\': {
        if (i + 1 >= re.length) throw new InvalidRegex('trailing backslash');
        const e = re[i + 1];
        // Nix's libstdc++ is built in strict mode: escaping an ordinary character is an error.
        if (!SPECIAL.includes(e)) throw new InvalidRegex(`bad escape \\${e}`);
        i += 2;
        return { kind: 'char', code: e.charCodeAt(0) };
      }
      case ')': case '|': case '*': case '+': case '?': case '{': case '^': case '$':
        // Not an atom: ends the alternative (a quantifier or assertion here leaves the pattern unread: invalid).
        return undefined;
      default:
        i++;
        return { kind: 'char', code: c.charCodeAt(0) };
    }
  };

  /** A bracket expression after its `[`, as libstdc++'s `_M_insert_bracket_matcher`. */
  const bracket = (): Uint8Array => {
    const bytes = new Uint8Array(256);
    let negate = false;
    if (re[i] === '^') { negate = true; i++; }
    const chars: number[] = [];
    const ranges: Array<[number, number]> = [];
    const classes: Array<(c: number) => boolean> = [];
    const equivalents: number[] = [];
    /** The character before a possible `-`, or 'class' after a class, or undefined. */
    let last: number | 'class' | undefined;
    const pushChar = (c: number) => {
      if (typeof last === 'number') chars.push(last);
      last = c;
    };
    const pushClass = () => {
      if (typeof last === 'number') chars.push(last);
      last = 'class';
    };
    /** One token: `end`, `dash`, a character, or a `[:x:]`/`[.x.]`/`[=x=]` item. */
    type Token = { t: 'end' } | { t: 'dash' } | { t: 'char'; c: number } | { t: 'class' | 'collate' | 'equiv'; name: string };
    let atStart = true;
    const next = (): Token => {
      if (i >= re.length) throw new InvalidRegex('unterminated bracket');
      const c = re[i++];
      const first = atStart;
      atStart = false;
      if (c === '-') return { t: 'dash' };
      if (c === '[' && (re[i] === ':' || re[i] === '.' || re[i] === '=')) {
        const kind = re[i++];
        const end = re.indexOf(kind, i);
        if (end < 0 || re[end + 1] !== ']') throw new InvalidRegex('unterminated class');
        const name = re.slice(i, end);
        i = end + 2;
        return { t: kind === ':' ? 'class' : kind === '.' ? 'collate' : 'equiv', name };
      }
      if (c === '[' && i >= re.length) throw new InvalidRegex('unterminated bracket');
      // `]` first in a bracket (after `[` or `[^`) is literal.
      if (c === ']' && !first) return { t: 'end' };
      return { t: 'char', c: c.charCodeAt(0) };
    };
    const collate = (name: string): number => {
      const code = COLLATE_NAMES.indexOf(name);
      if (code < 0) throw new InvalidRegex(`unknown collating element ${name}`);
      return code;
    };
    let tok = next();
    if (tok.t === 'char') { last = tok.c; tok = next(); } else if (tok.t === 'dash') { last = 0x2d; tok = next(); }
    for (;; tok = next()) {
      if (tok.t === 'end') break;
      if (tok.t === 'collate') {
        const code = collate(tok.name);
        chars.push(code);
        pushChar(code);
      } else if (tok.t === 'equiv') {
        pushClass();
        const code = collate(tok.name);
        equivalents.push(lower(code));
      } else if (tok.t === 'class') {
        pushClass();
        const cls = CLASSES[tok.name.toLowerCase()];
        if (cls === undefined) throw new InvalidRegex(`unknown class ${tok.name}`);
        classes.push(cls);
      } else if (tok.t === 'char') {
        pushChar(tok.c);
      } else {
        // A dash: literal before `]`, else the middle of a range after a character.
        const after = next();
        if (after.t === 'end') { pushChar(0x2d); break; }
        if (typeof last !== 'number') throw new InvalidRegex('bad range');
        let hi: number;
        if (after.t === 'char') hi = after.c;
        else if (after.t === 'dash') hi = 0x2d;
        else throw new InvalidRegex('bad range end');
        if (signed(last) > signed(hi)) throw new InvalidRegex('bad range');
        ranges.push([last, hi]);
        last = undefined;
      }
    }
    if (typeof last === 'number') chars.push(last);
    for (let c = 0; c < 256; c++) {
      const s = signed(c);
      const yes = chars.includes(c)
        || ranges.some(([lo, hi]) => signed(lo) <= s && s <= signed(hi))
        || classes.some((cls) => cls(c))
        || equivalents.includes(lower(c));
      bytes[c] = yes !== negate ? 1 : 0;
    }
    return bytes;
  };

  const root = disjunction();
  if (i < re.length) throw new InvalidRegex(re[i] === ')' ? 'unmatched )' : `unexpected ${re[i]}`);
  return { root, groups };
}

/** The C locale's `tolower` of a byte. */
function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

// ------------------------------------------------------------------ JavaScript

/** A character (code up to 0xFF) written so that it means itself inside or outside a JS class. */
function lit(code: number): string {
  return /[A-Za-z0-9 _]/.test(String.fromCharCode(code)) ? String.fromCharCode(code) : '\\x' + code.toString(16).padStart(2, '0');
}

/** A byte set as a JS class over the codes 0–255 (the subject never holds more). */
function jsSet(bytes: Uint8Array): string {
  let out = '';
  for (let c = 0; c < 256; c++) {
    if (!bytes[c]) continue;
    let d = c;
    while (d + 1 < 256 && bytes[d + 1]) d++;
    out += d === c ? lit(c) : d === c + 1 ? lit(c) + lit(d) : `${lit(c)}-${lit(d)}`;
    c = d;
  }
  return out === '' ? '[^\\s\\S]' : `[${out}]`;
}

/** JS RegExp source for a parsed ERE (same groups, same numbering). */
function ereToJs(e: Ere): string {
  switch (e.kind) {
    case 'empty': return '';
    case 'char': return lit(e.code);
    case 'any': return '[^]';
    case 'set': return jsSet(e.bytes);
    case 'bol': return '^';
    case 'eol': return '$';
    case 'group': return `(${ereToJs(e.body)})`;
    case 'seq': return e.items.map(ereToJs).join('');
    // A `|` inside a sequence needs its own group; a non-capturing one keeps the numbering.
    case 'alt': return `(?:${ereToJs(e.left)}|${ereToJs(e.right)})`;
    case 'repeat': return quantified(e.body) + e.op;
    case 'interval':
      return quantified(e.body) + (e.max === e.min ? `{${e.min}}` : e.max === Infinity ? `{${e.min},}` : `{${e.min},${e.max}}`);
  }
}

/** The source of a quantified atom: stacked quantifiers apply to the quantified atom (`a+?` is `(?:a+)?`). */
function quantified(body: Ere): string {
  const src = ereToJs(body);
  return body.kind === 'repeat' || body.kind === 'interval' ? `(?:${src})` : src;
}

/** Translates an ERE to JS RegExp source; throws InvalidRegex. */
export function translateEre(re: string): string {
  return ereToJs(parseEre(re).root);
}

// ------------------------------------------------------------------ when JavaScript agrees

/** Whether `e` can match the empty string. */
function nullable(e: Ere): boolean {
  switch (e.kind) {
    case 'empty': case 'bol': case 'eol': return true;
    case 'char': case 'any': case 'set': return false;
    case 'group': return nullable(e.body);
    case 'seq': return e.items.every(nullable);
    case 'alt': return nullable(e.left) || nullable(e.right);
    case 'repeat': return e.op !== '+' || nullable(e.body);
    case 'interval': return e.min === 0 || nullable(e.body);
  }
}

function hasGroup(e: Ere): boolean {
  switch (e.kind) {
    case 'group': return true;
    case 'seq': return e.items.some(hasGroup);
    case 'alt': return hasGroup(e.left) || hasGroup(e.right);
    case 'repeat': case 'interval': return hasGroup(e.body);
    default: return false;
  }
}

function hasAlt(e: Ere): boolean {
  switch (e.kind) {
    case 'alt': return true;
    case 'group': case 'repeat': case 'interval': return hasAlt(e.body);
    case 'seq': return e.items.some(hasAlt);
    default: return false;
  }
}

/**
 * Whether every group sits where JavaScript sets it as libstdc++ does. Both
 * backtrack in the same order (left alternative first, one more iteration
 * first), but inside a repetition they differ: JavaScript forgets a group's
 * capture at each new iteration and refuses an iteration that matches
 * nothing, libstdc++ keeps the capture of an earlier iteration and allows one
 * empty iteration. So no group may be inside a repetition, except one taken
 * at most once whose body cannot be empty (`(x)?`).
 */
function groupsOutsideRepeats(e: Ere): boolean {
  switch (e.kind) {
    case 'group': return groupsOutsideRepeats(e.body);
    case 'seq': return e.items.every(groupsOutsideRepeats);
    case 'alt': return groupsOutsideRepeats(e.left) && groupsOutsideRepeats(e.right);
    case 'repeat': case 'interval': {
      if (!hasGroup(e.body)) return true;
      const max = e.kind === 'interval' ? e.max : e.op === '?' ? 1 : Infinity;
      const min = e.kind === 'interval' ? e.min : e.op === '+' ? 1 : 0;
      if (max === 0) return true;
      return max === 1 && (min === 1 || !nullable(e.body)) && groupsOutsideRepeats(e.body);
    }
    default: return true;
  }
}

/**
 * Where JavaScript's RegExp gives libstdc++'s results for `ere`:
 * - `match` (the whole subject, libstdc++'s `regex_match`): both take the
 *   first way through in backtracking order, so only the groups can differ;
 * - `split` (libstdc++'s `regex_search`, POSIX): libstdc++ keeps the
 *   *longest* match found at a position, trying every alternative, where
 *   JavaScript takes the first; without `|` the first one found is the only
 *   one libstdc++ finds too (a repetition's exit is not tried once it has a match).
 */
export function jsAgrees(ere: ParsedEre): { match: boolean; split: boolean } {
  const groups = groupsOutsideRepeats(ere.root);
  return { match: groups, split: groups && !hasAlt(ere.root) };
}

// ------------------------------------------------------------------ cache

export interface CompiledEre {
  readonly ere: ParsedEre;
  /** Whole-subject JS RegExp (`match`), when `jsAgrees(...).match`. */
  readonly whole?: RegExp;
  /**
   * Global JS RegExp. It finds where the next match starts, whatever the
   * dialect (both find a match at the same places); its matches are
   * libstdc++'s (`split`) when `splitAgrees`.
   */
  readonly search: RegExp;
  readonly splitAgrees: boolean;
}

const cache = new Map<string, CompiledEre>();

/**
 * The compiled forms of an ERE, cached (nixpkgs calls `match` with the same few
 * patterns many times): the tree, and the JS RegExps where they agree with libstdc++.
 */
export function compileEre(re: string): CompiledEre {
  let c = cache.get(re);
  if (!c) {
    const ere = parseEre(re);
    const agrees = jsAgrees(ere);
    const src = ereToJs(ere.root);
    c = {
      ere,
      whole: agrees.match ? new RegExp(`^(?:${src})$`) : undefined,
      search: new RegExp(src, 'g'),
      splitAgrees: agrees.split,
    };
    cache.set(re, c);
  }
  return c;
}
