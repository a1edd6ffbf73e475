/**
 * Lowers a tree-sitter tree (already free of syntax errors) into the typed AST
 * of `ast.ts`, doing on the way what Nix's parser does beyond the grammar:
 * string escapes and indentation, path resolution, `let { }`, collapsing of
 * applications, and the checks of `bindings.ts`.
 *
 * The published grammar is looser than Nix in a few places, so some syntax
 * errors are found here rather than in the tree: keywords as attribute names
 * (`a.if`), chained non-associative operators (`1 == 2 == 3`, `1 < 2 < 3`),
 * integers beyond 64 bits, paths with a trailing slash, `or` used as a value.
 * And it reads a few things differently from Nix, which are put right here:
 * the "cursed" `f or`, `a//b` taken for one path, and the zero-width name it
 * invents for the valid `inherit;`. Current Nix's parser warnings (the cursed
 * `or` as an argument, list element or default; the path and URL lints of
 * lint.ts) are emitted here too, where the literal text is at hand.
 *
 * The walk uses one cursor over a flat copy of the tree (flatTree.ts), made in
 * C: reading tree-sitter nodes from JavaScript costs a native call per property.
 * Comments are extras and may appear between any two children: every child
 * loop skips them.
 */
import type {
  AttrName, Attrs, Expr, Formal, Lambda, Let, Path, Str, Var, BinaryOperator,
} from './ast.js';
import { NixError } from '../errors.js';
import type { PositionTable } from './positions.js';
import { pushText, splitIndented, stripIndentation, unescapeDouble, type IndentedPiece } from './strings.js';
import { resolvePathStart } from './pathLiterals.js';
import { BindingsBuilder, validateFormals } from './bindings.js';
import { RESERVED_KEYWORDS } from './keywords.js';
import { FlatTree, gotoFirstCodeChild, gotoNextCodeSibling, type SyntaxCursor } from './flatTree.js';
import { parseFlat } from './treeSitter.js';
import type { LiteralEncoder } from './astCodec.js';
import { LITERAL_NODE_TYPES, lowerLiteralSet } from './lowerLiterals.js';
import { floatLiteral, integerLiteral } from './literals.js';
import { tokenAt } from './syntaxErrors.js';
import { lint, warnCursedOr } from './lint.js';

export interface LowerOptions {
  /** Directory that relative path literals are resolved against. */
  readonly baseDir: string;
  /** $HOME, for `~/` paths. */
  readonly home: string;
}

/** Every named node type of the grammar that lowering handles (the tests check it covers node-types.json). */
export const HANDLED_NODE_TYPES: ReadonlySet<string> = new Set([
  'source_code', 'variable_expression', 'integer_expression', 'float_expression',
  'string_expression', 'indented_string_expression', 'path_expression', 'hpath_expression',
  'spath_expression', 'uri_expression', 'parenthesized_expression', 'attrset_expression',
  'let_attrset_expression', 'rec_attrset_expression', 'list_expression', 'function_expression',
  'formals', 'formal', 'ellipses', 'assert_expression', 'with_expression', 'let_expression',
  'if_expression', 'has_attr_expression', 'unary_expression', 'binary_expression',
  'apply_expression', 'select_expression', 'attrpath', 'binding_set', 'binding', 'inherit',
  'inherit_from', 'inherited_attrs', 'interpolation', 'identifier', 'string_fragment',
  'escape_sequence', 'dollar_escape', 'path_fragment', 'comment', '_expression',
]);

/** Where an expression stands alone, so that `a // b` in its place keeps Nix's precedence. */
const STANDALONE_PARENTS: ReadonlySet<string> = new Set([
  'binding', 'source_code', 'parenthesized_expression', 'interpolation', 'function_expression',
  'let_expression', 'with_expression', 'assert_expression', 'if_expression', 'inherit_from', 'formal',
]);

/** Operators Nix declares `%nonassoc`, by precedence group. */
const NONASSOC_GROUP: Readonly<Record<string, number>> = { '==': 1, '!=': 1, '<': 2, '>': 2, '<=': 2, '>=': 2 };

/**
 * Lowers `tree`, the flat tree of `text`. With `literals` (when lowering for
 * the parse cache), sets of literals are lowered straight into the cache's
 * form (lowerLiterals.ts).
 */
