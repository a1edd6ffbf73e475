/**
 * The typed syntax tree of a Nix expression: what `lower.ts` produces from the
 * tree-sitter tree and what the evaluator compiles.
 *
 * The tree is already "parsed" in Nix's sense, not only in tree-sitter's: the
 * checks Nix makes in its parser have run (duplicate attributes, the merging of
 * nested attribute paths `{ a.b = 1; a.c = 2; }`, duplicate formals), strings
 * have their escapes and indentation rules applied, and the legacy
 * `let { body = ...; }` is already `(rec { ... }).body`. Every node carries its
 * span. Names are plain strings here; `src/eval/compile` resolves variables to
 * scope slots once, before evaluation, and records that on the `Var` nodes.
 *
 * Operators are kept as written (`a - b` is a `BinOp`), even where Nix's parser
 * rewrites them into calls of `__sub`, `__lessThan`, ...: the evaluator is faster
 * for it, and `print.ts` writes Nix's rewritten form for `--parse`.
 */
import type { Span } from '../span.js';

export type Expr =
  | Int | Float | Str | Path | SearchPath
  | Var | Select | HasAttr | Attrs | Let | List
  | Lambda | Call | With | If | Assert
  | BinOp | Not | Neg;

interface Node {
  readonly span: Span;
}

/** An integer literal. Literals that do not fit 64 bits are a parse error. */
export interface Int extends Node { readonly kind: 'int'; readonly value: bigint; }
/** A float literal; `text` is the source spelling, for `--parse`. */
export interface Float extends Node { readonly kind: 'float'; readonly value: number; readonly text: string; }

/**
 * A string: `"..."`, `''...''` or a URI literal (`github:NixOS/nixpkgs`, which
 * Nix reads as a plain string). `parts` holds literal text (escapes resolved,
 * indentation stripped) and interpolated expressions; adjacent text parts are
 * merged and empty text parts removed, so `"a${b}"` is `['a', b]`.
 */
export interface Str extends Node {
  readonly kind: 'string';
  readonly parts: ReadonlyArray<string | Expr>;
  readonly form: 'double' | 'indented' | 'uri';
  /**
   * Only for `--parse`: Nix's own split of an indented string, where escapes
   * (`''$`, `'''`, `''\n`) start new parts that `parts` has merged. Absent
   * when it equals `parts`. The evaluator ignores it.
   */
  readonly nixParts?: ReadonlyArray<string | Expr>;
}

/**
 * A path literal. `base` says what it is relative to; `parts` is the text with
 * interpolations (`./cow${x}.service` is `['./cow', x, '.service']` before the
 * base is applied). For a literal without interpolation, `parts` is one string:
 * the absolute, canonical path Nix gives it at parse time (`./a/../b` relative to
 * /dir is `/dir/b`; `~/x` uses $HOME).
 */
export interface Path extends Node {
  readonly kind: 'path';
  readonly base: 'absolute' | 'relative' | 'home';
  readonly parts: ReadonlyArray<string | Expr>;
}

/** `<nixpkgs>` or `<nixpkgs/lib>`: `path` is the text between the brackets. */
export interface SearchPath extends Node { readonly kind: 'searchPath'; readonly path: string; }

/**
 * A variable. The compile pass fills `resolved`: either a lexical slot
 * (`up` scopes out, index `slot`), or `with` (looked up at run time through
 * the innermost `with` scopes, `withDepth` levels being the nearest), or a
 * builtin/global (true, false, null, builtins, map, ...).
 */
export interface Var extends Node {
  readonly kind: 'var';
  readonly name: string;
  resolved?: unknown;
}

/** An attribute name in a path: `a`, `"a"`, `${e}` or `"${e}"` (dynamic). */
export type AttrName =
  | { readonly kind: 'static'; readonly name: string; readonly span: Span }
  | { readonly kind: 'dynamic'; readonly expr: Expr; readonly span: Span };

