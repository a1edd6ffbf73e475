/**
 * Go to definition, from the syntax tree alone (nothing is evaluated): a name
 * goes to the binding that introduces it (a `let` or `rec` binding, an
 * `inherit`, a function argument); the name in `inherit x;` goes on to where
 * `x` is bound outside; an attribute of a selection (`cfg.units`, `inherit
 * (src) x`) goes to where that attribute is written, following names, `let`
 * bodies and `import ./file.nix` into other files; a path literal or `import`
 * opens the file (a directory's default.nix); `<nixpkgs>` resolves through
 * the search path.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver';
import { NixError } from '../eval/errors.js';
import { findInSearchPath, parseSearchPath } from '../eval/searchPath.js';
import type * as ast from '../eval/syntax/ast.js';
import { parseNix } from '../eval/syntax/parse.js';
import type { Span } from '../eval/span.js';
import { documentSession, parseDocument, type WorkerEnv } from './evaluation.js';
import type { DocumentInput } from './protocol.js';
import { spanRange } from './ranges.js';
import { attrBindings, bindingSpan, bindingValue, locate, resolveName, type Binding, type Scope } from './syntaxTree.js';

const enum Limits {
  /** Steps followed from a name to the set it stands for (names, `let`, imports). */
  FollowSteps = 32,
}

/** An expression and the scope its names are resolved in. */
interface Place {
  readonly expr: ast.Expr;
  readonly scope: Scope;
}

/** The file a path names for `import`: a directory stands for its default.nix. */
export function importedFile(path: string): string {
  try {
    return statSync(path).isDirectory() ? join(path, 'default.nix') : path;
  } catch {
    return path;
  }
}

function locationOf(span: Span, doc: DocumentInput): Location {
  const uri = span.source.path === doc.path ? doc.uri : pathToFileURL(span.source.path).href;
  return { uri, range: spanRange(span) };
}