export function lowerTree(tree: FlatTree, text: string, table: PositionTable, opts: LowerOptions, literals?: LiteralEncoder): Expr {
  return new Lowerer(tree.cursor(), text, table, opts, literals && { encoder: literals, tree, candidates: tree.subtreesOf(LITERAL_NODE_TYPES) }).sourceCode();
}

class Lowerer {
  /** Where each `or` default was written, parentheses included (for the cursed-or warning). */
  private readonly fallbackStart = new WeakMap<Expr, number>();

  constructor(
    private readonly c: SyntaxCursor,
    private readonly text: string,
    private readonly table: PositionTable,
    private readonly opts: LowerOptions,
    /** Where sets of literals go, and which nodes may be one (by index: 1 when the subtree has only LITERAL_NODE_TYPES). */
    private readonly literals?: { readonly encoder: LiteralEncoder; readonly tree: FlatTree; readonly candidates: Uint8Array },
  ) {}

  sourceCode(): Expr {
    const c = this.c;
    if (this.firstChild()) {
      const e = this.expr();
      c.gotoParent();
      return e;
    }
    // An empty file: Nix says "unexpected end of file".
    throw this.error('syntax error, unexpected end of file', this.text.length, this.text.length);
  }

  // ---- cursor helpers -------------------------------------------------------

  /** Moves to the first non-comment child; false (cursor unchanged) if none. */
  private firstChild(): boolean {
    return gotoFirstCodeChild(this.c);
  }

  /** Moves to the next non-comment sibling. */
  private next(): boolean {
    return gotoNextCodeSibling(this.c);
  }

  private span(start: number, end: number) {
    return this.table.span(start, end);
  }

  private error(message: string, start: number, end: number): NixError {
    return new NixError('parse', message, this.span(start, end));
  }

  // ---- expressions ----------------------------------------------------------

  /** Lowers the expression node under the cursor; the cursor ends where it started. */
  private expr(): Expr {
    const c = this.c;
    const start = c.startIndex;
    const end = c.endIndex;
    switch (c.nodeType) {
      case 'variable_expression': return this.variable(start, end);
      case 'integer_expression': return this.integer(start, end);
      case 'float_expression': {
        const t = this.text.slice(start, end);
        const value = floatLiteral(t);
        if (value === undefined) throw this.error(`invalid float '${t}'`, start, end);
        return { kind: 'float', value, text: t, span: this.span(start, end) };
      }
      case 'string_expression': return this.doubleString(start, end);
      case 'indented_string_expression': return this.indentedString(start, end);
      case 'path_expression': case 'hpath_expression': return this.pathOrUpdate(start, end);
      case 'spath_expression':
        return { kind: 'searchPath', path: this.text.slice(start + 1, end - 1), span: this.span(start, end) };
      case 'uri_expression': {
        const uri = this.text.slice(start, end);
        const span = this.span(start, end);
        lint('lint-url-literals', span, (fatal) => `URL literals are ${fatal ? 'disallowed' : 'discouraged'}. Consider using a string literal "${uri}" instead`);
        return { kind: 'string', parts: [uri], form: 'uri', span };
      }
      case 'parenthesized_expression': return this.onlyChildExpr();
      case 'attrset_expression': return this.literalSet(start, end) ?? this.attrset(false, start, end);
      case 'rec_attrset_expression': return this.attrset(true, start, end);
      case 'let_attrset_expression': {
        const s = this.span(start, end);
        const attrs = this.attrset(true, start, end);
        return { kind: 'select', expr: attrs, path: [{ kind: 'static', name: 'body', span: s }], span: s };
      }
      case 'list_expression': {
        const elems: Expr[] = [];
        let lastStart = start;
        if (this.firstChild()) {
          do {
            if (!c.nodeIsNamed) continue;
            const or = elems.length > 0 ? this.cursedOr() : undefined;
            if (or) elems[elems.length - 1] = this.cursedCall(elems[elems.length - 1]!, or, lastStart); // `[ f or ]`
            else {
              lastStart = c.startIndex;
              elems.push(this.expr());
            }
          } while (this.next());
          c.gotoParent();
        }
        return { kind: 'list', elems, span: this.span(start, end) };
      }
      case 'function_expression': return this.lambda(start, end);
      case 'assert_expression': {
        const [cond, body] = this.namedChildren2();
        return { kind: 'assert', cond, body, span: this.span(start, end) };
      }
      case 'with_expression': {
        const [env, body] = this.namedChildren2();
        return { kind: 'with', env, body, span: this.span(start, end) };
      }
      case 'let_expression': return this.letExpr(start, end);
      case 'if_expression': {
        const parts: Expr[] = [];
        this.firstChild();
        do {
          if (c.nodeIsNamed) parts.push(this.expr());
        } while (this.next());
        c.gotoParent();
        return { kind: 'if', cond: parts[0], then: parts[1], else: parts[2], span: this.span(start, end) };
      }
      case 'has_attr_expression': {
        // `a ? b ? c` is valid Nix, `(a ? b) ? c`: `?` takes an attribute path on its right, so
        // its %nonassoc never comes into play.
        this.firstChild();
        const expr = this.expr();
        let path: AttrName[] = [];
        while (this.next()) if ((c.nodeType as string) === 'attrpath') path = this.attrpath();
        c.gotoParent();
        return { kind: 'hasAttr', expr, path, span: this.span(start, end) };
      }
      case 'unary_expression': {
        this.firstChild();
        const op: string = c.nodeType;
        this.next();
        const expr = this.expr();
        c.gotoParent();
        return op === '!'
          ? { kind: 'not', expr, span: this.span(start, end) }
          : { kind: 'neg', expr, span: this.span(start, end) };
      }
      case 'binary_expression': return this.binary();
      case 'apply_expression': return this.apply(start, end);
      case 'select_expression': return this.select(start, end);
      default:
        // ERROR and MISSING nodes are reported before lowering; this is a safety net.
        throw this.error(`syntax error, unexpected ${tokenAt(this.text, start).name}`, start, end);
    }
  }

