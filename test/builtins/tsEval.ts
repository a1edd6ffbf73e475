/**
 * tsportable's side of the builtins tests: evaluates expressions with the
 * evaluator and returns what `nix-instantiate --eval --strict --json` would
 * print (parsed), or the first line of the error message.
 */
import { createEvaluator } from '../../src/eval/index.js';
import { NixError } from '../../src/eval/errors.js';

const evaluator = createEvaluator({ cwd: process.cwd() });

/** The JSON value of an expression, as `--eval --strict --json` gives it. */
export function tsJson(expr: string, baseDir = '/tmp'): unknown {
  const v = evaluator.evalExpr(expr, baseDir);
  return JSON.parse(evaluator.toJSON(evaluator.forceDeep(v)));
}

/** `error: <first line of the message>` for an expression that must fail. */
export function tsError(expr: string, baseDir = '/tmp'): string {
  try {
    const v = evaluator.evalExpr(expr, baseDir);
    evaluator.forceDeep(v);
  } catch (e) {
    if (e instanceof NixError) return `error: ${e.message.split('\n')[0]}`;
    throw e;
  }
  return '(no error)';
}

/** `nix-instantiate --eval --strict` text of an expression. */
export function tsPrint(expr: string, baseDir = '/tmp'): string {
  return evaluator.printValue(evaluator.evalExpr(expr, baseDir), { strict: true });
}
