/**
 * Finding things in a document's syntax tree for the editor: what is at a
 * position (a variable, an attribute of a selection, the name of a binding, a
 * path literal) and which bindings are in scope there, with where each is
 * written, so that a name can be followed to its definition; where an
 * attribute's value or a flake's input is written.
 *
 * The scope rules are Nix's (compile/scope.ts resolves the same names to
 * slots for evaluation, without keeping where they were bound): `let` and
 * `rec` bindings see each other, `inherit x;` looks `x` up outside its set,
 * function arguments are seen by their defaults and the body, and a `with`
 * only supplies names no lexical binding has, whichever is nearer.
 *
 * Parser-made sets (`a.b = 1; a.c = 2;` makes `a` a set) span only their
 * attribute path, so sets are always searched whole rather than pruned by span.
 */
import type * as ast from '../eval/syntax/ast.js';
import type { Span } from '../eval/span.js';
import { spanOffsets } from '../eval/syntax/positions.js';

/** What a name can be bound by. */
export type Binding =
  /** A `let` or `rec { }` binding (`name = value;`, `inherit name;`, `inherit (e) name;`). */
  | { readonly kind: 'attr'; readonly name: string; readonly def: ast.AttrDef; readonly owner: ast.Let | ast.Attrs }
  | { readonly kind: 'formal'; readonly name: string; readonly formal: ast.Formal; readonly lambda: ast.Lambda }
  | { readonly kind: 'param'; readonly name: string; readonly lambda: ast.Lambda };

/** One level of scope, outermost first in a `Scope`. */
export type Frame =
  | { readonly kind: 'names'; readonly names: ReadonlyMap<string, Binding> }
  | { readonly kind: 'with'; readonly env: ast.Expr; readonly scope: Scope };

export type Scope = readonly Frame[];

/** What a name refers to: a binding, else the `with`s that may supply it (innermost first), else a builtin or nothing. */
export type Resolution =
  | { readonly kind: 'binding'; readonly binding: Binding; readonly scope: Scope }
  | { readonly kind: 'with'; readonly withs: ReadonlyArray<Extract<Frame, { kind: 'with' }>> }
  | { readonly kind: 'global' };

export type Target =
  | { readonly kind: 'var'; readonly node: ast.Var }
  /** On attribute `attr` (an index into `node.path`) of a selection. */
  | { readonly kind: 'select'; readonly node: ast.Select; readonly attr: number }
  /** On the name of a binding of a set or `let` (`outer`: the scope around the set, where `inherit x;` looks). */
  | { readonly kind: 'attrName'; readonly name: string; readonly def: ast.AttrDef; readonly owner: ast.Let | ast.Attrs; readonly outer: Scope }
  | { readonly kind: 'formal'; readonly formal: ast.Formal; readonly lambda: ast.Lambda }
  | { readonly kind: 'param'; readonly lambda: ast.Lambda }
  | { readonly kind: 'path'; readonly node: ast.Path }
  | { readonly kind: 'searchPath'; readonly node: ast.SearchPath }
  | { readonly kind: 'other'; readonly node: ast.Expr };

export interface Located {
  readonly target: Target;
  /** The scope at the target. */
  readonly scope: Scope;
  /** The expressions around the target, outermost first. */
  readonly ancestors: readonly ast.Expr[];
}

export function offsets(span: Span): { start: number; end: number } {
  return spanOffsets(span) ?? { start: -1, end: -1 };
}

/** Whether `offset` is inside the span or just after its end (where a cursor ends a word). */
export function spanHas(span: Span, offset: number): boolean {
  const o = offsets(span);
  return o.start <= offset && offset <= o.end;
}

/** The scope level of a `let` or `rec { }`: its bindings. */
export function attrBindings(attrs: ReadonlyMap<string, ast.AttrDef>, owner: ast.Let | ast.Attrs): Frame {
  const names = new Map<string, Binding>();
  for (const [name, def] of attrs) names.set(name, { kind: 'attr', name, def, owner });
  return { kind: 'names', names };
}

function lambdaBindings(e: ast.Lambda): Frame {
  const names = new Map<string, Binding>();
  if (e.param !== undefined) names.set(e.param, { kind: 'param', name: e.param, lambda: e });
  for (const formal of e.formals?.entries ?? []) names.set(formal.name, { kind: 'formal', name: formal.name, formal, lambda: e });
  return { kind: 'names', names };
}

/** The scope inside `e` for its child `child` (the scope rules of the module comment). */
function innerScope(e: ast.Expr, scope: Scope): Scope {
  switch (e.kind) {
    case 'let': return [...scope, attrBindings(e.attrs, e)];
    case 'attrs': return e.rec ? [...scope, attrBindings(e.attrs, e)] : scope;
    case 'lambda': return [...scope, lambdaBindings(e)];
    default: return scope;
  }
}

