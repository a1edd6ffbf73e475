/**
 * The entry point of the syntax layer: Nix source text in, typed AST out, or a
 * NixError of kind 'parse' listing every syntax error.
 *
 * The published tree-sitter grammar differs from Nix in a few places that
 * matter for real files. Those that can be fixed without moving any offset are
 * fixed in a copy of the text given to tree-sitter only; the lowering always
 * reads the original text, so literals and positions are untouched:
 * - a `#` comment ends at a lone CR in Nix; tree-sitter reads on: the lone CR
 *   becomes LF in the copy (Nix counts it as a line break anyway);
 * - `~/${x}`: the grammar needs a character after `~/`; the copy says
 *   `./${x}` and lowering sees the `~` in the original;
 * - a NUL byte becomes U+0001, which tree-sitter reads as a character of a
 *   string, so that lowering can report Nix's error for strings with NULs;
 * - a trailing comma in formals (`{ pkgs, lib, }:`), which nixfmt writes
 *   everywhere, becomes a space in the copy (see trailingCommas.ts).
 * The remaining differences (keywords after a dot, chained comparisons, `a//b`
 * read as one path, the "cursed" `f or`, ...)
 * are checked during lowering.
 */
import type { Tree } from 'tree-sitter';
import type { Source } from '../span.js';
import type { Expr } from './ast.js';
import type { LiteralEncoder } from './astCodec.js';
import { NixError } from '../errors.js';
import { jsStackOverflow } from '../stack.js';
import { nixParser, parseFlat } from './treeSitter.js';
import { PositionTable } from './positions.js';
import { lowerTree } from './lower.js';
import { FlatTree } from './flatTree.js';
import { collectSyntaxErrors } from './syntaxErrors.js';
import { trailingFormalCommas } from './trailingCommas.js';

export interface ParseOptions {
  /** Directory that relative path literals are resolved against (the file's directory). */
  readonly baseDir: string;
  /** $HOME for `~/` paths; defaults to the environment's HOME. */
  readonly home?: string;
}

/**
 * Parses Nix source. `sourcePath` is the absolute file path or a pseudo-name
 * such as `«string»`; it appears in spans and messages. With `literals` (the
 * parse cache's), sets of literals are lowered straight into the cache's form.
 * @throws NixError (kind 'parse') for syntax errors and the checks Nix makes while parsing.
 */
export function parseNix(text: string, sourcePath: string, opts: ParseOptions, literals?: LiteralEncoder): Expr {
  const source: Source = { path: sourcePath, text };
  const table = new PositionTable(source);
  const patched = patchForGrammar(text);
  const flat = new FlatTree(parseFlat(patched));
  if (flat.hasError) {
    // The `tree-sitter` package's nodes describe syntax errors. Some of
    // tree-sitter's repairs are not errors for Nix (`inherit;`): then there is
    // nothing to report, and the repaired tree is lowered.
    const [first, ...rest] = collectSyntaxErrors(nixParser().parse(patched), text, table);
    if (first) {
      first.related.push(...rest);
      throw first;
    }
  }
  try {
    return lowerTree(flat, text, table, { baseDir: opts.baseDir, home: opts.home ?? process.env.HOME ?? '/' }, literals);
  } catch (e) {
    if (e instanceof RangeError) {
      throw jsStackOverflow(undefined, new NixError('parse', 'expression is nested too deeply', table.span(0, 0)));
    }
    throw e;
  }
}

/** The flat tree of `text` (flatTree.ts), with the grammar's gaps patched as described above: the parse alone, for benchmarks. */
export function parseFlatTree(text: string): FlatTree {
  return new FlatTree(parseFlat(patchForGrammar(text)));
}

/** The tree-sitter tree of `text` (from the `tree-sitter` package), with the grammar's gaps patched as described above. */
export function parseTree(text: string): Tree {
  return nixParser().parse(patchForGrammar(text));
}

/** The text tree-sitter is given: the grammar's gaps patched as described above. */
function patchForGrammar(text: string): string {
  let patched = text;
  if (patched.includes('\r')) patched = patched.replace(/\r(?!\n)/g, '\n');
  // NUL is no token for tree-sitter; inside a string it is for Nix, which then refuses it (lower.ts says so).
  if (patched.includes('\0')) patched = patched.replace(/\0/g, '\u0001');
  if (patched.includes('~/${')) patched = patched.replace(/~\/\$\{/g, './${');
  const commas = trailingFormalCommas(patched);
  if (commas.length > 0) {
    const parts: string[] = [];
    let from = 0;
    for (const index of commas) {
      parts.push(patched.slice(from, index));
      from = index + 1;
    }
    parts.push(patched.slice(from));
    patched = parts.join(' ');
  }
  return patched;
}
