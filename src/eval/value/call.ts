/**
 * Applying a function value to arguments: lambdas (through the interpreter),
 * builtins (collected until their arity is reached, then called with every
 * argument at once), sets with `__functor`, and foreign values. Errors gain a
 * "while calling ..." frame as they unwind, so the happy path pays nothing.
 */
import { NixError } from '../errors.js';
import type { Span } from '../span.js';
import { type Lazy, type Value, Lambda, PrimOp, PrimOpApp, NixAttrs, isForeign } from './index.js';
import { force } from './force.js';
import { showType } from './types.js';
import { previewValue } from './preview.js';
import { applyLambda, applyLambda2 } from '../interp/apply.js';

/** `fn arg1 arg2 ...`. */
export function callFunction(fn: Lazy, args: readonly Lazy[], span?: Span): Value {
  let f = force(fn);
  let i = 0;
  while (i < args.length) {
    if (f instanceof Lambda) {
      f = applyLambda(f, args[i++], span);
      continue;
    }
    if (f instanceof PrimOp || f instanceof PrimOpApp) {
      const op = f instanceof PrimOp ? f : f.op;
      const have = f instanceof PrimOp ? 0 : f.args.length;
      const need = op.arity - have;
      if (args.length - i < need) {
        const collected = f instanceof PrimOp ? args.slice(i) : [...f.args, ...args.slice(i)];
        return new PrimOpApp(op, collected);
      }
      const all = f instanceof PrimOp && i === 0 && need === args.length
        ? (args as Lazy[])
        : [...(f instanceof PrimOp ? [] : f.args), ...args.slice(i, i + need)];
      i += need;
      f = callPrimOp(op, all, span);
      continue;
    }
    if (f instanceof NixAttrs) {
      const functor = f.get('__functor');
      if (functor !== undefined) {
        // `f.__functor f arg`: the set is passed to its own functor.
        f = callFunction(callFunction(functor, [f], span), [args[i++]], span);
        continue;
      }
    } else if (f !== null && typeof f === 'object' && isForeign(f)) {
      f = f.apply(args[i++], span);
      continue;
    }
    throw new NixError('eval',
      `attempt to call something which is not a function but ${showType(f)}: ${previewValue(f)}`, span);
  }
  return f;
}

/**
 * `fn arg`, for call sites of one argument and loops over big lists (map,
 * filter, genList): a Nix lambda is applied directly, a builtin that needs
 * just this argument is called directly, without the argument array and the
 * loop of `callFunction`.
 */
export function call1(fn: Value, arg: Lazy, span: Span | undefined): Value {
  if (fn instanceof Lambda) return applyLambda(fn, arg, span);
  if (fn instanceof PrimOp && fn.arity === 1) {
    const fn1 = fn.fn1;
    if (fn1 === undefined) return callPrimOp(fn, [arg], span);
    try {
      return fn1(arg, span);
    } catch (e) {
      throw builtinFailed(fn, e, span);
    }
  }
  return callFunction(fn, [arg], span);
}

/** `fn a b` (call sites of two arguments, foldl'), as `call1`: `a: b: ...` is applied without arrays. */
export function call2(fn: Value, a: Lazy, b: Lazy, span: Span | undefined): Value {
  if (fn instanceof Lambda) {
    const r = applyLambda2(fn, a, b);
    if (r !== undefined) return r;
    const g = applyLambda(fn, a, span);
    return g instanceof Lambda ? applyLambda(g, b, span) : callFunction(g, [b], span);
  }
  if (fn instanceof PrimOp && fn.arity === 2) {
    const fn2 = fn.fn2;
    if (fn2 === undefined) return callPrimOp(fn, [a, b], span);
    try {
      return fn2(a, b, span);
    } catch (e) {
      throw builtinFailed(fn, e, span);
    }
  }
  return callFunction(fn, [a, b], span);
}

export function callPrimOp(op: PrimOp, args: Lazy[], span: Span | undefined): Value {
  try {
    return op.fn(args, span);
  } catch (e) {
    throw builtinFailed(op, e, span);
  }
}

/** An error out of a builtin, with the call's position and "while calling the 'map' builtin". */
function builtinFailed(op: PrimOp, e: unknown, span: Span | undefined): unknown {
  if (e instanceof NixError) {
    e.at(span);
    e.addTrace(`while calling the '${op.name}' builtin`, span);
  }
  return e;
}