  /** The single named child of the current node (parentheses, interpolations). */
  private onlyChildExpr(): Expr {
    const c = this.c;
    this.firstChild();
    while (!c.nodeIsNamed) this.next();
    const e = this.expr();
    c.gotoParent();
    return e;
  }

  private namedChildren2(): [Expr, Expr] {
    const c = this.c;
    const out: Expr[] = [];
    this.firstChild();
    do {
      if (c.nodeIsNamed) out.push(this.expr());
    } while (this.next());
    c.gotoParent();
    return [out[0], out[1]];
  }

  private variable(start: number, end: number): Var {
    const name = this.text.slice(start, end);
    if (RESERVED_KEYWORDS.has(name) || name === 'or') {
      throw this.error(`syntax error, unexpected '${name}'`, start, end);
    }
    return { kind: 'var', name, span: this.span(start, end) };
  }

  private integer(start: number, end: number): Expr {
    const t = this.text.slice(start, end);
    const value = integerLiteral(t);
    if (value === undefined) throw this.error(`invalid integer '${t}'`, start, end);
    return { kind: 'int', value, span: this.span(start, end) };
  }

  /**
   * A binary operation. Left-nested chains (`a + b + c + ...`, thousands long
   * in generated files) are walked down and folded back up in a loop rather
   * than by recursion. A comparison whose left operand is an unparenthesized
   * comparison of the same group is the syntax error Nix's `%nonassoc` makes.
   */
  private binary(): Expr {
    const c = this.c;
    const spans: number[] = []; // start, end of each nested binary_expression, outermost first
    while (c.nodeType === 'binary_expression') {
      spans.push(c.startIndex, c.endIndex);
      this.firstChild();
    }
    let acc = this.expr();
    let accOp: string | undefined;
    for (let k = spans.length - 2; k >= 0; k -= 2) {
      this.next();
      const op = c.nodeType as BinaryOperator;
      const opStart = c.startIndex;
      if (accOp !== undefined && NONASSOC_GROUP[op] !== undefined && NONASSOC_GROUP[op] === NONASSOC_GROUP[accOp]) {
        throw this.error(`syntax error, unexpected '${op}'`, opStart, opStart + op.length);
      }
      this.next();
      const right = this.expr();
      c.gotoParent();
      acc = { kind: 'binop', op, left: acc, right, span: this.span(spans[k], spans[k + 1]), opSpan: this.span(opStart, opStart + op.length) };
      accOp = op;
    }
    return acc;
  }

