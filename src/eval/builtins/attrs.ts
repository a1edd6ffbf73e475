/**
 * Attribute-set builtins: attrNames, attrValues, getAttr, hasAttr,
 * removeAttrs, listToAttrs, intersectAttrs, catAttrs, mapAttrs,
 * zipAttrsWith, functionArgs, unsafeGetAttrPos.
 *
 * Order is Nix's everywhere a list comes out of a set (names sorted by
 * bytes, `sortedNames()`). `listToAttrs` keeps the *first* pair of a repeated
 * name; `mapAttrs` and `zipAttrsWith` stay lazy in the values.
 *
 * Positions (`unsafeGetAttrPos`, and the module system's "declared in")
 * follow current Nix's primops: a set that keeps attributes of another
 * keeps their positions (`removeAttrs`, `intersectAttrs` those of the second
 * set); `listToAttrs` gives each attribute the position of its pair's
 * `value`; `functionArgs` the formals'; sets whose values are new
 * (`mapAttrs`, `zipAttrsWith`, and every other builtin) have none.
 */
import { NixError } from '../errors.js';
import type { Span } from '../span.js';
import { Lambda, NixAttrs, NixList, PrimOp, PrimOpApp, Thunk, type Lazy, type Value } from '../value/index.js';
import {
  force, forceAttrs, forceAttrsOrForeign, forceFunction, forceList, forceStringNoContext, lazy,
} from '../value/force.js';
import { callFunction, call2 } from '../value/call.js';
import { getAttr } from '../value/attrs.js';
import { stringText, type StringValue } from '../value/string.js';
import { defineBuiltin } from './registry.js';
import { argCtx } from './argContext.js';

defineBuiltin({
  name: 'attrNames',
  arity: 1,
  doc: 'The names of a set, sorted.',
  // The set's own array of sorted names: lists are never changed in place (NixList.items is readonly).
  fn1: (s, span) => new NixList(forceAttrs(s, span, 'while evaluating the argument passed to builtins.attrNames').sortedNames()),
});

defineBuiltin({
  name: 'attrValues',
  arity: 1,
  doc: 'The values of a set, in the order of its sorted names.',
  fn1: (s, span) => {
    const set = forceAttrs(s, span, 'while evaluating the argument passed to builtins.attrValues');
    return new NixList(set.sortedNames().map((_, i) => set.sortedValue(i)));
  },
});

defineBuiltin({
  name: 'getAttr',
  arity: 2,
  doc: 'The value of a named attribute (`builtins.getAttr "x" s` is `s.x`).',
  fn2: (n, s, span) => {
    const name = forceStringNoContext(n, span, argCtx('getAttr', 0));
    const set = forceAttrsOrForeign(s, span, argCtx('getAttr', 1));
    if (set instanceof NixAttrs) return force(getAttr(set, name, span));
    const v = set.select(name, span);
    if (v === undefined) throw new NixError('eval', `attribute '${name}' missing`, span);
    return force(v);
  },
});

defineBuiltin({
  name: 'hasAttr',
  arity: 2,
  doc: 'Whether a set has a named attribute (`s ? x`).',
  fn2: (n, s, span) => {
    const name = forceStringNoContext(n, span, argCtx('hasAttr', 0));
    const set = forceAttrsOrForeign(s, span, argCtx('hasAttr', 1));
    if (set instanceof NixAttrs) return set.has(name);
    const known = set.hasAttr(name);
    if (known !== undefined) return known;
    return set.select(name, span) !== undefined;
  },
});

defineBuiltin({
  name: 'removeAttrs',
  arity: 2,
  global: true,
  doc: 'A set without the attributes named in a list.',
  fn2: (s, l, span) => {
    const set = forceAttrs(s, span, argCtx('removeAttrs', 0));
    const items = forceList(l, span, argCtx('removeAttrs', 1)).items;
    const drop = new Set<string>();
    let present = false;
    for (let i = 0; i < items.length; i++) {
      const name = forceStringNoContext(items[i], span, 'while evaluating the values of the second argument passed to builtins.removeAttrs');
      drop.add(name);
      if (!present && set.has(name)) present = true;
    }
    return present ? set.without(drop) : set;
  },
});

defineBuiltin({
  name: 'listToAttrs',
  arity: 1,
  doc: 'A set from a list of { name; value; } pairs; the first pair of a name wins.',
  fn1: (l, span) => {
    const list = forceList(l, span, 'while evaluating the argument passed to builtins.listToAttrs');
    const map = new Map<string, Lazy>();
    // Computed when asked, from the pairs (forced already): the first pair of a name wins here too.
    const positions = () => {
      const pos = new Map<string, Span>();
      const seen = new Set<string>();
      for (const item of list.items) {
        const pair = force(item) as NixAttrs;
        const name = stringText(force(pair.get('name')!) as StringValue);
        if (seen.has(name)) continue;
        seen.add(name);
        const at = pair.positions?.get('value');
        if (at !== undefined) pos.set(name, at);
      }
      return pos;
    };
    const items = list.items;
    for (let i = 0; i < items.length; i++) {
      const pair = forceAttrs(items[i], span, 'while evaluating an element of the list passed to builtins.listToAttrs');
      const nameV = getAttr(pair, 'name', span, 'in a {name=...; value=...;} pair');
      const name = forceStringNoContext(nameV, span,
        'while evaluating the `name` attribute of an element of the list passed to builtins.listToAttrs');
      if (map.has(name)) continue;
      // The value as it is (no thunk per pair); a missing one fails only when used.
      const value = pair.get('value');
      map.set(name, value ?? lazy(() => force(getAttr(pair, 'value', span, 'in a {name=...; value=...;} pair'))));
    }
    return new NixAttrs(map, positions);
  },
});

