/**
 * Prints an expression the way `nix-instantiate --parse` of current Nix does,
 * so that tsportable's parser can be checked against Nix's own parse tests.
 *
 * Nix prints its *internal* form, not the source: `a - b` is `(__sub a b)`,
 * `a < b` is `(__lessThan a b)`, `a >= b` is `(! (__lessThan a b))`, `-x` is
 * `(__sub 0 x)`, `<p>` is `(__findFile __nixPath "p")`, `"a${b}"` is
 * `("a" + b)`; attributes and formals are sorted, inherits come first. Nix's
 * parser also appends arguments to a call it has already built, so
 * `(a - b) c` prints as `(__sub a b c)`: `callShape` reproduces that.
 * Floats print like C++ streams (`%g`, six significant digits).
 */
import type { AttrDef, AttrName, Attrs, BinOp, Expr } from './ast.js';
import { RESERVED_KEYWORDS } from './keywords.js';
import { NixError } from '../errors.js';
import { jsStackOverflow } from '../stack.js';
import { formatFloat } from '../value/float.js';

export function printExpr(e: Expr): string {
  const out: string[] = [];
  try {
    show(e, out);
  } catch (err) {
    if (err instanceof RangeError) throw jsStackOverflow(e.span, new NixError('eval', 'expression is nested too deeply to print', e.span));
    throw err;
  }
  return out.join('');
}

/** `a.b."c d"` / `a."${e}"`, as in Nix's messages and `--parse`. */
export function printAttrPath(path: ReadonlyArray<AttrName>): string {
  return path.map((n) => (n.kind === 'static' ? printIdentifier(n.name) : `"\${${printExpr(n.expr)}}"`)).join('.');
}

/** A name as Nix writes it: bare when it is a valid identifier, else quoted. */
export function printIdentifier(s: string): string {
  if (s === '') return '""';
  if (RESERVED_KEYWORDS.has(s)) return `"${s}"`;
  return /^[a-zA-Z_][a-zA-Z0-9_'-]*$/.test(s) ? s : printString(s);
}

/** What printString escapes. */
const NEEDS_ESCAPE = /["\\\n\r\t]|\$\{/;

/** A string literal with Nix's escapes (`\n \r \t \" \\ \${`). */
export function printString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === '\\') out += '\\' + c;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '$' && s[i + 1] === '{') out += '\\$';
    else out += c;
  }
  return out + '"';
}

const NATIVE_BINOPS = new Set(['==', '!=', '&&', '||', '->', '++', '//', '+']);

/**
 * The function and arguments of expressions that Nix represents as calls,
 * so that further arguments applied to them join the same call.
 */
function callShape(e: Expr): { fn: string; args: Expr[] } | undefined {
  switch (e.kind) {
    case 'call': {
      const inner = callShape(e.fn);
      if (inner) return { fn: inner.fn, args: [...inner.args, ...e.args] };
      return { fn: printExpr(e.fn), args: [...e.args] };
    }
    case 'neg': return { fn: '__sub', args: [{ kind: 'int', value: 0n, span: e.span }, e.expr] };
    case 'searchPath':
      return { fn: '__findFile', args: [{ kind: 'var', name: '__nixPath', span: e.span }, { kind: 'string', parts: [e.path], form: 'double', span: e.span }] };
    case 'binop':
      switch (e.op) {
        case '-': return { fn: '__sub', args: [e.left, e.right] };
        case '*': return { fn: '__mul', args: [e.left, e.right] };
        case '/': return { fn: '__div', args: [e.left, e.right] };
        case '<': return { fn: '__lessThan', args: [e.left, e.right] };
        case '>': return { fn: '__lessThan', args: [e.right, e.left] };
        default: return undefined;
      }
    default: return undefined;
  }
}

/**
 * How binary operators print when the left operand comes first: prefix,
 * separator, suffix. `>` and `<=` swap their operands and are printed through
 * `callShape` / the recursive case instead.
 */
const LEFT_FIRST: Readonly<Record<string, readonly [string, string, string]>> = {
  '==': ['(', ' == ', ')'], '!=': ['(', ' != ', ')'], '&&': ['(', ' && ', ')'], '||': ['(', ' || ', ')'],
  '->': ['(', ' -> ', ')'], '++': ['(', ' ++ ', ')'], '//': ['(', ' // ', ')'], '+': ['(', ' + ', ')'],
  '-': ['(__sub ', ' ', ')'], '*': ['(__mul ', ' ', ')'], '/': ['(__div ', ' ', ')'],
  '<': ['(__lessThan ', ' ', ')'], '>=': ['(! (__lessThan ', ' ', '))'],
};

/** A left-nested chain of binary operations (`a + b + c ...`), printed without recursing down its left side. */
function showBinopChain(e: BinOp, out: string[]): boolean {
  if (!LEFT_FIRST[e.op]) return false;
  const spine: BinOp[] = [];
  let x: Expr = e;
  while (x.kind === 'binop' && LEFT_FIRST[x.op]) {
    spine.push(x);
    x = x.left;
  }
  for (const b of spine) out.push(LEFT_FIRST[b.op][0]);
  show(x, out);
  for (let k = spine.length - 1; k >= 0; k--) {
    const [, sep, suffix] = LEFT_FIRST[spine[k].op];
    out.push(sep);
    show(spine[k].right, out);
    out.push(suffix);
  }
  return true;
}