  /**
   * `f a b` is a left-nested chain of apply_expressions; Nix folds it into one
   * call, and also extends a call written in parentheses: `(f a) b` is `f a b`.
   *
   * `or` after a simple expression is Nix's "cursed or": for an old nixpkgs
   * function named `or`, `x or` is the call `x or` (`map or [ ]`), and it binds
   * to the argument just before it: `a or b or c` is `a or (b or) c`.
   */
  private apply(start: number, end: number): Expr {
    const c = this.c;
    let depth = 0;
    while (c.nodeType === 'apply_expression') {
      this.firstChild();
      depth++;
    }
    const fnIsSelect = c.nodeType === 'select_expression';
    let fn = this.expr();
    let args: Expr[] = [];
    if (fn.kind === 'call') {
      args = fn.args.slice();
      fn = fn.fn;
    }
    let added = 0;
    let lastStart = start;
    for (let i = 0; i < depth; i++) {
      this.next();
      const or = this.cursedOr();
      if (or && added > 0) {
        args[args.length - 1] = this.cursedCall(args[args.length - 1]!, or, lastStart);
      } else if (or && i === 0 && fnIsSelect && fn.kind === 'select' && fn.fallback) {
        // `s.a or d or`: Nix reads the cursed `d or` as the default (tree-sitter applies the select to `or`).
        fn = { ...fn, fallback: this.cursedCall(fn.fallback, or, this.fallbackStart.get(fn.fallback) ?? start), span: this.span(start, c.endIndex) };
      } else {
        lastStart = c.startIndex;
        args.push(or ?? this.expr());
        added++;
      }
      c.gotoParent();
    }
    return args.length === 0 ? fn : { kind: 'call', fn, args, span: this.span(start, end) };
  }

  /**
   * `x or` where Nix reads the cursed `or` inside an argument, list element or
   * default: the call, with Nix's warning pointing at `x` (written from `xStart`).
   */
  private cursedCall(x: Expr, or: Var, xStart: number): Expr {
    const orEnd = this.c.endIndex;
    warnCursedOr(this.span(xStart, orEnd), this.text.slice(xStart, orEnd));
    return callOr(x, or);
  }

  /** The variable `or` when the cursor is on the bare word `or` (the grammar reads it as a variable). */
  private cursedOr(): Var | undefined {
    const c = this.c;
    if (c.nodeType !== 'variable_expression' || c.endIndex - c.startIndex !== 2) return undefined;
    if (this.text.slice(c.startIndex, c.endIndex) !== 'or') return undefined;
    return { kind: 'var', name: 'or', span: this.span(c.startIndex, c.endIndex) };
  }

  private select(start: number, end: number): Expr {
    const c = this.c;
    this.firstChild();
    const expr = this.expr();
    let path: AttrName[] = [];
    let fallback: Expr | undefined;
    while (this.next()) {
      if (c.nodeType === 'attrpath') path = this.attrpath();
      else if (c.nodeIsNamed) { // the expression after `or`
        const fallbackStart = c.startIndex;
        fallback = this.expr();
        this.fallbackStart.set(fallback, fallbackStart);
      }
    }
    c.gotoParent();
    return fallback
      ? { kind: 'select', expr, path, fallback, span: this.span(start, end) }
      : { kind: 'select', expr, path, span: this.span(start, end) };
  }

  // ---- attribute names ------------------------------------------------------

  private attrpath(): AttrName[] {
    const c = this.c;
    const path: AttrName[] = [];
    this.firstChild();
    do {
      if (c.nodeIsNamed) path.push(this.attrName(false));
    } while (this.next());
    c.gotoParent();
    return path;
  }

  /**
   * One attribute name. A string without interpolation, or `${"literal"}`, is a
   * static name, as in Nix; anything else is dynamic.
   */
  private attrName(inInherit: boolean): AttrName {
    const c = this.c;
    const start = c.startIndex;
    const end = c.endIndex;
    const span = this.span(start, end);
    if (c.nodeType === 'identifier') {
      const name = this.text.slice(start, end);
      if (RESERVED_KEYWORDS.has(name)) {
        throw this.error(`syntax error, unexpected '${name}'${inInherit ? '' : ", expecting identifier or 'or' or '${' or '\"'"}`, start, end);
      }
      return { kind: 'static', name, span };
    }
    const expr = c.nodeType === 'interpolation' ? this.onlyChildExpr() : this.expr();
    const literal = staticString(expr);
    if (literal !== undefined) return { kind: 'static', name: literal, span };
    if (inInherit) throw this.error('dynamic attributes not allowed in inherit', start, end);
    return { kind: 'dynamic', expr, span };
  }

  // ---- strings and paths ----------------------------------------------------