/** What is at `offset`, the innermost thing first; undefined when the offset is outside `root`. */
export function locate(root: ast.Expr, offset: number): Located | undefined {
  return visit(root, [], [], offset);
}

function visit(e: ast.Expr, scope: Scope, ancestors: ast.Expr[], offset: number): Located | undefined {
  if (e.kind !== 'attrs' && !spanHas(e.span, offset)) return undefined;
  ancestors.push(e);
  const at = (target: Target, s: Scope = scope): Located => ({ target, scope: s, ancestors: ancestors.slice(0, -1) });
  const child = (x: ast.Expr, s: Scope = scope): Located | undefined => visit(x, s, ancestors, offset);
  const first = (...xs: Array<() => Located | undefined>): Located | undefined => {
    for (const x of xs) {
      const r = x();
      if (r) return r;
    }
    return undefined;
  };
  let found: Located | undefined;
  switch (e.kind) {
    case 'var': found = at({ kind: 'var', node: e }); break;
    case 'path':
      found = first(...e.parts.map((p) => () => (typeof p === 'string' ? undefined : child(p)))) ?? at({ kind: 'path', node: e });
      break;
    case 'searchPath': found = at({ kind: 'searchPath', node: e }); break;
    case 'string': found = first(...e.parts.map((p) => () => (typeof p === 'string' ? undefined : child(p)))); break;
    case 'select': {
      found = child(e.expr);
      if (found) break;
      for (const [i, a] of e.path.entries()) {
        if (a.kind === 'dynamic') found = child(a.expr);
        else if (spanHas(a.span, offset)) found = at({ kind: 'select', node: e, attr: i });
        if (found) break;
      }
      found ??= e.fallback && child(e.fallback);
      break;
    }
    case 'hasAttr':
      found = child(e.expr) ?? first(...e.path.map((a) => () => (a.kind === 'dynamic' ? child(a.expr) : undefined)));
      break;
    case 'attrs': case 'let': {
      const inner = innerScope(e, scope);
      for (const [name, def] of e.attrs) {
        if (spanHas(def.nameSpan, offset) && (def.kind !== 'plain' || !spanHas(def.value.span, offset) || def.value.kind === 'attrs')) {
          // On a name (a parser-made set's value spans only the path: look inside it first).
          if (def.kind === 'plain' && def.value.kind === 'attrs') found = child(def.value, inner);
          found ??= at({ kind: 'attrName', name, def, owner: e, outer: scope }, inner);
        } else if (def.kind === 'plain') {
          found = child(def.value, inner);
        }
        if (found) break;
      }
      found ??= first(...e.inheritFrom.map((x) => () => child(x, inner)));
      if (!found && e.kind === 'attrs') {
        for (const d of e.dynamic) {
          found = child(d.name, scope) ?? child(d.value, inner);
          if (found) break;
        }
      }
      if (!found && e.kind === 'let') found = child(e.body, inner);
      // A set found by its children only (its own span may not cover them).
      if (!found && e.kind === 'attrs' && !spanHas(e.span, offset)) {
        ancestors.pop();
        return undefined;
      }
      break;
    }
    case 'list': found = first(...e.elems.map((x) => () => child(x))); break;
    case 'lambda': {
      const inner = innerScope(e, scope);
      for (const formal of e.formals?.entries ?? []) {
        if (spanHas(formal.span, offset)) found = at({ kind: 'formal', formal, lambda: e }, inner);
        else if (formal.fallback) found = child(formal.fallback, inner);
        if (found) break;
      }
      found ??= child(e.body, inner);
      if (!found && e.param !== undefined && offsets(e.span).start <= offset && offset < offsets(e.body.span).start) {
        found = at({ kind: 'param', lambda: e }, inner);
      }
      break;
    }
    case 'call': found = child(e.fn) ?? first(...e.args.map((x) => () => child(x))); break;
    case 'with': found = child(e.env) ?? child(e.body, [...scope, { kind: 'with', env: e.env, scope }]); break;
    case 'if': found = child(e.cond) ?? child(e.then) ?? child(e.else); break;
    case 'assert': found = child(e.cond) ?? child(e.body); break;
    case 'binop': found = child(e.left) ?? child(e.right); break;
    case 'not': case 'neg': found = child(e.expr); break;
    default: break;
  }
  found ??= at({ kind: 'other', node: e });
  ancestors.pop();
  return found;
}

/** What `name` refers to in `scope`. */
export function resolveName(name: string, scope: Scope): Resolution {
  const withs: Array<Extract<Frame, { kind: 'with' }>> = [];
  for (let i = scope.length - 1; i >= 0; i--) {
    const f = scope[i]!;
    if (f.kind === 'with') {
      withs.push(f);
      continue;
    }
    const binding = f.names.get(name);
    if (binding) return { kind: 'binding', binding, scope: scope.slice(0, i + 1) };
  }
  return withs.length ? { kind: 'with', withs } : { kind: 'global' };
}

