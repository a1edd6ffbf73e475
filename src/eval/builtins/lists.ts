/**
 * List builtins: map, filter, elem, elemAt, head, tail, length, concatLists,
 * concatMap, foldl', any, all, genList, sort, partition, groupBy.
 *
 * Laziness is observable: `map` and `genList` build their elements as thunks,
 * so `length (map f l)` never calls `f`. `foldl'` is a loop (a 100,000-element
 * fold must not grow the JS stack) and forces the accumulator at every step.
 * `sort` is a stable merge sort that, like Nix's, never misbehaves with a
 * comparator that is not a strict weak order: the result is always a
 * reordering of the input.
 */
import { NixError } from '../errors.js';
import type { Span } from '../span.js';
import { NixAttrs, NixList, PrimOp, Thunk, type Lazy, type Value } from '../value/index.js';
import { force, forceBool, forceFunction, forceInt, forceList, forceString } from '../value/force.js';
import { callFunction, call1, call2 } from '../value/call.js';
import { valuesEqual, lessThan } from '../value/compare.js';
import { defineBuiltin, getBuiltin } from './registry.js';
import { argCtx } from './argContext.js';

defineBuiltin({
  name: 'map',
  arity: 2,
  global: true,
  doc: 'Applies a function to each element of a list, lazily.',
  fn2: (f, listArg, span) => {
    const list = forceList(listArg, span, argCtx('map', 1));
    if (list.items.length === 0) return list;
    const fn = forceFunction(f, span, argCtx('map', 0));
    // One thunk per element, over the element itself: no closure per element.
    const one = (x: Lazy) => call1(fn, x, span);
    const src = list.items;
    const items = new Array<Lazy>(src.length);
    for (let i = 0; i < src.length; i++) items[i] = Thunk.of(one, src[i]);
    return new NixList(items);
  },
});

const FILTER_RESULT = 'while evaluating the return value of the filtering function passed to builtins.filter';

defineBuiltin({
  name: 'filter',
  arity: 2,
  doc: 'The elements of a list for which a predicate returns true.',
  fn2: (f, listArg, span) => {
    const list = forceList(listArg, span, argCtx('filter', 1));
    const items = list.items;
    if (items.length === 0) return list;
    const fn = forceFunction(f, span, argCtx('filter', 0));
    const kept: Lazy[] = [];
    for (let i = 0; i < items.length; i++) {
      const r = call1(fn, items[i], span);
      if (r === true || (r !== false && forceBool(r, span, FILTER_RESULT))) kept.push(items[i]);
    }
    return kept.length === list.items.length ? list : new NixList(kept);
  },
});

defineBuiltin({
  name: 'elem',
  arity: 2,
  doc: 'Whether a value is an element of a list (by ==).',
  fn2: (x, listArg, span) => {
    const items = forceList(listArg, span, argCtx('elem', 1)).items;
    for (let i = 0; i < items.length; i++) if (valuesEqual(x, items[i], span)) return true;
    return false;
  },
});

/** Index into a list with Nix's bounds message. */
function elemAt(list: NixList, n: number | bigint, span: Span | undefined): Lazy {
  if (n < 0 || n >= list.items.length) {
    throw new NixError('eval', `'builtins.elemAt' called with index ${n} on a list of size ${list.items.length}`, span);
  }
  return list.items[Number(n)];
}

defineBuiltin({
  name: 'elemAt',
  arity: 2,
  doc: 'The element of a list at a 0-based index.',
  fn2: (listArg, nArg, span) => {
    const list = forceList(listArg, span, argCtx('elemAt', 0));
    const n = forceInt(nArg, span, argCtx('elemAt', 1));
    return force(elemAt(list, n, span));
  },
});

defineBuiltin({
  name: 'head',
  arity: 1,
  doc: 'The first element of a list.',
  fn1: (listArg, span) => {
    const list = forceList(listArg, span, argCtx('head', 0));
    if (list.items.length === 0) throw new NixError('eval', "'builtins.head' called on an empty list", span);
    return force(list.items[0]);
  },
});

defineBuiltin({
  name: 'tail',
  arity: 1,
  doc: 'A list without its first element.',
  fn1: (listArg, span) => {
    const list = forceList(listArg, span, argCtx('tail', 0));
    if (list.items.length === 0) throw new NixError('eval', "'builtins.tail' called on an empty list", span);
    return new NixList(list.items.slice(1));
  },
});

defineBuiltin({
  name: 'length',
  arity: 1,
  doc: 'The number of elements of a list.',
  fn1: (listArg, span) => forceList(listArg, span, 'while evaluating the first argument passed to builtins.length').items.length,
});

defineBuiltin({
  name: 'concatLists',
  arity: 1,
  doc: 'Concatenates a list of lists.',
  fn1: (listArg, span) => {
    const lists = forceList(listArg, span, 'while evaluating the first argument passed to builtins.concatLists').items;
    const out: Lazy[] = [];
    for (let i = 0; i < lists.length; i++) {
      const items = forceList(lists[i], span, 'while evaluating a value of the list passed to builtins.concatLists').items;
      for (let j = 0; j < items.length; j++) out.push(items[j]);
    }
    return new NixList(out);
  },
});

defineBuiltin({
  name: 'concatMap',
  arity: 2,
  doc: 'Applies a function returning lists to each element and concatenates the results.',
  fn2: (f, listArg, span) => {
    const fn = forceFunction(f, span, argCtx('concatMap', 0));
    const items = forceList(listArg, span, argCtx('concatMap', 1)).items;
    const out: Lazy[] = [];
    for (let i = 0; i < items.length; i++) {
      const r = forceList(call1(fn, items[i], span), span,
        'while evaluating the return value of the function passed to builtins.concatMap').items;
      for (let j = 0; j < r.length; j++) out.push(r[j]);
    }
    return new NixList(out);
  },
});