  /**
   * Walks the children of the string or path node at the cursor from
   * `textStart`: `text(from, to)` gets each run of literal text before an
   * interpolation, `expr` the interpolated expression. Returns where the
   * last run of text starts (its end is the caller's).
   */
  private interpolations(textStart: number, text: (from: number, to: number) => void, expr: (e: Expr) => void): number {
    const c = this.c;
    if (this.firstChild()) {
      do {
        if (c.nodeType === 'interpolation') {
          text(textStart, c.startIndex);
          expr(this.onlyChildExpr());
          textStart = c.endIndex;
        }
      } while (this.next());
      c.gotoParent();
    }
    return textStart;
  }

  private doubleString(start: number, end: number): Str {
    const parts: Array<string | Expr> = [];
    // Each run of text is one token of Nix's lexer, which refuses NUL bytes in it (after unescaping).
    const addText = (from: number, to: number) => {
      const text = unescapeDouble(this.text.slice(from, to));
      if (text.includes('\0')) throw this.nulError(text, from, to);
      pushText(parts, text);
    };
    addText(this.interpolations(start + 1, addText, (e) => parts.push(e)), end - 1);
    return { kind: 'string', parts, form: 'double', span: this.span(start, end) };
  }

  private indentedString(start: number, end: number): Str {
    const pieces: IndentedPiece[] = [];
    const addText = (from: number, to: number) => {
      let raw = this.text.slice(from, to);
      // The opening `''` takes spaces and one newline right after it.
      if (from === start + 2) {
        const opening = /^ *\n/.exec(raw)?.[0].length ?? 0;
        raw = raw.slice(opening);
        from += opening;
      }
      if (raw.includes('\0')) this.checkIndentedNul(raw, from);
      splitIndented(raw, pieces);
    };
    addText(this.interpolations(start + 2, addText, (expr) => pieces.push({ expr })), end - 2);
    const { parts, tokens } = stripIndentation(pieces);
    const span = this.span(start, end);
    return tokens.length === parts.length
      ? { kind: 'string', parts, form: 'indented', span }
      : { kind: 'string', parts, nixParts: tokens, form: 'indented', span };
  }

  /** Nix's lexer error for a string token holding a NUL byte (shown as ␀). */
  private nulError(token: string, from: number, to: number): NixError {
    const shown = token.replace(/\0/g, '\u2400');
    return this.error(`input string '${shown}' cannot be represented as Nix string because it contains null bytes`, from, to);
  }

