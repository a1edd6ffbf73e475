/**
 * Forcing lazy values, and forcing with an expected type. The typed variants
 * throw Nix's "expected a set but found an integer: 1" and, when the caller
 * says what it was doing (`ctx`, e.g. "while evaluating the first argument
 * passed to builtins.map"), add that as a trace frame, as Nix's errorCtx does.
 *
 * A thunk that throws a NixError keeps it: forcing it again rethrows it
 * without evaluating again, as current Nix does; a thunk forced while it is
 * being forced is "infinite recursion encountered".
 */
import { NixError } from '../errors.js';
import type { Span } from '../span.js';
import {
  type Lazy, type Value, type NixFunction, type Foreign, Thunk, NixFloat, NixString, NixList, NixAttrs,
  Lambda, PrimOp, PrimOpApp, isForeign, BLACKHOLE, FAILED, deepWalk,
} from './index.js';
import type { NixInt } from './int.js';
import { showType } from './types.js';
import { previewValue } from './preview.js';
import { evalSettings } from '../settings.js';
import { currentCallDepth, setCallDepth } from '../interp/apply.js';

export function force(v: Lazy): Value {
  return v instanceof Thunk ? forceThunk(v) : v;
}

export function forceThunk(t: Thunk): Value {
  const done = t.value;
  if (done !== undefined) return done;
  const code = t.code as (env: unknown) => Value;
  if (code === BLACKHOLE) throw new NixError('eval', 'infinite recursion encountered');
  if (code === FAILED) throw t.env;
  const env = t.env;
  t.code = BLACKHOLE;
  try {
    const v = code(env);
    t.value = v;
    t.code = undefined;
    t.env = undefined;
    return v;
  } catch (e) {
    if (e instanceof NixError) {
      t.code = FAILED;
      t.env = e;
    } else {
      // A JS stack overflow is not memoized: on a larger stack the same thunk may succeed.
      t.code = code;
      t.env = env;
    }
    throw e;
  }
}

/** A thunk over a closure: how builtins make lazy values. */
export function lazy(compute: () => Value): Thunk {
  return new Thunk(compute);
}

/** "expected a set but found an integer: 1", with `ctx` as a trace frame. */
export function typeError(expected: string, v: Value, span?: Span, ctx?: string): NixError {
  const e = new NixError('eval', `expected ${expected} but found ${showType(v)}: ${previewValue(v)}`, span);
  if (ctx) e.addTrace(ctx, span);
  return e;
}

/** Adds `ctx` as a trace frame to a NixError passing through, and rethrows. */
export function rethrowWith(e: unknown, ctx: string | undefined, span?: Span): never {
  if (ctx && e instanceof NixError) e.addTrace(ctx, span);
  throw e;
}

/**
 * Forces for a typed use: a foreign value that can give its content
 * (`materialize`, the bridge asks real Nix) is replaced by it.
 */
function forced(v: Lazy, span?: Span, ctx?: string): Value {
  const x = forcedKeepForeign(v, span, ctx);
  if (x !== null && typeof x === 'object' && isForeign(x) && x.materialize) return x.materialize(span);
  return x;
}

/** Forces; an error gets `span` (if it has none yet) and `ctx` as a trace frame. */
function forcedKeepForeign(v: Lazy, span?: Span, ctx?: string): Value {
  if (!(v instanceof Thunk)) return v;
  try {
    return forceThunk(v);
  } catch (e) {
    if (e instanceof NixError) e.at(span);
    return rethrowWith(e, ctx, span);
  }
}

/** `force`, then a foreign value's content where the bridge can give it. */
export function forceMaterialized(v: Lazy, span?: Span): Value {
  return forced(v, span);
}

// The typed forces below first return a value of the wanted type as it is:
// the common case then makes no further calls (which cost until the engine
// has optimised the caller).

export function forceInt(v: Lazy, span?: Span, ctx?: string): NixInt {
  if (typeof v === 'number') return v;
  const x = forced(v, span, ctx);
  if (typeof x === 'number' || typeof x === 'bigint') return x;
  throw typeError('an integer', x, span, ctx);
}

/** A float, or an int read as a float (Nix's forceFloat accepts both). */
export function forceFloat(v: Lazy, span?: Span, ctx?: string): number {
  const x = forced(v, span, ctx);
  if (x instanceof NixFloat) return x.value;
  if (typeof x === 'number') return x;
  if (typeof x === 'bigint') return Number(x);
  throw typeError('a float', x, span, ctx);
}

export function forceBool(v: Lazy, span?: Span, ctx?: string): boolean {
  if (typeof v === 'boolean') return v;
  const x = forced(v, span, ctx);
  if (typeof x === 'boolean') return x;
  throw typeError('a Boolean', x, span, ctx);
}

/** A string value (context kept): a JS string or a NixString. */
export function forceStringValue(v: Lazy, span?: Span, ctx?: string): string | NixString {
  if (typeof v === 'string') return v;
  const x = forced(v, span, ctx);
  if (typeof x === 'string' || x instanceof NixString) return x;
  throw typeError('a string', x, span, ctx);
}

/** The text of a string value; its context is dropped (use forceStringValue to keep it). */
export function forceString(v: Lazy, span?: Span, ctx?: string): string {
  const x = forceStringValue(v, span, ctx);
  return typeof x === 'string' ? x : x.s;
}

