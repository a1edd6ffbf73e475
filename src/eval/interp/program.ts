/**
 * Turning a parsed file into a value: compile it against the base environment
 * (plus, for scopedImport, one extra scope of given names) and run it. A file
 * that compiles under these globals has its functions' bodies compiled when
 * first called: one known to (syntax/compiles.ts: the parse cache's record,
 * or an earlier compile in this process), or one whose free names
 * (compile/freeNames.ts) are all globals, which is then known to compile. Any
 * other is compiled in full, which reports its undefined variable as before.
 */
import { hashText } from '../../fastHash.js';
import type { Expr } from '../syntax/ast.js';
import { compilesUnder, noteCompiles } from '../syntax/compiles.js';
import type { Lazy, Value } from '../value/index.js';
import { Scope } from '../compile/scope.js';
import { freeNames } from '../compile/freeNames.js';
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

/** Whether `expr` is known to compile under `globals`, finding out (without compiling it) if not yet known. */
function compiles(expr: Expr, globals: ReadonlyMap<string, Lazy>): boolean {
  const key = globalsKey(globals);
  if (compilesUnder(expr, key)) return true;
  for (const name of freeNames(expr)) if (!globals.has(name)) return false;
  noteCompiles(expr, key);
  return true;
}

export function runProgram(expr: Expr, globals: ReadonlyMap<string, Lazy>, baseDir: string): Value {
  const lazyBodies = compiles(expr, globals);
  const code = compile(expr, undefined, { globals, baseDir, lazyBodies });
  if (!lazyBodies) noteCompiles(expr, globalsKey(globals));
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
  // More names in scope never make a variable undefined: a file that compiles with the globals alone still does.
  const lazyBodies = compiles(expr, globals);
  const code = compile(expr, new Scope(undefined, names), { globals, baseDir, lazyBodies });
  const env = newEnv(undefined, vals.length);
  for (let i = 0; i < vals.length; i++) env[i] = vals[i];
  return code(env);
}
