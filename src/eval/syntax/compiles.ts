/**
 * Syntax trees known to compile: every variable in them bound, under a given
 * set of global names (`globalsKey`). Compiling a file resolves every
 * variable in it first, so that an undefined one is reported before
 * evaluation starts, as Nix does when it parses; a tree known to compile can
 * have its functions' bodies compiled when they are first called instead
 * (interp/compile.ts), which most are not (nixpkgs' lib has thousands).
 *
 * The evaluator notes here each file it has found to compile (by compiling
 * it in full, or from its free names: compile/freeNames.ts); the parse cache
 * (parseCache.ts) is told, and keeps the fact with the cached tree, so that
 * the next run, reading the tree from the cache, may compile lazily without
 * looking at the tree (nor decoding its functions' bodies: astCodec.ts).
 */
import type { Expr } from './ast.js';

const known = new WeakMap<Expr, Set<string>>();
const listeners = new WeakMap<Expr, (globalsKey: string) => void>();

/** Whether `tree` is known to compile under the global names `globalsKey` names. */
export function compilesUnder(tree: Expr, globalsKey: string): boolean {
  return known.get(tree)?.has(globalsKey) === true;
}

/**
 * The evaluator has found that `tree` compiles under `globalsKey`: known from
 * now on to this process (a tree kept and evaluated again: the language
 * server's) and to the parse cache.
 */
export function noteCompiles(tree: Expr, globalsKey: string): void {
  const keys = known.get(tree);
  if (keys === undefined) known.set(tree, new Set([globalsKey]));
  else keys.add(globalsKey);
  listeners.get(tree)?.(globalsKey);
}

/** For the parse cache: what is known of a tree read back, and who keeps what becomes known of a new one. */
export function knownToCompile(tree: Expr, globalsKeys: Iterable<string>): void {
  known.set(tree, new Set(globalsKeys));
}

export function whenCompiled(tree: Expr, listener: (globalsKey: string) => void): void {
  listeners.set(tree, listener);
}
