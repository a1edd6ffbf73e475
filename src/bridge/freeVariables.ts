/**
 * The variables a function refers to outside itself, found on its syntax tree:
 * to write a user's function back as Nix source, the bridge must also write the
 * values it captured from its surroundings.
 *
 * Over-approximating is harmless (a name that is bound inside after all is
 * shadowed by the inner binding), missing one is not; so every construct that
 * binds names is handled, and `inherit (e)` expressions are scanned in the
 * inner scope. `underWith` records names that occur inside a `with` of the
 * function itself: a value bound around the function would win over that
 * `with`, so such names need care.
 */
import type * as ast from '../eval/syntax/ast.js';

export interface FreeVariables {
  readonly names: Set<string>;
  readonly underWith: Set<string>;
}

export function freeVariables(lambda: ast.Lambda): FreeVariables {
  const result: FreeVariables = { names: new Set(), underWith: new Set() };
  visit(lambda, new Set(), 0, result);
  return result;
}

function bindingsOf(attrs: ReadonlyMap<string, ast.AttrDef>): string[] {
  return [...attrs.keys()];
}

function visit(e: ast.Expr, bound: ReadonlySet<string>, withDepth: number, out: FreeVariables): void {
  const go = (x: ast.Expr, b: ReadonlySet<string> = bound, w = withDepth) => visit(x, b, w, out);
  const extend = (names: Iterable<string>) => new Set([...bound, ...names]);
  switch (e.kind) {
    case 'int': case 'float': case 'searchPath': return;
    case 'string': for (const p of e.parts) if (typeof p !== 'string') go(p); return;
    case 'path': for (const p of e.parts) if (typeof p !== 'string') go(p); return;
    case 'var':
      if (!bound.has(e.name)) {
        out.names.add(e.name);
        if (withDepth > 0) out.underWith.add(e.name);
      }
      return;
    case 'select':
      go(e.expr);
      for (const a of e.path) if (a.kind === 'dynamic') go(a.expr);
      if (e.fallback) go(e.fallback);
      return;
    case 'hasAttr':
      go(e.expr);
      for (const a of e.path) if (a.kind === 'dynamic') go(a.expr);
      return;
    case 'attrs': {
      const inner = e.rec ? extend(bindingsOf(e.attrs)) : bound;
      visitBindings(e.attrs, e.inheritFrom, inner, bound, withDepth, out);
      for (const d of e.dynamic) {
        go(d.name, bound);
        go(d.value, inner);
      }
      return;
    }
    case 'let': {
      const inner = extend(bindingsOf(e.attrs));
      visitBindings(e.attrs, e.inheritFrom, inner, bound, withDepth, out);
      go(e.body, inner);
      return;
    }
    case 'list': for (const x of e.elems) go(x); return;
    case 'lambda': {
      const names = [...(e.param ? [e.param] : []), ...(e.formals?.entries.map((f) => f.name) ?? [])];
      const inner = extend(names);
      for (const f of e.formals?.entries ?? []) if (f.fallback) go(f.fallback, inner);
      go(e.body, inner);
      return;
    }
    case 'call': go(e.fn); for (const a of e.args) go(a); return;
    case 'with': go(e.env); go(e.body, bound, withDepth + 1); return;
    case 'if': go(e.cond); go(e.then); go(e.else); return;
    case 'assert': go(e.cond); go(e.body); return;
    case 'binop': go(e.left); go(e.right); return;
    case 'not': case 'neg': go(e.expr); return;
  }
}

function visitBindings(
  attrs: ReadonlyMap<string, ast.AttrDef>, inheritFrom: ReadonlyArray<ast.Expr>,
  inner: ReadonlySet<string>, outer: ReadonlySet<string>, withDepth: number, out: FreeVariables,
): void {
  for (const def of attrs.values()) {
    if (def.kind === 'plain') visit(def.value, inner, withDepth, out);
    // `inherit x;` looks x up outside the set, even in `rec` and `let`.
    else if (def.kind === 'inherit') visit(def.value, outer, withDepth, out);
  }
  for (const from of inheritFrom) visit(from, inner, withDepth, out);
}
