/**
 * `==` and `<` with Nix's semantics: deep equality that forces as it goes,
 * ints and floats comparable with each other, string contexts ignored,
 * functions never equal (but the *same* nested value is equal to itself, Nix's
 * pointer-equality quirk that old code relies on), derivations compared by
 * `outPath`; ordering on numbers, strings (by bytes), paths and lists.
 */
import { NixError } from '../errors.js';
import type { Span } from '../span.js';
import { type Lazy, type Value, NixFloat, NixString, NixPath, NixList, NixAttrs } from './index.js';
import { compareBytes } from './bytes.js';
import { forceMaterialized as force } from './force.js';
import { showType, typeOf } from './types.js';
import { previewValue } from './preview.js';

/** `a == b` at the top of an expression: no identity shortcut (Nix compares copies there). */
export function valuesEqual(a: Lazy, b: Lazy, span?: Span): boolean {
  return eq(force(a), force(b), span);
}

function eqNested(a: Lazy, b: Lazy, span?: Span): boolean {
  if (a === b && typeof a === 'object') return true;
  const x = force(a);
  const y = force(b);
  if (x === y && typeof x === 'object') return true;
  return eq(x, y, span);
}

function isDerivation(v: NixAttrs): boolean {
  const t = v.get('type');
  if (t === undefined) return false;
  const x = force(t);
  return x === 'derivation' || (x instanceof NixString && x.s === 'derivation');
}

function eq(x: Value, y: Value, span?: Span): boolean {
  switch (typeof x) {
    case 'number': case 'bigint':
      if (typeof y === 'number' || typeof y === 'bigint') return x === y;
      return y instanceof NixFloat && Number(x) === y.value;
    case 'boolean': return x === y;
    case 'string':
      return typeof y === 'string' ? x === y : y instanceof NixString && x === y.s;
  }
  if (x === null) return y === null;
  if (x instanceof NixString) return typeof y === 'string' ? x.s === y : y instanceof NixString && x.s === y.s;
  if (x instanceof NixFloat) {
    if (y instanceof NixFloat) return x.value === y.value;
    return (typeof y === 'number' || typeof y === 'bigint') && x.value === Number(y);
  }
  if (x instanceof NixPath) return y instanceof NixPath && x.path === y.path;
  if (x instanceof NixList) {
    if (!(y instanceof NixList) || x.items.length !== y.items.length) return false;
    for (let i = 0; i < x.items.length; i++) if (!eqNested(x.items[i], y.items[i], span)) return false;
    return true;
  }
  if (x instanceof NixAttrs) {
    if (!(y instanceof NixAttrs)) return false;
    if (isDerivation(x) && isDerivation(y)) {
      const i = x.get('outPath');
      const j = y.get('outPath');
      if (i !== undefined && j !== undefined) return eqNested(i, j, span);
    }
    if (x.size !== y.size) return false;
    const names = x.sortedNames();
    for (let i = 0; i < names.length; i++) {
      const other = y.get(names[i]);
      if (other === undefined || !eqNested(x.get(names[i])!, other, span)) return false;
    }
    return true;
  }
  return false; // functions (and foreign values) are never equal
}

/** `a < b`; throws Nix's "cannot compare ..." for other types. */
export function lessThan(a: Lazy, b: Lazy, span?: Span): boolean {
  return lt(force(a), force(b), span);
}

function lt(x: Value, y: Value, span?: Span): boolean {
  const xn = typeof x === 'number' || typeof x === 'bigint';
  const yn = typeof y === 'number' || typeof y === 'bigint';
  if (xn && yn) return x < y;
  if (xn && y instanceof NixFloat) return Number(x) < y.value;
  if (x instanceof NixFloat && yn) return x.value < Number(y);
  if (x instanceof NixFloat && y instanceof NixFloat) return x.value < y.value;
  const xs = typeof x === 'string' ? x : x instanceof NixString ? x.s : undefined;
  const ys = typeof y === 'string' ? y : y instanceof NixString ? y.s : undefined;
  if (xs !== undefined && ys !== undefined) return compareBytes(xs, ys) < 0;
  if (x instanceof NixPath && y instanceof NixPath) return compareBytes(x.path, y.path) < 0;
  if (x instanceof NixList && y instanceof NixList) {
    for (let i = 0; ; i++) {
      if (i === y.items.length) return false;
      if (i === x.items.length) return true;
      if (!eqNested(x.items[i], y.items[i], span)) {
        try {
          return lt(force(x.items[i]), force(y.items[i]), span);
        } catch (e) {
          if (e instanceof NixError) e.addTrace('while comparing two list elements', span);
          throw e;
        }
      }
    }
  }
  const msg = typeOf(x) === typeOf(y)
    ? `cannot compare ${showType(x)} with ${showType(y)}; values of that type are incomparable (values are ${previewValue(x)} and ${previewValue(y)})`
    : `cannot compare ${showType(x)} with ${showType(y)}; values are ${previewValue(x)} and ${previewValue(y)}`;
  throw new NixError('eval', msg, span);
}

