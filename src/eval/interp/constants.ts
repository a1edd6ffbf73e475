/**
 * The values of expressions made only of literals (syntax/literals.ts), built
 * straight from the syntax tree each time the expression is evaluated: no
 * code is compiled for their parts. Laziness is kept as Nix has it: a list or
 * set inside one is a thunk until forced (what `nix-instantiate --eval`
 * without --strict shows as `<CODE>`), numbers and strings are values at once.
 * A set read back from the parse cache is built from its cached form, its
 * tree never decoded (syntax/literalAttrs.ts).
 */
import type { Span } from '../span.js';
import type * as ast from '../syntax/ast.js';
import { LiteralAttrs, type LiteralBuilder } from '../syntax/literalAttrs.js';
import { type AttrShape, type Lazy, type Value, NixAttrs, NixFloat, NixList, NixPath, Thunk } from '../value/index.js';
import { normInt } from '../value/int.js';
import { attrShape } from './shapes.js';

/** The shape of the last set built from the cache, and its names (the builder hands sets of the same names the same array). */
let cachedNames: readonly string[] | undefined;
let cachedShape: AttrShape | undefined;

/** Values from a literal set's cached form, as `constantValue` makes them from a tree. */
const fromCache: LiteralBuilder<Lazy> = {
  int: (value) => (typeof value === 'number' ? value : normInt(value)),
  float: (text) => new NixFloat(Number(text)),
  string: (s) => s,
  path: (p) => new NixPath(p),
  list: (items) => new NixList(items),
  attrs: (names, values, positions) => {
    if (names !== cachedNames) {
      cachedShape = attrShape(names);
      cachedNames = names;
    }
    return NixAttrs.shaped(cachedShape!, values, positions);
  },
  lazy: (at, buildAt) => Thunk.of(buildAt as (at: number) => Value, at),
};

/** The value of an expression made only of literals (syntax/literals.ts's `isLiteral`). */
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
      if (e.attrs instanceof LiteralAttrs) {
        const built = e.attrs.build(fromCache);
        if (built !== undefined) return built as Value;
      }
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

/** Such an expression where a lazy value goes (a list element, an attribute): a list or set is a thunk. */
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