function show(e: Expr, out: string[]): void {
  if (e.kind === 'binop' && showBinopChain(e, out)) return;
  const shape = callShape(e);
  if (shape) {
    out.push('(', shape.fn);
    for (const a of shape.args) {
      out.push(' ');
      show(a, out);
    }
    out.push(')');
    return;
  }
  switch (e.kind) {
    case 'int': out.push(e.value.toString()); return;
    case 'float': out.push(formatFloat(e.value)); return;
    case 'string': showParts(e.nixParts ?? e.parts, false, out); return;
    case 'path': showParts(e.parts, true, out); return;
    case 'var': out.push(e.name); return;
    case 'select':
      out.push('(');
      show(e.expr, out);
      out.push(').', printAttrPath(e.path));
      if (e.fallback) {
        out.push(' or (');
        show(e.fallback, out);
        out.push(')');
      }
      return;
    case 'hasAttr':
      out.push('((');
      show(e.expr, out);
      out.push(') ? ', printAttrPath(e.path), ')');
      return;
    case 'attrs':
      out.push(e.rec ? 'rec { ' : '{ ');
      showBindings(e, out);
      out.push('}');
      return;
    case 'let':
      out.push('(let ');
      showBindings({ attrs: e.attrs, inheritFrom: e.inheritFrom, dynamic: [] }, out);
      out.push('in ');
      show(e.body, out);
      out.push(')');
      return;
    case 'list':
      out.push('[ ');
      for (const x of e.elems) {
        out.push('(');
        show(x, out);
        out.push(') ');
      }
      out.push(']');
      return;
    case 'lambda': {
      out.push('(');
      if (e.formals) {
        out.push('{ ');
        const sorted = [...e.formals.entries].sort((a, b) => compare(a.name, b.name));
        sorted.forEach((f, i) => {
          if (i > 0) out.push(', ');
          out.push(printIdentifier(f.name));
          if (f.fallback) {
            out.push(' ? ');
            show(f.fallback, out);
          }
        });
        if (e.formals.ellipsis) out.push(sorted.length > 0 ? ', ...' : '...');
        out.push(' }');
        if (e.param !== undefined) out.push(' @ ');
      }
      if (e.param !== undefined) out.push(printIdentifier(e.param));
      out.push(': ');
      show(e.body, out);
      out.push(')');
      return;
    }
    case 'call': return; // handled by callShape
    case 'with':
      out.push('(with ');
      show(e.env, out);
      out.push('; ');
      show(e.body, out);
      out.push(')');
      return;
    case 'if':
      out.push('(if ');
      show(e.cond, out);
      out.push(' then ');
      show(e.then, out);
      out.push(' else ');
      show(e.else, out);
      out.push(')');
      return;
    case 'assert':
      out.push('assert ');
      show(e.cond, out);
      out.push('; ');
      show(e.body, out);
      return;
    case 'not':
      out.push('(! ');
      show(e.expr, out);
      out.push(')');
      return;
    case 'neg': case 'searchPath': return; // handled by callShape
    case 'binop': {
      if (NATIVE_BINOPS.has(e.op)) {
        out.push('(');
        show(e.left, out);
        out.push(' ', e.op, ' ');
        show(e.right, out);
        out.push(')');
        return;
      }
      // `<=` and `>=` are negated `__lessThan` calls.
      const [a, b] = e.op === '<=' ? [e.right, e.left] : [e.left, e.right];
      out.push('(! (__lessThan ');
      show(a, out);
      out.push(' ');
      show(b, out);
      out.push('))');
      return;
    }
  }
}

/** A string or path: one literal, or Nix's concatenation form. */
function showParts(parts: ReadonlyArray<string | Expr>, isPath: boolean, out: string[]): void {
  if (parts.length === 0) { out.push('""'); return; }
  if (parts.length === 1 && typeof parts[0] === 'string') {
    out.push(isPath ? parts[0] : printString(parts[0]));
    return;
  }
  out.push('(');
  parts.forEach((p, i) => {
    if (i > 0) out.push(' + ');
    if (typeof p !== 'string') show(p, out);
    else out.push(isPath && i === 0 ? p : printString(p));
  });
  out.push(')');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function showBindings(set: Pick<Attrs, 'attrs' | 'inheritFrom' | 'dynamic'>, out: string[]): void {
  const sorted: Array<[string, AttrDef]> = [...set.attrs].sort((a, b) => compare(a[0], b[0]));
  const inherits = sorted.filter(([, d]) => d.kind === 'inherit').map(([n]) => n);
  if (inherits.length > 0) out.push('inherit ', inherits.map(printIdentifier).join(' '), '; ');
  const byFrom = new Map<number, string[]>();
  for (const [n, d] of sorted) {
    if (d.kind !== 'inheritFrom') continue;
    const names = byFrom.get(d.from) ?? [];
    names.push(n);
    byFrom.set(d.from, names);
  }
  for (const from of [...byFrom.keys()].sort((a, b) => a - b)) {
    out.push('inherit (');
    show(set.inheritFrom[from], out);
    out.push(') ', byFrom.get(from)!.map(printIdentifier).join(' '), '; ');
  }
  for (const [n, d] of sorted) {
    if (d.kind !== 'plain') continue;
    out.push(printIdentifier(n), ' = ');
    show(d.value, out);
    out.push('; ');
  }
  for (const d of set.dynamic) {
    out.push('"${');
    show(d.name, out);
    out.push('}" = ');
    show(d.value, out);
    out.push('; ');
  }
}
