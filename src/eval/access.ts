/**
 * Which files evaluation may read, under Nix's `pure-eval` and
 * `restrict-eval` settings (settings.ts). Without either, everything. With
 * `restrict-eval`, the search path's entries and the store; with `pure-eval`
 * (no search path at all), the store; in both, tsportable's own Nix files
 * (its corepkgs, its package set: what Nix has built in or in the store) and
 * the paths the evaluator was created with (`allowedPaths`: a flake's source
 * tree). A path is readable when it is an allowed path, inside one, or a
 * parent of one (to reach it), as in Nix's allow list. Every place that reads a file for evaluation asks
 * `checkAccess` first: `import` (the file given on the command line too),
 * readFile, readDir, pathExists (which says false), hashFile, copying a path
 * to the store. Nix refuses a store path reached without a string context
 * too; tsportable lets the whole store be read.
 */
import { dirname, resolve } from 'node:path';
import { NixError } from './errors.js';
import { evalSettings } from './settings.js';
import type { Span } from './span.js';
import { currentState } from './interp/state.js';

export class PathAccess {
  private readonly allowed: ReadonlySet<string>;

  constructor(allowed: Iterable<string>) {
    this.allowed = new Set([...allowed].map((p) => resolve(p)));
  }

  private isAllowed(p: string): boolean {
    for (let q = p; ; q = dirname(q)) {
      if (this.allowed.has(q)) return true;
      if (q === '/') break;
    }
    const within = p === '/' ? '/' : `${p}/`;
    for (const a of this.allowed) if (a.startsWith(within)) return true;
    return false;
  }

  /** Nix's "access to absolute path ... is forbidden" when a setting restricts reading and `p` is not allowed. */
  check(p: string, span: Span | undefined): void {
    if (!evalSettings.pureEval && !evalSettings.restrictEval) return;
    const abs = resolve(p);
    if (this.isAllowed(abs)) return;
    const mode = evalSettings.pureEval ? "in pure evaluation mode (use '--impure' to override)" : 'in restricted mode';
    throw new ForbiddenPathError(`access to absolute path '${abs}' is forbidden ${mode}`, span);
  }
}

/** The access error: `pathExists` turns it into false, as Nix does. */
export class ForbiddenPathError extends NixError {
  constructor(message: string, span: Span | undefined) {
    super('eval', message, span);
  }
}

/** The running evaluator's check (builtins and the store hooks read files on its behalf). */
export function checkAccess(p: string, span: Span | undefined): void {
  if (evalSettings.pureEval || evalSettings.restrictEval) currentState().access.check(p, span);
}