function fileLocation(path: string): Location {
  return { uri: pathToFileURL(path).href, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}

/** A Nix file's syntax tree, or undefined when it cannot be read or parsed. */
function parseFileAt(path: string): ast.Expr | undefined {
  const file = importedFile(path);
  try {
    return parseNix(readFileSync(file, 'utf8'), file, { baseDir: dirname(file) });
  } catch (e) {
    if (e instanceof NixError || (e as NodeJS.ErrnoException).code !== undefined) return undefined;
    throw e;
  }
}

/** The literal path of `import ./x.nix` (or `import ./dir`), if `e` is one. */
function importedPath(e: ast.Call): string | undefined {
  const fn = e.fn;
  const isImport = (fn.kind === 'var' && fn.name === 'import')
    || (fn.kind === 'select' && fn.expr.kind === 'var' && fn.expr.name === 'builtins' && fn.path.length === 1
      && fn.path[0]!.kind === 'static' && fn.path[0]!.name === 'import');
  const arg = e.args[0];
  if (!isImport || arg?.kind !== 'path' || arg.parts.length !== 1 || typeof arg.parts[0] !== 'string') return undefined;
  return arg.parts[0];
}

/** The binding a binding stands for when it only passes a name on (`inherit x;`). */
function bindingPlace(b: Binding, scope: Scope): Place | undefined {
  const value = bindingValue(b);
  if (value) return { expr: value, scope };
  if (b.kind === 'attr' && b.def.kind === 'inherit') {
    const outer = resolveName(b.name, scope.slice(0, -1));
    return outer.kind === 'binding' ? bindingPlace(outer.binding, outer.scope) : undefined;
  }
  if (b.kind === 'attr' && b.def.kind === 'inheritFrom') {
    const from = b.owner.inheritFrom[b.def.from];
    return from ? attributeOf({ expr: from, scope }, b.name, 0)?.value : undefined;
  }
  return undefined;
}

/** Follows names, `let` bodies, calls of functions and imports to the expression a value is written as. */
function follow(p: Place, steps: number): Place | undefined {
  if (steps > Limits.FollowSteps) return undefined;
  const e = p.expr;
  switch (e.kind) {
    case 'var': {
      const r = resolveName(e.name, p.scope);
      if (r.kind !== 'binding') return undefined;
      const next = bindingPlace(r.binding, r.scope);
      return next && follow(next, steps + 1);
    }
    case 'let': return follow({ expr: e.body, scope: [...p.scope, attrBindings(e.attrs, e)] }, steps + 1);
    case 'call': {
      const imported = importedPath(e);
      if (imported !== undefined) {
        const root = parseFileAt(imported);
        return root && follow({ expr: root, scope: [] }, steps + 1);
      }
      // `f args`: what f gives, read from its body (the arguments' values are not followed).
      const fn = follow({ expr: e.fn, scope: p.scope }, steps + 1);
      if (fn?.expr.kind !== 'lambda') return undefined;
      let body: ast.Expr = fn.expr;
      for (let i = 0; i < e.args.length && body.kind === 'lambda'; i++) body = body.body;
      return follow({ expr: body, scope: fn.scope }, steps + 1);
    }
    case 'select': {
      let cur: Place | undefined = follow({ expr: e.expr, scope: p.scope }, steps + 1);
      for (const a of e.path) {
        if (!cur || a.kind !== 'static') return undefined;
        const attr = attributeOf(cur, a.name, steps + 1);
        cur = attr?.value && follow(attr.value, steps + 1);
      }
      return cur;
    }
    default: return p;
  }
}

/** Where attribute `name` of the value at `p` is written, and its value's place. */
function attributeOf(p: Place, name: string, steps: number): { span: Span; value?: Place } | undefined {
  const set = follow(p, steps);
  if (set?.expr.kind !== 'attrs') return undefined;
  const attrs = set.expr;
  const def = attrs.attrs.get(name);
  if (!def) return undefined;
  // bindingPlace looks outside the binding's own level for `inherit x;`: a plain set adds an empty one.
  const level: Scope = [...set.scope, attrs.rec ? attrBindings(attrs.attrs, attrs) : { kind: 'names', names: new Map() }];
  const value = bindingPlace({ kind: 'attr', name, def, owner: attrs }, level);
  return { span: def.nameSpan, ...(value ? { value } : {}) };
}

export function definition(doc: DocumentInput, offset: number, env: WorkerEnv): Location[] {
  let root: ast.Expr;
  try {
    root = parseDocument(doc);
  } catch (e) {
    if (e instanceof NixError) return [];
    throw e;
  }
  const found = locate(root, offset);
  if (!found) return [];
  const t = found.target;
  switch (t.kind) {
    case 'var': {
      const r = resolveName(t.node.name, found.scope);
      if (r.kind === 'binding') return [locationOf(bindingSpan(r.binding), doc)];
      if (r.kind === 'with') {
        for (const w of r.withs) {
          const attr = attributeOf({ expr: w.env, scope: w.scope }, t.node.name, 0);
          if (attr) return [locationOf(attr.span, doc)];
        }
      }
      return [];
    }
    case 'select': {
      const base: ast.Expr = t.attr === 0 ? t.node.expr : { ...t.node, path: t.node.path.slice(0, t.attr), fallback: undefined };
      const a = t.node.path[t.attr]!;
      if (a.kind !== 'static') return [];
      const attr = attributeOf({ expr: base, scope: found.scope }, a.name, 0);
      return attr ? [locationOf(attr.span, doc)] : [];
    }
    case 'attrName': {
      if (t.def.kind === 'inherit') {
        const r = resolveName(t.name, t.outer);
        return r.kind === 'binding' ? [locationOf(bindingSpan(r.binding), doc)] : [];
      }
      if (t.def.kind === 'inheritFrom') {
        const from = t.owner.inheritFrom[t.def.from];
        const attr = from && attributeOf({ expr: from, scope: found.scope }, t.name, 0);
        return attr ? [locationOf(attr.span, doc)] : [];
      }
      return [locationOf(t.def.nameSpan, doc)];
    }
    case 'formal': return [locationOf(t.formal.span, doc)];
    case 'path': {
      const p = t.node.parts[0];
      return t.node.parts.length === 1 && typeof p === 'string' ? [fileLocation(importedFile(p))] : [];
    }
    case 'searchPath': {
      const session = documentSession(doc, env, []);
      try {
        return [fileLocation(importedFile(findInSearchPath(parseSearchPath(session.bridge.searchPath, dirname(doc.path)), t.node.path, t.node.span)))];
      } catch (e) {
        if (e instanceof NixError) return [];
        throw e;
      }
    }
    default: return [];
  }
}