/**
 * Explains why `a == b` is false, as current Nix does for a failed
 * `assert a == b`: throws an 'assert' NixError describing the first
 * difference (with "while comparing ..." frames). Returns if they are equal.
 */
export function assertEqual(a: Lazy, b: Lazy, span?: Span): void {
  assertEq(force(a), force(b), span);
}

function assertFail(message: string, span?: Span): never {
  throw new NixError('assert', message, span);
}

function assertEqNested(a: Lazy, b: Lazy, span?: Span): void {
  if (a === b && typeof a === 'object') return;
  const x = force(a);
  const y = force(b);
  if (x === y && typeof x === 'object') return;
  assertEq(x, y, span);
}

function assertEq(x: Value, y: Value, span?: Span): void {
  const tx = typeOf(x);
  const ty = typeOf(y);
  const num = (t: string) => t === 'int' || t === 'float';
  if (num(tx) && num(ty)) {
    if (eq(x, y, span)) return;
    assertFail(`${showType(x)} with value '${previewValue(x)}' is not equal to ${showType(y)} with value '${previewValue(y)}'`, span);
  }
  if (tx !== ty) {
    assertFail(`${showType(x)} of value '${previewValue(x)}' is not equal to ${showType(y)} of value '${previewValue(y)}'`, span);
  }
  switch (tx) {
    case 'bool':
      if (x !== y) assertFail(`boolean '${previewValue(x)}' is not equal to boolean '${previewValue(y)}'`, span);
      return;
    case 'string':
      if (!eq(x, y, span)) assertFail(`string '${previewValue(x)}' is not equal to string '${previewValue(y)}'`, span);
      return;
    case 'path':
      if (!eq(x, y, span)) assertFail(`path '${previewValue(x)}' is not equal to path '${previewValue(y)}'`, span);
      return;
    case 'null':
      return;
    case 'list': {
      const l1 = x as NixList;
      const l2 = y as NixList;
      if (l1.items.length !== l2.items.length) {
        assertFail(`list of size '${l1.items.length}' is not equal to list of size '${l2.items.length}', left hand side is '${previewValue(x)}', right hand side is '${previewValue(y)}'`, span);
      }
      for (let i = 0; i < l1.items.length; i++) {
        try {
          assertEqNested(l1.items[i], l2.items[i], span);
        } catch (e) {
          if (e instanceof NixError) e.addTrace(`while comparing list element ${i}`, span);
          throw e;
        }
      }
      return;
    }
    case 'set': {
      const s1 = x as NixAttrs;
      const s2 = y as NixAttrs;
      if (!(s1 instanceof NixAttrs) || !(s2 instanceof NixAttrs)) return;
      if (isDerivation(s1) && isDerivation(s2)) {
        const i = s1.get('outPath');
        const j = s2.get('outPath');
        if (i !== undefined && j !== undefined) {
          try {
            assertEqNested(i, j, span);
            return;
          } catch (e) {
            if (e instanceof NixError) e.addTrace("while comparing a derivation by its 'outPath' attribute", span);
            throw e;
          }
        }
      }
      if (s1.size !== s2.size) {
        assertFail(`attribute names of attribute set '${previewValue(x)}' differs from attribute set '${previewValue(y)}'`, span);
      }
      const n1 = s1.sortedNames();
      const n2 = s2.sortedNames();
      for (let k = 0; k < n1.length; k++) {
        if (n1[k] !== n2[k]) {
          if (!s2.has(n1[k])) {
            assertFail(`attribute name '${n1[k]}' is contained in '${previewValue(x)}', but not in '${previewValue(y)}'`, span);
          }
          assertFail(`attribute name '${n2[k]}' is missing in '${previewValue(x)}', but is contained in '${previewValue(y)}'`, span);
        }
        try {
          assertEqNested(s1.get(n1[k])!, s2.get(n1[k])!, span);
        } catch (e) {
          if (e instanceof NixError) {
            const pj = s2.positions?.get(n1[k]);
            const pi = s1.positions?.get(n1[k]);
            if (pj) e.addTrace('where right hand side is', pj);
            if (pi) e.addTrace('where left hand side is', pi);
            e.addTrace(`while comparing attribute '${n1[k]}'`, span);
          }
          throw e;
        }
      }
      return;
    }
    case 'lambda':
      assertFail('distinct functions and immediate comparisons of identical functions compare as unequal', span);
  }
}
