/**
 * The evaluator's state shared by every file it evaluates: the base
 * environment (globals), imports (cached per file), the search path.
 * Builtins reach it through `currentState()`: evaluation is synchronous, so
 * the evaluator that is running is the one they serve.
 */
import type { Lazy, Value, NixAttrs } from '../value/index.js';
import type { Span } from '../span.js';
import type { PathAccess } from '../access.js';

export interface EvalState {
  readonly globals: ReadonlyMap<string, Lazy>;
  /** `<name>` / `<name/sub>`: the resolved absolute path, or Nix's error. */
  findFile(path: string, span: Span | undefined): string;
  /** `import path` (a file, or a directory's default.nix), cached per path. */
  importFile(path: string, span: Span | undefined): Value;
  /** `scopedImport attrs path`: not cached. */
  scopedImport(scope: NixAttrs, path: string, span: Span | undefined): Value;
  /** The `builtins` set. */
  readonly builtins: NixAttrs;
  /** The search path entries, for `builtins.nixPath`. */
  readonly searchPath: readonly string[];
  /** What pure and restricted evaluation may read (access.ts). */
  readonly access: PathAccess;
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