/** A string without context, for names and the like ("the string 'x' is not allowed to refer to a store path"). */
export function forceStringNoContext(v: Lazy, span?: Span, ctx?: string): string {
  if (typeof v === 'string') return v;
  const x = forceStringValue(v, span, ctx);
  if (typeof x === 'string') return x;
  if (x.context.size === 0) return x.s;
  const first = [...x.context][0];
  const e = new NixError('eval', `the string '${x.s}' is not allowed to refer to a store path (such as '${first.replace(/^[=!][^/]*!?/, '')}')`, span);
  if (ctx) e.addTrace(ctx, span);
  throw e;
}

export function forceList(v: Lazy, span?: Span, ctx?: string): NixList {
  if (v instanceof NixList) return v;
  const x = forced(v, span, ctx);
  if (x instanceof NixList) return x;
  throw typeError('a list', x, span, ctx);
}

export function forceAttrs(v: Lazy, span?: Span, ctx?: string): NixAttrs {
  if (v instanceof NixAttrs) return v;
  const x = forced(v, span, ctx);
  if (x instanceof NixAttrs) return x;
  if (isForeign(x) && x.attrsView) return x.attrsView(span);
  throw typeError('a set', x, span, ctx);
}

/** Attrs or a foreign value (which stands for a set), for selection and `?`. */
export function forceAttrsOrForeign(v: Lazy, span?: Span, ctx?: string): NixAttrs | Foreign {
  if (v instanceof NixAttrs) return v;
  const x = forcedKeepForeign(v, span, ctx);
  if (x instanceof NixAttrs || isForeign(x)) return x;
  throw typeError('a set', x, span, ctx);
}

/** A function, or a set with `__functor` (callable too), or a foreign value. */
export function forceFunction(v: Lazy, span?: Span, ctx?: string): NixFunction | NixAttrs | Foreign {
  if (v instanceof Lambda) return v;
  const x = forcedKeepForeign(v, span, ctx);
  if (x instanceof Lambda || x instanceof PrimOp || x instanceof PrimOpApp || isForeign(x)) return x;
  if (x instanceof NixAttrs && x.has('__functor')) return x;
  throw typeError('a function', x, span, ctx);
}

/**
 * A set or list a deep walk is inside of, with the next of its values to
 * visit. Frames are kept from one visit to the next (a walk of 300,000 sets
 * made no object per value visited, only per level of nesting).
 */
class WalkFrame {
  /** A set's frame: the set, and its names in the order visited (Nix's); undefined in a list's. */
  set: NixAttrs | undefined = undefined;
  names: readonly string[] | undefined = undefined;
  /** A list's frame: its items; undefined in a set's. */
  items: readonly Lazy[] | undefined = undefined;
  /** The index of the next value to visit (the one being visited is `next - 1`). */
  next = 0;
  /** The depth of its values. */
  depth = 0;
}

/**
 * Forces a value and everything inside it (lists, sets), as `--strict` and
 * `deepSeq` do, without recursion. Depth is counted as current Nix's
 * forceValueDeep counts it, on the call depth that `max-call-depth` bounds:
 * each value visited is one level below the one holding it (the value given
 * is one below the caller), checked before it is forced (so a leaf counts
 * too, and so does a value met a second time), and it is forced at its level
 * (a function it calls is that much deeper). Past the limit is Nix's "stack
 * overflow" error, at `span`. An error inside a set gets Nix's "while
 * evaluating the attribute" frames, innermost first. A foreign value inside
 * is left to Nix, which forces it when it prints it (print.ts).
 */
export function forceDeep(v: Lazy, span?: Span): void {
  const walk = deepWalk();
  const base = currentCallDepth();
  const frames: WalkFrame[] = [];
  /** Frames in use: frames[top - 1] is the innermost. */
  let top = 0;
  let x = v;
  let depth = base;
  try {
    for (;;) {
      let val: Value;
      try {
        if (depth > evalSettings.maxCallDepth) throw stackOverflow(span);
        setCallDepth(depth + 1);
        val = forcedKeepForeign(x);
      } catch (e) {
        if (e instanceof NixError) {
          for (let i = top - 1; i >= 0; i--) {
            const f = frames[i];
            if (f.set === undefined) continue;
            const name = f.names![f.next - 1];
            e.addTrace(`while evaluating the attribute '${name}'`, f.set.positions?.get(name));
          }
        }
        throw e;
      }
      // Only sets and lists can be met twice in a way that matters (shared, or in a cycle).
      if ((val instanceof NixList || val instanceof NixAttrs) && val.walk !== walk) {
        val.walk = walk;
        const f = frames[top] ??= new WalkFrame();
        top++;
        if (val instanceof NixList) {
          f.set = undefined;
          f.names = undefined;
          f.items = val.items;
        } else {
          f.set = val;
          f.names = val.sortedNames();
          f.items = undefined;
        }
        f.next = 0;
        f.depth = depth + 1;
      }
      // The next value to visit: the next one of the innermost frame that has one left.
      for (;;) {
        if (top === 0) return;
        const f = frames[top - 1];
        const items = f.items;
        if (items !== undefined) {
          if (f.next < items.length) {
            x = items[f.next++];
            depth = f.depth;
            break;
          }
        } else {
          const names = f.names!;
          if (f.next < names.length) {
            x = f.set!.sortedValue(f.next++);
            depth = f.depth;
            break;
          }
        }
        // Done with it: its values are not kept alive by the frame.
        f.set = undefined;
        f.items = undefined;
        f.names = undefined;
        top--;
      }
    }
  } finally {
    setCallDepth(base);
  }
}

/**
 * Deeper nesting of function calls, or of values forced deeply, than the
 * `max-call-depth` setting (evalSettings) is Nix's "stack overflow" error.
 */
export function stackOverflow(span?: Span): NixError {
  return new NixError('eval', 'stack overflow; max-call-depth exceeded', span);
}
