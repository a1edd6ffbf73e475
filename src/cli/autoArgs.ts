/**
 * `--arg NAME EXPR` and `--argstr NAME STRING` as nix-instantiate takes them:
 * an EXPR is evaluated lazily (only if the function uses it) with relative
 * paths resolved against the working directory; a later value for the same
 * name wins.
 */
import type { Evaluator } from '../eval/index.js';
import { Thunk, type Lazy } from '../eval/value/index.js';
import type { EvalInput } from './evalInput.js';

export function autoArgsMap(ev: Evaluator, input: EvalInput): Map<string, Lazy> {
  const args = new Map<string, Lazy>();
  for (const a of input.autoArgs) {
    args.set(a.name, 'str' in a ? a.str : new Thunk(() => ev.evalExpr(a.expr, input.cwd, '«string»')));
  }
  return args;
}

/** Evaluates the file or `-E` expression of the input to its top-level value. */
export function evalRoot(ev: Evaluator, input: EvalInput) {
  return input.file !== undefined ? ev.evalFile(input.file) : ev.evalExpr(input.expr!, input.cwd, '«string»');
}
