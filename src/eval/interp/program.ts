/**
 * Turning a parsed file into a value: compile it against the base environment
 * (plus, for scopedImport, one extra scope of given names) and run it. A file
 * known to compile under these globals (syntax/compiles.ts) has its
 * functions' bodies compiled when first called; any other is compiled in
 * full, which checks every variable, and is then known to compile.
 */
import { hashText } from '../../fastHash.js';
import type { Expr } from '../syntax/ast.js';
import { compilesUnder, noteCompiles } from '../syntax/compiles.js';
import type { Lazy, Value } from '../value/index.js';
import { Scope } from '../compile/scope.js';
import { newEnv } from './env.js';
import { compile, ROOT_ENV } from './compile.js';

const globalsKeys = new WeakMap<ReadonlyMap<string, Lazy>, string>();

/** What names a base environment binds, as a short key. */
function globalsKey(globals: ReadonlyMap<string, Lazy>): string {
  let key = globalsKeys.get(globals);
  if (key === undefined) {
    key = hashText([...globals.keys()].sort().join('\0')).slice(0, 16);
    globalsKeys.set(globals, key);
  }
  return key;
}

/** Compiles without running: the scope check of `nix-instantiate --parse` (undefined variables). */
export function checkProgram(expr: Expr, globals: ReadonlyMap<string, Lazy>, baseDir: string): void {
  compile(expr, undefined, { globals, baseDir });
}

export function runProgram(expr: Expr, globals: ReadonlyMap<string, Lazy>, baseDir: string): Value {
  const key = globalsKey(globals);
  const lazyBodies = compilesUnder(expr, key);
  const code = compile(expr, undefined, { globals, baseDir, lazyBodies });
  if (!lazyBodies) noteCompiles(expr, key);
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
  // More names in scope never make a variable undefined: a file known to compile still does.
  const lazyBodies = compilesUnder(expr, globalsKey(globals));
  const code = compile(expr, new Scope(undefined, names), { globals, baseDir, lazyBodies });
  const env = newEnv(undefined, vals.length);
  for (let i = 0; i < vals.length; i++) env[i] = vals[i];
  return code(env);
}
