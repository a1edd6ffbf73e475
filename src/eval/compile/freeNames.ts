/**
 * The names a file uses that none of its own bindings defines and no `with`
 * encloses: the names compiling it looks up in the base environment, and
 * reports as "undefined variable" when they are not there (scope.ts). A file
 * whose free names are all globals compiles; it can then have its functions'
 * bodies compiled when they are first called instead of with the file
 * (interp/program.ts), and the error Nix gives at parse time for a function
 * never called is still given when the file is loaded: a file with a name
 * not defined is compiled in full, which reports it exactly as before.
 *
 * The walk makes no code and allocates a scope only per function; it follows
 * compile's scoping (scope.ts, interp/attrs.ts) where it matters. A name
 * reported that compiling would find is harmless (that file is compiled in
 * full, for nothing); a name missed would hide an error, so every construct
 * that binds names is handled here as compile handles it. Nothing under a
 * `with` can be undefined (a name bound nowhere is looked up in the `with`
 * at run time), so bodies of `with` are not walked; nor are lists and sets of
 * literals (no names in them, and the parse cache need not decode them).
 */
import type * as ast from '../syntax/ast.js';
import { isLiteral } from '../syntax/literals.js';

/** One level of bindings, innermost first: a function's names, or a `let`'s or `rec` set's definitions. */
interface Level {
  readonly names: ReadonlySet<string> | ReadonlyMap<string, unknown>;
  readonly parent: Level | undefined;
}

const known = new WeakMap<ast.Expr, ReadonlySet<string>>();

/** The free names of `e` (a whole file) outside every `with`; found once per tree. */
export function freeNames(e: ast.Expr): ReadonlySet<string> {
  let names = known.get(e);
  if (names === undefined) {
    const out = new Set<string>();
    walk(e, undefined, out);
    names = out;
    known.set(e, names);
  }
  return names;
}

/**
 * `copy` has the free names of `tree` (the parse cache's tree decoded from
 * the one it has just lowered: found on the lowered tree, whose functions'
 * bodies are all there, the decoded one's need not be decoded for it).
 */
export function sameFreeNames(tree: ast.Expr, copy: ast.Expr): void {
  known.set(copy, freeNames(tree));
}

function bound(name: string, level: Level | undefined): boolean {
  for (let l = level; l !== undefined; l = l.parent) if (l.names.has(name)) return true;
  return false;
}

function use(name: string, level: Level | undefined, out: Set<string>): void {
  if (!bound(name, level)) out.add(name);
}

function walkParts(parts: ReadonlyArray<string | ast.Expr>, level: Level | undefined, out: Set<string>): void {
  for (const p of parts) if (typeof p !== 'string') walk(p, level, out);
}

function walkPath(path: ReadonlyArray<ast.AttrName>, level: Level | undefined, out: Set<string>): void {
  for (const a of path) if (a.kind === 'dynamic') walk(a.expr, level, out);
}

/**
 * A set's or `let`'s static bindings: values and `inherit (e)` sources in
 * `inner` (the recursive level, or the outer one for a plain set), `inherit x`
 * in `outer`, as interp/attrs.ts's compileBindings.
 */
function walkBindings(
  attrs: ReadonlyMap<string, ast.AttrDef>, inheritFrom: ReadonlyArray<ast.Expr>,
  inner: Level | undefined, outer: Level | undefined, out: Set<string>,
): void {
  for (const def of attrs.values()) {
    if (def.kind === 'plain') walk(def.value, inner, out);
    else if (def.kind === 'inherit') walk(def.value, outer, out);
  }
  for (const from of inheritFrom) walk(from, inner, out);
}

function walk(e: ast.Expr, level: Level | undefined, out: Set<string>): void {
  switch (e.kind) {
    case 'int': case 'float': return;
    case 'string': walkParts(e.parts, level, out); return;
    case 'path': walkParts(e.parts, level, out); return;
    case 'searchPath':
      // `<p>` is `__findFile __nixPath "p"` when either is bound otherwise than as a global
      // (interp/strings.ts): both are then looked up as variables.
      use('__findFile', level, out);
      use('__nixPath', level, out);
      return;
    case 'var':
      if (e.name !== '__curPos') use(e.name, level, out); // `__curPos` is a keyword
      return;
    case 'select':
      walk(e.expr, level, out);
      walkPath(e.path, level, out);
      if (e.fallback) walk(e.fallback, level, out);
      return;
    case 'hasAttr':
      walk(e.expr, level, out);
      walkPath(e.path, level, out);
      return;
    case 'attrs': {
      if (isLiteral(e)) return;
      const inner = e.rec ? { names: e.attrs, parent: level } : level;
      walkBindings(e.attrs, e.inheritFrom, inner, level, out);
      for (const d of e.dynamic) {
        walk(d.name, inner, out);
        walk(d.value, inner, out);
      }
      return;
    }
    case 'let': {
      const inner = { names: e.attrs, parent: level };
      walkBindings(e.attrs, e.inheritFrom, inner, level, out);
      walk(e.body, inner, out);
      return;
    }
    case 'list':
      if (isLiteral(e)) return;
      for (const x of e.elems) walk(x, level, out);
      return;
    case 'lambda': {
      const names = new Set<string>();
      if (e.param !== undefined) names.add(e.param);
      for (const f of e.formals?.entries ?? []) names.add(f.name);
      const inner = { names, parent: level };
      for (const f of e.formals?.entries ?? []) if (f.fallback) walk(f.fallback, inner, out);
      walk(e.body, inner, out);
      return;
    }
    case 'call':
      walk(e.fn, level, out);
      for (const a of e.args) walk(a, level, out);
      return;
    case 'with': walk(e.env, level, out); return; // its body: see the top of this file
    case 'if':
      walk(e.cond, level, out);
      walk(e.then, level, out);
      walk(e.else, level, out);
      return;
    case 'assert':
      walk(e.cond, level, out);
      walk(e.body, level, out);
      return;
    case 'binop':
      walk(e.left, level, out);
      walk(e.right, level, out);
      return;
    case 'not': case 'neg': walk(e.expr, level, out); return;
  }
}