defineBuiltin({
  name: "foldl'",
  arity: 3,
  doc: 'Reduces a list from the left with a function of the accumulator and an element, forcing the accumulator at each step.',
  fn: ([f, init, listArg], span) => {
    const fn = forceFunction(f, span, 'while evaluating the first argument passed to builtins.foldlStrict');
    const list = forceList(listArg, span, 'while evaluating the third argument passed to builtins.foldlStrict');
    if (list.items.length === 0) return force(init);
    let acc: Lazy = init;
    const items = list.items;
    for (let i = 0; i < items.length; i++) acc = call2(fn, acc, items[i], span);
    return force(acc);
  },
});

function anyAll(name: 'any' | 'all', want: boolean) {
  const resultCtx = `while evaluating the return value of the function passed to builtins.${name}`;
  const fnCtx = argCtx(name, 0);
  const listCtx = argCtx(name, 1);
  defineBuiltin({
    name,
    arity: 2,
    doc: name === 'any' ? 'Whether a predicate holds for some element of a list.' : 'Whether a predicate holds for every element of a list.',
    fn2: (f, listArg, span) => {
      const fn = forceFunction(f, span, fnCtx);
      const items = forceList(listArg, span, listCtx).items;
      for (let i = 0; i < items.length; i++) {
        if (forceBool(call1(fn, items[i], span), span, resultCtx) === want) return want;
      }
      return !want;
    },
  });
}
anyAll('any', true);
anyAll('all', false);

defineBuiltin({
  name: 'genList',
  arity: 2,
  doc: 'A list of a given length whose element i is f i, lazily.',
  fn2: (f, nArg, span) => {
    const n = forceInt(nArg, span, argCtx('genList', 1));
    if (n < 0 || n > 1e8) throw new NixError('eval', `cannot create list of size ${n}`, span);
    const fn = forceFunction(f, span, argCtx('genList', 0));
    const one = (i: number) => call1(fn, i, span);
    const items: Lazy[] = new Array(Number(n));
    for (let i = 0; i < items.length; i++) items[i] = Thunk.of(one, i);
    return new NixList(items);
  },
});

/**
 * Stable bottom-up merge sort that only asks `less(b, a)`: an element of the
 * right run goes first only when strictly less, so equal elements keep their
 * order whatever the comparator answers.
 */
function stableSort<T>(items: T[], less: (a: T, b: T) => boolean): T[] {
  let src = items.slice();
  let dst = new Array<T>(src.length);
  for (let width = 1; width < src.length; width *= 2) {
    for (let lo = 0; lo < src.length; lo += 2 * width) {
      const mid = Math.min(lo + width, src.length);
      const hi = Math.min(lo + 2 * width, src.length);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) dst[k++] = less(src[j], src[i]) ? src[j++] : src[i++];
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    [src, dst] = [dst, src];
  }
  return src;
}

defineBuiltin({
  name: 'sort',
  arity: 2,
  doc: 'Sorts a list, stably, with a "less than" function.',
  fn: ([f, listArg], span) => {
    const list = forceList(listArg, span, argCtx('sort', 1));
    if (list.items.length === 0) return list;
    const fn = forceFunction(f, span, argCtx('sort', 0));
    const values: Value[] = list.items.map((x) => force(x));
    const isLessThan = fn instanceof PrimOp && fn === getBuiltin('lessThan');
    const less = isLessThan
      ? (a: Value, b: Value) => {
        try {
          return lessThan(a, b, span);
        } catch (e) {
          if (e instanceof NixError) e.addTrace('while evaluating the ordering function passed to builtins.sort', span);
          throw e;
        }
      }
      : (a: Value, b: Value) => forceBool(callFunction(fn, [a, b], span), span,
        'while evaluating the return value of the sorting function passed to builtins.sort');
    return new NixList(stableSort(values, less));
  },
});

defineBuiltin({
  name: 'partition',
  arity: 2,
  doc: 'Splits a list into { right = elements satisfying a predicate; wrong = the others; }.',
  fn: ([f, listArg], span) => {
    const fn = forceFunction(f, span, argCtx('partition', 0));
    const list = forceList(listArg, span, argCtx('partition', 1));
    const right: Lazy[] = [];
    const wrong: Lazy[] = [];
    for (const x of list.items) {
      const ok = forceBool(call1(fn, x, span), span,
        'while evaluating the return value of the partition function passed to builtins.partition');
      (ok ? right : wrong).push(x);
    }
    return new NixAttrs(new Map<string, Lazy>([['right', new NixList(right)], ['wrong', new NixList(wrong)]]));
  },
});

defineBuiltin({
  name: 'groupBy',
  arity: 2,
  doc: 'Groups the elements of a list into a set of lists by the string a function returns.',
  fn: ([f, listArg], span) => {
    const fn = forceFunction(f, span, argCtx('groupBy', 0));
    const list = forceList(listArg, span, argCtx('groupBy', 1));
    const groups = new Map<string, Lazy[]>();
    for (const x of list.items) {
      const k = forceString(call1(fn, x, span), span,
        'while evaluating the return value of the grouping function passed to builtins.groupBy');
      const g = groups.get(k);
      if (g) g.push(x);
      else groups.set(k, [x]);
    }
    const map = new Map<string, Lazy>();
    for (const [k, g] of groups) map.set(k, new NixList(g));
    return new NixAttrs(map);
  },
});
