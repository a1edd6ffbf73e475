/**
 * The evaluator's state shared by every file it evaluates: the base
 * environment (globals), the parsed-and-compiled cache of imported files, the
 * search path. Builtins reach it through `currentState()`: evaluation is
 * synchronous, so the evaluator that is running is the one they serve.
 */
import type { Lazy, Value } from '../value/index.js';

export interface EvalState {
  readonly globals: ReadonlyMap<string, Lazy>;
  /** `<name>` / `<name/sub>`: the resolved absolute path, or Nix's error. */
  findFile(path: string, span: import('../span.js').Span | undefined): string;
  /** `import path` (a file, or a directory's default.nix), cached per path. */
  importFile(path: string, span: import('../span.js').Span | undefined): Value;
  /** `scopedImport attrs path`: not cached. */
  scopedImport(scope: import('../value/index.js').NixAttrs, path: string, span: import('../span.js').Span | undefined): Value;
  /** The `builtins` set. */
  readonly builtins: import('../value/index.js').NixAttrs;
  /** The search path entries, for `builtins.nixPath`. */
  readonly searchPath: readonly string[];
}

let current: EvalState | undefined;

export function currentState(): EvalState {
  if (!current) throw new Error('no evaluator is running');
  return current;
}

/** Makes `s` the current evaluator; returns the previous one, to restore. */
export function swapCurrentState(s: EvalState | undefined): EvalState | undefined {
  const previous = current;
  current = s;
  return previous;
}
