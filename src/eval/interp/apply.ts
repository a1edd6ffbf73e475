/**
 * Calling a Nix function: binding the argument (or the formals, with their
 * defaults evaluated lazily in the function's own environment, so they can
 * refer to each other and to the `@` name), then evaluating the body.
 * Errors gain "while calling 'f'" as they unwind.
 */
import { NixError } from '../errors.js';
import type { Span } from '../span.js';
import { type Lazy, type Value, type Lambda, NixAttrs } from '../value/index.js';
import { forceAttrs, stackOverflow } from '../value/force.js';
import { evalSettings } from '../settings.js';
import { didYouMean } from '../value/attrs.js';
import { checkCancel } from '../cancel.js';
import { type Env, newEnv, env1 } from './env.js';
import type { LambdaCode } from './code.js';

export function applyLambda(fn: Lambda, arg: Lazy, span: Span | undefined): Value {
  const code = fn.code as LambdaCode;
  const formals = code.formals;
  let env: Env;
  if (formals === undefined) {
    env = [arg, fn.env as Lazy]; // env1, written out: the most frequent call
  } else {
    env = newEnv(fn.env as Env, code.nslots);
    bindFormals(code, formals, env, arg, span);
  }
  return enter(code, env);
}

/**
 * `fn a b` where `fn` is `a: b: body` (plain parameters): the body runs in
 * the environment the two calls would make, without the intermediate
 * function value (foldl' calls its function so 100k times). Undefined for
 * any other function: the caller applies it one argument at a time.
 */
export function applyLambda2(fn: Lambda, a: Lazy, b: Lazy): Value | undefined {
  const code = fn.code as LambdaCode;
  const inner = code.curried;
  if (inner === undefined || code.formals !== undefined || inner.formals !== undefined) return undefined;
  return enter(inner, env1(b, env1(a, fn.env as Env)));
}

function enter(code: LambdaCode, env: Env): Value {
  checkCancel();
  if (++callDepth > evalSettings.maxCallDepth) {
    callDepth--;
    throw stackOverflow(code.expr.span);
  }
  try {
    return code.body(env);
  } catch (e) {
    if (e instanceof NixError) e.addTrace(`while calling ${code.displayName}`, code.expr.span);
    throw e;
  } finally {
    callDepth--;
  }
}

/**
 * Nesting depth of lambda calls in progress. Bounding it as Nix does also
 * bounds our JS stack use: runaway recursion fails at once instead of filling
 * a large stack.
 */
let callDepth = 0;

/**
 * The call depth, for what counts levels on it besides lambda calls: Nix's
 * forceValueDeep adds one for each value it visits (value/force.ts forceDeep).
 */
export function currentCallDepth(): number {
  return callDepth;
}

/** Sets the call depth: forceDeep forces each value at its own level, and restores its caller's. */
export function setCallDepth(depth: number): void {
  callDepth = depth;
}

function bindFormals(
  code: LambdaCode, formals: NonNullable<LambdaCode['formals']>, env: Env, arg: Lazy, span: Span | undefined,
): void {
  let set: NixAttrs;
  try {
    set = forceAttrs(arg, code.expr.span, 'while evaluating the value passed for the lambda argument');
  } catch (e) {
    if (e instanceof NixError) e.addTrace('from call site', span);
    throw e;
  }
  const vals = env;
  if (formals.firstSlot === 1) vals[0] = set;
  const names = formals.names;
  let used = 0;
  let missing = -1;
  for (let i = 0; i < names.length; i++) {
    const v = set.get(names[i]);
    if (v !== undefined) {
      used++;
      vals[formals.firstSlot + i] = v;
    } else {
      const def = formals.defaults[i];
      if (def === undefined) {
        missing = i;
        continue;
      }
      vals[formals.firstSlot + i] = def(env);
    }
  }
  if (missing >= 0) {
    // Nix reports the first missing formal in name order.
    const first = formals.sortedIndex.find((i) => formals.defaults[i] === undefined && !set.has(names[i]))!;
    throw callError(code, `called without required argument '${names[first]}'`, span);
  }
  if (!formals.ellipsis && used !== set.size) {
    for (const name of set.sortedNames()) {
      if (!formals.nameSet.has(name)) {
        const e = callError(code, `called with unexpected argument '${name}'`, span);
        const hint = didYouMean(name, [...formals.nameSet].sort());
        if (hint) e.hints.push(hint);
        throw e;
      }
    }
  }
}

function callError(code: LambdaCode, what: string, span: Span | undefined): NixError {
  const name = code.expr.name ?? 'anonymous lambda';
  const e = new NixError('eval', `function '${name}' ${what}`, code.expr.span);
  e.addTrace('from call site', span);
  return e;
}