defineBuiltin({
  name: 'intersectAttrs',
  arity: 2,
  doc: 'The attributes of the second set whose names are also in the first.',
  fn: ([a, b], span) => {
    const left = forceAttrs(a, span, argCtx('intersectAttrs', 0));
    const right = forceAttrs(b, span, argCtx('intersectAttrs', 1));
    const map = new Map<string, Lazy>();
    const [small, other] = left.size < right.size ? [left, right] : [right, left];
    for (const k of small.map.keys()) if (other.has(k)) map.set(k, right.get(k)!);
    return new NixAttrs(map, () => right.positions);
  },
});

defineBuiltin({
  name: 'catAttrs',
  arity: 2,
  doc: 'The values of a named attribute in each set of a list that has it.',
  fn: ([n, l], span) => {
    const name = forceStringNoContext(n, span, argCtx('catAttrs', 0));
    const list = forceList(l, span, argCtx('catAttrs', 1));
    const out: Lazy[] = [];
    for (const item of list.items) {
      const v = forceAttrs(item, span, 'while evaluating an element in the list passed as second argument to builtins.catAttrs').get(name);
      if (v !== undefined) out.push(v);
    }
    return new NixList(out);
  },
});

defineBuiltin({
  name: 'mapAttrs',
  arity: 2,
  doc: 'A set whose values are f name value, lazily.',
  fn2: (f, s, span) => {
    const set = forceAttrs(s, span, argCtx('mapAttrs', 1));
    // One thunk per attribute, over its name and value: no closure per attribute.
    const one = (nv: readonly [string, Lazy]) => call2(force(f), nv[0], nv[1], span);
    return set.mapValues((name, v) => Thunk.of(one, [name, v] as const));
  },
});

defineBuiltin({
  name: 'zipAttrsWith',
  arity: 2,
  doc: 'Merges a list of sets: each name maps to f name [values of that name, in list order].',
  fn: ([f, l], span) => {
    forceFunction(f, span, argCtx('zipAttrsWith', 0));
    const list = forceList(l, span, argCtx('zipAttrsWith', 1));
    const groups = new Map<string, Lazy[]>();
    const items = list.items;
    for (let i = 0; i < items.length; i++) {
      const set = forceAttrs(items[i], span, 'while evaluating a value of the list passed as second argument to builtins.zipAttrsWith');
      set.map.forEach((v, k) => {
        const g = groups.get(k);
        if (g) g.push(v);
        else groups.set(k, [v]);
      });
    }
    const map = new Map<string, Lazy>();
    for (const [k, vs] of groups) map.set(k, lazy(() => callFunction(f, [k, new NixList(vs)], span)));
    return new NixAttrs(map);
  },
});

defineBuiltin({
  name: 'functionArgs',
  arity: 1,
  doc: 'The formal arguments of a function as a set of name = has-default; empty for a plain `x:` function.',
  fn: ([fArg], span) => {
    const f = force(fArg);
    if (f instanceof PrimOp || f instanceof PrimOpApp) return NixAttrs.empty;
    if (!(f instanceof Lambda)) throw new NixError('eval', "'functionArgs' requires a function", span);
    const formals = f.expr.formals;
    if (!formals) return NixAttrs.empty;
    const map = new Map<string, Lazy>();
    const positions = new Map<string, Span>();
    for (const formal of formals.entries) {
      map.set(formal.name, formal.fallback !== undefined);
      positions.set(formal.name, formal.span);
    }
    return new NixAttrs(map, positions);
  },
});

/** `{ file; line; column; }` for a source position, or null when it is not a file. */
export function positionValue(p: Span | undefined): Value {
  if (!p || !p.source.path.startsWith('/')) return null;
  return new NixAttrs(new Map<string, Lazy>([['column', p.column], ['file', p.source.path], ['line', p.line]]));
}

defineBuiltin({
  name: 'unsafeGetAttrPos',
  arity: 2,
  doc: 'Where an attribute of a set was defined, as { file; line; column; }, or null.',
  fn: ([n, s], span) => {
    const name = forceStringNoContext(n, span, argCtx('unsafeGetAttrPos', 0));
    const set = forceAttrs(s, span, argCtx('unsafeGetAttrPos', 1));
    if (!set.has(name)) return null;
    return positionValue(set.positions?.get(name));
  },
});
