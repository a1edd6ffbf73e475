/**
 * Turning a parsed file into a value: compile it against the base environment
 * (plus, for scopedImport, one extra scope of given names) and run it.
 */
import type { Expr } from '../syntax/ast.js';
import type { Lazy, Value } from '../value/index.js';
import { Scope } from '../compile/scope.js';
import { newEnv } from './env.js';
import { compile, ROOT_ENV } from './compile.js';

/** Compiles without running: the scope check of `nix-instantiate --parse` (undefined variables). */
export function checkProgram(expr: Expr, globals: ReadonlyMap<string, Lazy>, baseDir: string): void {
  compile(expr, undefined, { globals, baseDir });
}

export function runProgram(expr: Expr, globals: ReadonlyMap<string, Lazy>, baseDir: string): Value {
  const code = compile(expr, undefined, { globals, baseDir });
  return code(ROOT_ENV);
}

/** Runs a file with extra names in scope, as `scopedImport` does (they shadow globals). */
export function runScoped(
  expr: Expr, globals: ReadonlyMap<string, Lazy>, baseDir: string, extra: ReadonlyMap<string, Lazy>,
): Value {
  const names = new Map<string, number>();
  const vals: Lazy[] = [];
  for (const [name, v] of extra) {
    names.set(name, vals.length);
    vals.push(v);
  }
  const code = compile(expr, new Scope(undefined, names), { globals, baseDir });
  const env = newEnv(undefined, vals.length);
  for (let i = 0; i < vals.length; i++) env[i] = vals[i];
  return code(env);
}
