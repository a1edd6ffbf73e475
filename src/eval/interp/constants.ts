/**
 * Expressions made only of literals: numbers, strings and paths without
 * interpolation, and lists and plain sets (not `rec`, no dynamic names, no
 * `inherit`) of such. Generated files are mostly this (package lists, hashes,
 * 300,000 small sets in one file); nixpkgs' lib has many small ones.
 *
 * Their value is built straight from the syntax tree each time the
 * expression is evaluated: no code is compiled for their parts. Laziness is
 * kept as Nix has it: a list or set inside one is a thunk until forced (what
 * `nix-instantiate --eval` without --strict shows as `<CODE>`), numbers and
 * strings are values at once.
 */
import type { Span } from '../span.js';
import type * as ast from '../syntax/ast.js';
import { type Lazy, type Value, NixAttrs, NixFloat, NixList, NixPath, Thunk } from '../value/index.js';
import { normInt } from '../value/int.js';
import { attrShape } from './shapes.js';

/**
 * Whether `e` is such an expression. (Compiling asks again for the parts of
 * one that is not: the walk stops at the first part that is not constant.)
 */
export function isConstant(e: ast.Expr): boolean {
  switch (e.kind) {
    case 'int': case 'float': return true;
    case 'string': {
      const parts = e.parts;
      for (let i = 0; i < parts.length; i++) if (typeof parts[i] !== 'string') return false;
      return true;
    }
    case 'path': return e.parts.length === 1 && typeof e.parts[0] === 'string';
    case 'list': {
      const elems = e.elems;
      for (let i = 0; i < elems.length; i++) if (!isConstant(elems[i])) return false;
      return true;
    }
    case 'attrs': {
      if (e.rec || e.dynamic.length > 0 || e.inheritFrom.length > 0) return false;
      for (const def of e.attrs.values()) if (def.kind !== 'plain' || !isConstant(def.value)) return false;
      return true;
    }
    default: return false;
  }
}

/** The value of a constant expression (see isConstant). */
export function constantValue(e: ast.Expr): Value {
  switch (e.kind) {
    case 'int': return normInt(e.value);
    case 'float': return new NixFloat(e.value);
    case 'string': return e.parts.join('');
    case 'path':
      // The parser has made a literal without interpolation absolute and canonical.
      return new NixPath(e.parts[0] as string);
    case 'list': {
      const items = new Array<Lazy>(e.elems.length);
      for (let i = 0; i < items.length; i++) items[i] = constantPart(e.elems[i]);
      return new NixList(items);
    }
    case 'attrs': {
      const names: string[] = [];
      const vals: Lazy[] = [];
      const spans: Span[] = [];
      for (const [name, def] of e.attrs) {
        names.push(name);
        vals.push(constantPart((def as Extract<ast.AttrDef, { kind: 'plain' }>).value));
        spans.push(def.nameSpan);
      }
      return NixAttrs.shaped(attrShape(names), vals, lazyPositions(names, spans));
    }
    default: throw new Error(`constantValue of a ${e.kind}`);
  }
}

/** A constant expression where a lazy value goes (a list element, an attribute): a list or set is a thunk. */
export function constantPart(e: ast.Expr): Lazy {
  return e.kind === 'list' || e.kind === 'attrs' ? Thunk.of(constantValue, e) : constantValue(e);
}

/**
 * Where each static attribute of a set or let is defined, as a Map made when
 * first asked for (once per expression). Only the names' spans are kept, not
 * the definitions: a large set of literals, once built, does not keep its
 * syntax tree alive.
 */
export function definitionPositions(attrs: ReadonlyMap<string, ast.AttrDef>): () => Map<string, Span> {
  const spans: Span[] = [];
  for (const def of attrs.values()) spans.push(def.nameSpan);
  return lazyPositions([...attrs.keys()], spans);
}

function lazyPositions(names: readonly string[], spans: readonly Span[]): () => Map<string, Span> {
  let positions: Map<string, Span> | undefined;
  return () => {
    if (positions === undefined) {
      positions = new Map();
      for (let i = 0; i < names.length; i++) positions.set(names[i], spans[i]);
    }
    return positions;
  };
}
