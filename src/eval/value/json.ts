/**
 * Values as JSON text, as Nix writes them for `builtins.toJSON` and
 * `nix-instantiate --eval --json`. One implementation serves both: the
 * builtins' (builtins/json.ts); this module gives it the evaluator's shape
 * (text and the contexts of the strings met).
 */
import type { Span } from '../span.js';
import type { Lazy } from './index.js';
import { valueToJSON as writeJSON } from '../builtins/json.js';

export interface JsonResult {
  readonly text: string;
  readonly context: ReadonlySet<string>;
}

export function valueToJSON(v: Lazy, span?: Span, copyToStore = true): JsonResult {
  const context = new Set<string>();
  const text = writeJSON(v, span, context, copyToStore);
  return { text, context };
}
