/**
 * POSIX extended regular expressions (what `builtins.match` and
 * `builtins.split` take) translated to JavaScript RegExp source.
 *
 * Nix compiles patterns with libstdc++'s `std::regex::extended`. The dialects
 * differ in ways that silently change results if the pattern is passed to
 * `new RegExp` as is:
 * - inside brackets a backslash is an ordinary character (`[\]` is one
 *   backslash), `]` first in a bracket is literal, and `[:alpha:]`-style
 *   classes exist;
 * - outside brackets only the special characters may be escaped (`\d`, `\b`,
 *   back-references are errors), `(?` is not a group extension; a quantifier after
 *   a quantifier applies to the quantified atom (`a+?` is `(a+)?`, not lazy);
 * - `.` matches newlines too;
 * - braces must form a valid interval.
 * Anything the translator cannot read is an invalid pattern, which the
 * builtins report as Nix does ("invalid regular expression '...'").
 *
 * Not reproduced: POSIX leftmost-longest matching. JavaScript picks the first
 * alternative that matches; with whole-string matching (`match`) only the
 * capture boundaries of ambiguous alternations can differ.
 */

/** Thrown for a pattern that is not a valid ERE; the builtin turns it into a NixError. */
export class InvalidRegex extends Error {}

const CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  d: '0-9',
  graph: '\\x21-\\x7e',
  lower: 'a-z',
  print: '\\x20-\\x7e',
  punct: '!-\\/:-@\\[-`{-~',
  space: ' \\t\\n\\v\\f\\r',
  s: ' \\t\\n\\v\\f\\r',
  upper: 'A-Z',
  w: '0-9A-Za-z_',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** The characters that may be escaped outside brackets. */
const SPECIAL = '.[\\()*+?{|^$';

/** A character written so that it means itself inside or outside a JS class. */
function lit(c: string): string {
  return /[A-Za-z0-9 _]/.test(c) || c.charCodeAt(0) > 0x7e ? c : '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
}

/** Translates an ERE to JS RegExp source; throws InvalidRegex. */
export function translateEre(re: string): string {
  let i = 0;
  let out = '';
  let depth = 0;
  // Whether the last emitted piece can take a quantifier, and where it starts,
  // so that stacked quantifiers can wrap it in a group.
  let atomStart = -1;
  let quantified = false;

  const bracket = (): string => {
    // i is just after '['
    let neg = false;
    if (re[i] === '^') { neg = true; i++; }
    const parts: string[] = [];
    let first = true;
    for (;;) {
      if (i >= re.length) throw new InvalidRegex('unterminated bracket');
      const c = re[i];
      if (c === ']' && !first) { i++; break; }
      first = false;
      let item: string;
      if (c === '[' && (re[i + 1] === ':' || re[i + 1] === '=' || re[i + 1] === '.')) {
        const kind = re[i + 1];
        const end = re.indexOf(kind + ']', i + 2);
        if (end < 0) throw new InvalidRegex('unterminated class');
        const name = re.slice(i + 2, end);
        i = end + 2;
        if (kind === ':') {
          const cls = CLASSES[name];
          if (cls === undefined) throw new InvalidRegex(`unknown class ${name}`);
          parts.push(cls);
          continue;
        }
        if ([...name].length !== 1) throw new InvalidRegex('collating element');
        item = name;
      } else {
        item = c;
        i++;
      }
      // A range 'a-z' (a '-' before ']' is literal).
      if (re[i] === '-' && re[i + 1] !== undefined && re[i + 1] !== ']') {
        let hi = re[i + 1];
        i += 2;
        if (hi === '[' && re[i] === '.') {
          const end = re.indexOf('.]', i + 1);
          if (end < 0) throw new InvalidRegex('unterminated collating element');
          hi = re.slice(i + 1, end);
          i = end + 2;
        }
        if (hi.codePointAt(0)! < item.codePointAt(0)!) throw new InvalidRegex('bad range');
        parts.push(lit(item) + '-' + lit(hi));
      } else {
        parts.push(lit(item));
      }
    }
    return (neg ? '[^' : '[') + parts.join('') + ']';
  };

  const quantifier = (q: string) => {
    if (atomStart < 0) throw new InvalidRegex('nothing to repeat');
    if (quantified) out = out.slice(0, atomStart) + '(?:' + out.slice(atomStart) + ')';
    out += q;
    quantified = true;
  };

  const groupStarts: number[] = [];
  while (i < re.length) {
    const c = re[i];
    switch (c) {
      case '(':
        groupStarts.push(out.length);
        out += '(';
        depth++;
        i++;
        atomStart = -1;
        quantified = false;
        break;
      case ')':
        if (depth === 0) throw new InvalidRegex('unmatched )');
        depth--;
        out += ')';
        i++;
        atomStart = groupStarts.pop()!;
        quantified = false;
        break;
      case '|':
        out += '|';
        i++;
        atomStart = -1;
        quantified = false;
        break;
      case '^':
      case '$':
        out += c;
        i++;
        atomStart = -1;
        quantified = false;
        break;
      case '*':
      case '+':
      case '?':
        i++;
        quantifier(c);
        break;
      case '{': {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(re.slice(i));
        if (!m) throw new InvalidRegex('bad interval');
        const lo = Number(m[1]);
        if (m[3] !== undefined && m[3] !== '' && Number(m[3]) < lo) throw new InvalidRegex('bad interval');
        i += m[0].length;
        quantifier(m[0]);
        break;
      }
      case '[': {
        i++;
        const start = out.length;
        out += bracket();
        atomStart = start;
        quantified = false;
        break;
      }
      case '.':
        atomStart = out.length;
        out += '[^]';
        i++;
        quantified = false;
        break;
      case '\\': {
        if (i + 1 >= re.length) throw new InvalidRegex('trailing backslash');
        const cp = re.codePointAt(i + 1)!;
        const ch = String.fromCodePoint(cp);
        // Nix's libstdc++ is built in strict mode: escaping an ordinary character is an error.
        if (!SPECIAL.includes(ch)) throw new InvalidRegex(`bad escape \\${ch}`);
        atomStart = out.length;
        out += lit(ch);
        i += 1 + ch.length;
        quantified = false;
        break;
      }
      default: {
        const cp = re.codePointAt(i)!;
        const ch = String.fromCodePoint(cp);
        atomStart = out.length;
        out += lit(ch);
        i += ch.length;
        quantified = false;
      }
    }
  }
  if (depth !== 0) throw new InvalidRegex('unmatched (');
  return out;
}

const cache = new Map<string, { whole: RegExp; search: RegExp }>();

/**
 * The compiled forms of an ERE, cached (nixpkgs calls `match` with the same few
 * patterns many times): `whole` matches the entire string (for `match`),
 * `search` is global and sticky-free (for `split`).
 */
export function compileEre(re: string): { whole: RegExp; search: RegExp } {
  let c = cache.get(re);
  if (!c) {
    const src = translateEre(re);
    try {
      c = { whole: new RegExp(`^(?:${src})$`), search: new RegExp(src, 'g') };
    } catch {
      throw new InvalidRegex('rejected by RegExp');
    }
    cache.set(re, c);
  }
  return c;
}