/** `e.a.b` or `e.a.b or d`. */
export interface Select extends Node {
  readonly kind: 'select';
  readonly expr: Expr;
  readonly path: ReadonlyArray<AttrName>;
  readonly fallback?: Expr;
}

/** `e ? a.b`. */
export interface HasAttr extends Node {
  readonly kind: 'hasAttr';
  readonly expr: Expr;
  readonly path: ReadonlyArray<AttrName>;
}

/**
 * One statically named attribute of a set or `let`.
 * - `plain`: `name = value;` (after merging nested paths, `value` may be an
 *   `Attrs` made by the parser).
 * - `inherit`: `inherit name;`: a `Var` looked up in the scope *outside* the
 *   set, even in a `rec` set or `let`.
 * - `inheritFrom`: `inherit (from) name;`: `from` indexes `Attrs.inheritFrom`,
 *   evaluated once and shared by every name inherited from it.
 */
export type AttrDef =
  | { readonly kind: 'plain'; readonly value: Expr; readonly nameSpan: Span }
  | { readonly kind: 'inherit'; readonly value: Var; readonly nameSpan: Span }
  | { readonly kind: 'inheritFrom'; readonly from: number; readonly nameSpan: Span };

/** `${e} = value;` in a set; dynamic names are not allowed in `let`. */
export interface DynamicAttr {
  readonly name: Expr;
  readonly value: Expr;
  readonly span: Span;
}

/** `{ ... }` or `rec { ... }`. `attrs` is in source order of first definition. */
export interface Attrs extends Node {
  readonly kind: 'attrs';
  readonly rec: boolean;
  readonly attrs: ReadonlyMap<string, AttrDef>;
  readonly dynamic: ReadonlyArray<DynamicAttr>;
  readonly inheritFrom: ReadonlyArray<Expr>;
}

/** `let ... in body`: the bindings are recursive, as in a `rec` set. */
export interface Let extends Node {
  readonly kind: 'let';
  readonly attrs: ReadonlyMap<string, AttrDef>;
  readonly inheritFrom: ReadonlyArray<Expr>;
  readonly body: Expr;
}

export interface List extends Node { readonly kind: 'list'; readonly elems: ReadonlyArray<Expr>; }

export interface Formal {
  readonly name: string;
  readonly fallback?: Expr;
  readonly span: Span;
}

/**
 * `x: body`, `{ a, b ? 1, ... }: body`, `args@{ ... }: body`, `{ ... }@args: body`.
 * `formals` is in source order (Nix sorts them only for printing and errors).
 */
export interface Lambda extends Node {
  readonly kind: 'lambda';
  readonly param?: string;
  readonly formals?: { readonly entries: ReadonlyArray<Formal>; readonly ellipsis: boolean };
  readonly body: Expr;
  /** The binding name when the lambda is the value of `name = ...;` (for messages: "function 'name'"). */
  name?: string;
}

/** `f a b`: consecutive applications collapse into one call, as in Nix. */
export interface Call extends Node { readonly kind: 'call'; readonly fn: Expr; readonly args: ReadonlyArray<Expr>; }

export interface With extends Node { readonly kind: 'with'; readonly env: Expr; readonly body: Expr; }
export interface If extends Node { readonly kind: 'if'; readonly cond: Expr; readonly then: Expr; readonly else: Expr; }
export interface Assert extends Node { readonly kind: 'assert'; readonly cond: Expr; readonly body: Expr; }

export type BinaryOperator =
  | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||' | '->'
  | '+' | '-' | '*' | '/' | '++' | '//';

export interface BinOp extends Node {
  readonly kind: 'binop';
  readonly op: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
  /** The operator itself: where Nix reports errors of the operation ("cannot add ..."). */
  readonly opSpan: Span;
}

export interface Not extends Node { readonly kind: 'not'; readonly expr: Expr; }
/** Unary minus; Nix reads `-x` as `0 - x`. */
export interface Neg extends Node { readonly kind: 'neg'; readonly expr: Expr; }