  /**
   * Finds the token of Nix's lexer holding a NUL in the text `raw` of an
   * indented string (written from `from`): runs of plain text, and the short
   * tokens `''$`, `'''`, `''\x`, a lone `$` or `'` between them.
   */
  private checkIndentedNul(raw: string, from: number): void {
    const plain = /(?:[^$']|\$[^{']|'[^'$])+/y;
    let i = 0;
    while (i < raw.length) {
      if (raw.startsWith("''\\", i)) {
        const escaped = unescapeDouble('\\' + (raw[i + 3] ?? ''));
        if (escaped.includes('\0')) throw this.nulError(escaped, from + i, from + i + 4);
        i += 4;
        continue;
      }
      if (raw.startsWith("''$", i) || raw.startsWith("'''", i)) { i += 3; continue; }
      plain.lastIndex = i;
      const m = plain.exec(raw);
      if (!m) { i += 1; continue; } // a lone `$` or `'`
      if (m[0].includes('\0')) throw this.nulError(m[0], from + i, from + i + m[0].length);
      i += m[0].length;
    }
  }

  /**
   * The grammar reads `a//b` (no spaces) as one path, where Nix reads `a // b`:
   * a path literal never holds `//`. When the text before `//` is a name, the
   * update is rebuilt from separate parses of both sides, where the node
   * stands alone (a binding's value, parentheses, ...); inside a larger
   * expression precedence would differ, and the user is asked for spaces.
   */
  private pathOrUpdate(start: number, end: number): Expr {
    const c = this.c;
    const literalEnd = this.pathLiteralEnd(start, end);
    const slashes = this.text.indexOf('//', start);
    if (slashes < 0 || slashes >= literalEnd) return this.path(start, end);
    if (this.text.slice(start, slashes).includes('/')) {
      throw this.error("syntax error, unexpected end of path, expecting '${'", end, end);
    }
    if (!STANDALONE_PARENTS.has(c.parentType)) {
      throw this.error("tsportable reads 'a//b' without spaces differently from Nix here; write 'a // b'", start, end);
    }
    const left = this.subExpr(start, slashes);
    const right = this.subExpr(slashes + 2, end);
    return { kind: 'binop', op: '//', left, right, span: this.span(start, end), opSpan: this.span(slashes, slashes + 2) };
  }

  /** Lowers `text[from, to)` parsed on its own; the padding keeps every offset (and so every span) as in the file. */
  private subExpr(from: number, to: number): Expr {
    const padded = ' '.repeat(from) + this.text.slice(from, to);
    const tree = new FlatTree(parseFlat(padded));
    if (tree.hasError || to <= from) throw this.error("syntax error, unexpected '//'", from - 2, from);
    return lowerTree(tree, padded, this.table, this.opts);
  }

  private path(start: number, end: number): Path {
    const first = this.text[start];
    const base = first === '/' ? 'absolute' : first === '~' ? 'home' : 'relative';
    this.lintPath(base, start, end);
    const parts: Array<string | Expr> = [];
    let lastWasText = false;
    const addText = (from: number, to: number) => {
      if (from === to) return;
      const raw = this.text.slice(from, to);
      pushText(parts, parts.length === 0 ? resolvePathStart(raw, base, this.opts.baseDir, this.opts.home) : raw);
      lastWasText = raw.endsWith('/');
    };
    const addExpr = (e: Expr) => {
      lastWasText = false;
      parts.push(e);
    };
    addText(this.interpolations(start, addText, addExpr), end);
    if (lastWasText) throw this.error('path has a trailing slash', end, end);
    return { kind: 'path', base, parts, span: this.span(start, end) };
  }

  /** Where the first token of the path literal at `start` ends: at its first interpolation, if any. */
  private pathLiteralEnd(start: number, end: number): number {
    const interpolation = this.text.indexOf('${', start);
    return interpolation >= 0 && interpolation < end ? interpolation : end;
  }

  /** Nix's path lints look at the literal's first token (up to an interpolation). */
  private lintPath(base: Path['base'], start: number, end: number): void {
    const literalEnd = this.pathLiteralEnd(start, end);
    const literal = this.text.slice(start, literalEnd);
    const span = this.span(start, literalEnd);
    const portable = (kind: string) => () =>
      `${kind} path literals are not portable. Consider replacing path literal '${literal}' by a string, relative path, or parameter`;
    if (base === 'absolute') lint('lint-absolute-path-literals', span, portable('absolute'));
    else if (base === 'home') lint('lint-absolute-path-literals', span, portable('home'));
    else if (!literal.startsWith('.')) {
      lint('lint-short-path-literals', span, () => `relative path literal '${literal}' should be prefixed with '.' for clarity: './${literal}'`);
    }
  }

  // ---- sets, let, functions -------------------------------------------------

  /** The set of literals at the cursor, lowered straight into the cache's form; undefined if it is not one or there is no cache. */
  private literalSet(start: number, end: number): Attrs | undefined {
    const literals = this.literals;
    if (literals === undefined || literals.candidates[this.c.nodeIndex] === 0) return undefined;
    const at = literals.encoder.mark();
    if (!lowerLiteralSet(literals.tree, this.c.nodeIndex, this.text, literals.encoder)) return undefined;
    return literals.encoder.node(at, this.span(start, end), this.table);
  }

  /** `{ ... }`, `rec { ... }` and the set inside `let { ... }`. */
  private attrset(rec: boolean, start: number, end: number): Attrs {
    const c = this.c;
    const builder = new BindingsBuilder(rec, this.span(start, end));
    if (this.firstChild()) {
      do {
        if (c.nodeType === 'binding_set') this.bindings(builder);
      } while (this.next());
      c.gotoParent();
    }
    return builder.attrs;
  }

  private bindings(builder: BindingsBuilder): void {
    const c = this.c;
    this.firstChild();
    do {
      switch (c.nodeType) {
        case 'binding': {
          this.firstChild();
          const pathStart = c.startIndex;
          const pathEnd = c.endIndex;
          const path = this.attrpath();
          let value: Expr | undefined;
          while (this.next()) if (c.nodeIsNamed) value = this.expr();
          c.gotoParent();
          builder.addPath(path, this.span(pathStart, pathEnd), value!);
          break;
        }
        case 'inherit':
        case 'inherit_from': {
          const fromExpr = c.nodeType === 'inherit_from';
          let from: number | undefined;
          this.firstChild();
          do {
            if ((c.nodeType as string) === 'inherited_attrs') {
              this.firstChild();
              do {
                // A zero-width name is the grammar's stand-in for the nothing of `inherit;`.
                if (!c.nodeIsNamed || c.startIndex === c.endIndex) continue;
                // attrName(true) rejects dynamic names, as Nix does in inherit.
                const name = this.attrName(true) as Extract<AttrName, { kind: 'static' }>;
                builder.addInherit(name.name, name.span, from);
              } while (this.next());
              c.gotoParent();
            } else if (c.nodeIsNamed && fromExpr) {
              from = builder.addInheritSource(this.expr());
            }
          } while (this.next());
          c.gotoParent();
          break;
        }
      }
    } while (this.next());
    c.gotoParent();
  }

  private letExpr(start: number, end: number): Let {
    const c = this.c;
    const builder = new BindingsBuilder(true, this.span(start, end));
    let body: Expr | undefined;
    this.firstChild();
    do {
      if (c.nodeType === 'binding_set') this.bindings(builder);
      else if (c.nodeIsNamed) body = this.expr();
    } while (this.next());
    c.gotoParent();
    const attrs = builder.attrs;
    if (attrs.dynamic.length > 0) throw this.error('dynamic attributes not allowed in let', start, end);
    return { kind: 'let', attrs: attrs.attrs, inheritFrom: attrs.inheritFrom, body: body!, span: this.span(start, end) };
  }

  private lambda(start: number, end: number): Lambda {
    const c = this.c;
    let param: string | undefined;
    let formals: { entries: Formal[]; ellipsis: boolean } | undefined;
    let body: Expr | undefined;
    this.firstChild();
    // Children: `x` (an identifier), `{ ... }` (formals), in either order, then the body.
    do {
      const type = c.nodeType;
      if (type === 'identifier') {
        param = this.text.slice(c.startIndex, c.endIndex);
        if (RESERVED_KEYWORDS.has(param) || param === 'or') {
          throw this.error(`syntax error, unexpected '${param}'`, c.startIndex, c.endIndex);
        }
      } else if (type === 'formals') formals = this.formals();
      else if (c.nodeIsNamed) body = this.expr();
    } while (this.next());
    c.gotoParent();
    const span = this.span(start, end);
    if (formals) validateFormals(formals.entries, param, span);
    return { kind: 'lambda', param, formals, body: body!, span };
  }

  private formals(): { entries: Formal[]; ellipsis: boolean } {
    const c = this.c;
    const entries: Formal[] = [];
    let ellipsis = false;
    if (!this.firstChild()) return { entries, ellipsis }; // `{ }:`
    do {
      if (c.nodeType === 'ellipses') ellipsis = true;
      else if (c.nodeType === 'formal') {
        let name = '';
        let fallback: Expr | undefined;
        let span = this.span(c.startIndex, c.endIndex);
        // Children: the name (an identifier), then `?` and the default.
        this.firstChild();
        do {
          if ((c.nodeType as string) === 'identifier' && name === '') {
            name = this.text.slice(c.startIndex, c.endIndex);
            span = this.span(c.startIndex, c.endIndex);
            if (RESERVED_KEYWORDS.has(name) || name === 'or') {
              throw this.error(`syntax error, unexpected '${name}'`, c.startIndex, c.endIndex);
            }
          } else if (c.nodeIsNamed) fallback = this.expr();
        } while (this.next());
        c.gotoParent();
        entries.push(fallback ? { name, fallback, span } : { name, span });
      }
    } while (this.next());
    c.gotoParent();
    return { entries, ellipsis };
  }
}

/** `x or`: the call of `x` with the variable `or` (see `apply`). */
function callOr(x: Expr, or: Var): Expr {
  return { kind: 'call', fn: x, args: [or], span: x.span };
}

/**
 * The text of a string that Nix treats as a static attribute name: a literal
 * without interpolation (or a URI). `"${"a"}"` is dynamic: its one part is an
 * interpolated expression, not text.
 */
function staticString(e: Expr): string | undefined {
  if (e.kind !== 'string') return undefined;
  if (e.parts.length === 0) return '';
  if (e.parts.length === 1 && typeof e.parts[0] === 'string') return e.parts[0];
  return undefined;
}