/** Every name bound lexically in `scope`, innermost binding of each. */
export function namesInScope(scope: Scope): Map<string, Binding> {
  const out = new Map<string, Binding>();
  for (let i = scope.length - 1; i >= 0; i--) {
    const f = scope[i]!;
    if (f.kind === 'names') for (const [n, b] of f.names) if (!out.has(n)) out.set(n, b);
  }
  return out;
}

/** Where a binding's name is written. */
export function bindingSpan(b: Binding): Span {
  switch (b.kind) {
    case 'attr': return b.def.nameSpan;
    case 'formal': return b.formal.span;
    case 'param': return b.lambda.span;
  }
}

/** The expression a binding gives its name, when it is written there (`name = value;`, a formal's default). */
export function bindingValue(b: Binding): ast.Expr | undefined {
  if (b.kind === 'attr') return b.def.kind === 'plain' ? b.def.value : undefined;
  if (b.kind === 'formal') return b.formal.fallback;
  return undefined;
}

/** The call whose span starts and ends at these offsets (a builder call the evaluator reported). */
export function findCall(root: ast.Expr, start: number, end: number): ast.Call | undefined {
  let found: ast.Call | undefined;
  const search = (e: ast.Expr): void => {
    if (found) return;
    const o = offsets(e.span);
    if (e.kind !== 'attrs' && (o.end < start || o.start > end)) return;
    if (e.kind === 'call' && o.start === start && o.end === end) {
      found = e;
      return;
    }
    forEachChild(e, search);
  };
  search(root);
  return found;
}

/** Calls `f` on each direct child expression of `e`. */
export function forEachChild(e: ast.Expr, f: (x: ast.Expr) => void): void {
  const parts = (ps: ReadonlyArray<string | ast.Expr>) => { for (const p of ps) if (typeof p !== 'string') f(p); };
  const names = (path: ReadonlyArray<ast.AttrName>) => { for (const a of path) if (a.kind === 'dynamic') f(a.expr); };
  switch (e.kind) {
    case 'string': case 'path': parts(e.parts); return;
    case 'select': f(e.expr); names(e.path); if (e.fallback) f(e.fallback); return;
    case 'hasAttr': f(e.expr); names(e.path); return;
    case 'attrs': case 'let':
      for (const def of e.attrs.values()) if (def.kind === 'plain') f(def.value);
      for (const x of e.inheritFrom) f(x);
      if (e.kind === 'attrs') for (const d of e.dynamic) { f(d.name); f(d.value); }
      else f(e.body);
      return;
    case 'list': for (const x of e.elems) f(x); return;
    case 'lambda': for (const formal of e.formals?.entries ?? []) if (formal.fallback) f(formal.fallback); f(e.body); return;
    case 'call': f(e.fn); for (const x of e.args) f(x); return;
    case 'with': f(e.env); f(e.body); return;
    case 'if': f(e.cond); f(e.then); f(e.else); return;
    case 'assert': f(e.cond); f(e.body); return;
    case 'binop': f(e.left); f(e.right); return;
    case 'not': case 'neg': f(e.expr); return;
    default: return;
  }
}

/**
 * Where the document writes the value at `names` (`web`, or for a flake
 * `outputs.packages.x86_64-linux.web`), following sets through function and
 * `let` bodies; undefined when it is computed rather than written.
 */
export function writtenAt(expr: ast.Expr, names: readonly string[]): Span | undefined {
  let e = expr;
  let at: Span | undefined;
  for (const name of names) {
    while (e.kind === 'lambda' || e.kind === 'let') e = e.body;
    const def = e.kind === 'attrs' ? e.attrs.get(name) : undefined;
    if (def?.kind !== 'plain') return undefined;
    e = def.value;
    at = def.value.span;
  }
  return at;
}

/**
 * Where a flake.nix declares an input (`inputs.nixpkgs.url = ...;`, a nested
 * `inputs.a.inputs.b.follows`, or only an argument of `outputs`), as deep
 * along `path` as it is written.
 */
export function inputDeclaration(expr: ast.Expr, path: readonly string[]): Span | undefined {
  if (expr.kind !== 'attrs') return undefined;
  let found: Span | undefined;
  let inputs = expr.attrs.get('inputs');
  for (const name of path) {
    const def = inputs?.kind === 'plain' && inputs.value.kind === 'attrs' ? inputs.value.attrs.get(name) : undefined;
    if (def === undefined) break;
    found = def.nameSpan;
    inputs = def.kind === 'plain' && def.value.kind === 'attrs' ? def.value.attrs.get('inputs') : undefined;
  }
  if (found) return found;
  const outputs = expr.attrs.get('outputs');
  const fn = outputs?.kind === 'plain' && outputs.value.kind === 'lambda' ? outputs.value : undefined;
  return fn?.formals?.entries.find((f) => f.name === path[0])?.span;
}
