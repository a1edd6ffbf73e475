/**
 * `nix-instantiate --eval` as one call on plain data, over the evaluator's
 * API (the way the CLI's `eval` command drives it), so that tests can put the
 * same request to tsportable and to nix-instantiate: the input (a file, `-E`,
 * or ./default.nix), `--arg`/`--argstr` auto-calling, `-A` attribute paths
 * (each printed on its own line), `--strict`, `--json`. Runnable in a
 * big-stack worker (src/eval/bigStack.ts), as the CLI runs.
 */
import path from 'node:path';
import { type Lazy } from '../../src/eval/value/index.js';
import { createEvaluator } from '../../src/eval/index.js';
import { runOnBigStack, type BigStackOptions } from '../../src/eval/bigStack.js';

export interface EvalArg {
  readonly name: string;
  /** `--arg` (a Nix expression, relative paths against cwd) or `--argstr` (a string). */
  readonly kind: 'expr' | 'string';
  readonly value: string;
}

export interface EvalRequest {
  /** The file to evaluate (relative to cwd); ignored when `expr` is given. Default ./default.nix. */
  readonly file?: string;
  /** `-E`: an expression; relative paths in it are relative to cwd. */
  readonly expr?: string;
  /** `-A` paths; each selected value is printed on its own line. */
  readonly attrPaths?: readonly string[];
  readonly args?: readonly EvalArg[];
  readonly strict?: boolean;
  readonly json?: boolean;
  /** `-I` entries then NIX_PATH entries. */
  readonly searchPath?: readonly string[];
  readonly cwd: string;
}

/** Evaluates as `nix-instantiate --eval` and returns its standard output (without the final newline). */
export function evalCommand(req: EvalRequest): string {
  const ev = createEvaluator({ searchPath: req.searchPath, cwd: req.cwd });
  const root = req.expr !== undefined
    ? ev.evalExpr(req.expr, req.cwd)
    : ev.evalFile(path.resolve(req.cwd, req.file ?? 'default.nix'));
  const autoArgs = new Map<string, Lazy>();
  for (const a of req.args ?? []) {
    autoArgs.set(a.name, a.kind === 'string' ? a.value : ev.evalExpr(a.value, req.cwd));
  }
  const lines: string[] = [];
  for (const attrPath of req.attrPaths?.length ? req.attrPaths : ['']) {
    let v = ev.selectAttrPath(root, attrPath, autoArgs);
    if (autoArgs.size) v = ev.autoCall(v, autoArgs);
    if (req.json) {
      if (req.strict) ev.forceDeep(v);
      lines.push(ev.toJSON(v));
    } else {
      lines.push(ev.printValue(v, { strict: req.strict }));
    }
  }
  return lines.join('\n');
}

/** `evalCommand` in a worker with a large stack, so deep recursion evaluates as in Nix. */
export function evalCommandOnBigStack(req: EvalRequest, opts?: BigStackOptions): Promise<string> {
  return runOnBigStack<string>(new URL('./instantiate.js', import.meta.url), 'evalCommand', req, opts);
}
