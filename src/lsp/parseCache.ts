/**
 * Parsed files kept between the worker's evaluations. Every request
 * evaluates with a fresh evaluator (nothing of an earlier version of a text
 * may survive), but most files it reads do not change between edits: the
 * package set's `lib`, the files a document imports. A file is parsed again
 * only when its text differs from the one kept for its path; one entry per
 * path, the least recently used dropped first, so memory is bounded by the
 * files there are, not by the edits made.
 */
import { dirname } from 'node:path';
import type * as ast from '../eval/syntax/ast.js';
import { parseNix } from '../eval/syntax/parse.js';

const enum Limits {
  /** Files kept. */
  Files = 1000,
  /** Characters of source kept (a parsed file takes some tens of times its text). */
  Chars = 4 * 1024 * 1024,
}

const kept = new Map<string, { readonly text: string; readonly expr: ast.Expr }>();
let chars = 0;

/** The syntax tree of `text` as the file `file`; a NixError for syntax errors (not kept). */
export function parseKept(text: string, file: string): ast.Expr {
  const known = kept.get(file);
  if (known && known.text === text) {
    kept.delete(file);
    kept.set(file, known);
    return known.expr;
  }
  const expr = parseNix(text, file, { baseDir: dirname(file) });
  if (known) chars -= known.text.length;
  kept.delete(file);
  kept.set(file, { text, expr });
  chars += text.length;
  for (const [path, entry] of kept) {
    if (kept.size <= Limits.Files && chars <= Limits.Chars) break;
    kept.delete(path);
    chars -= entry.text.length;
  }
  return expr;
}
