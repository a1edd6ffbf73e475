/** Shared helpers of the syntax tests: parse and print, or catch the NixError. */
import { parseNix } from '../../src/eval/syntax/parse.js';
import { printExpr } from '../../src/eval/syntax/print.js';
import { NixError } from '../../src/eval/errors.js';
import type { Expr } from '../../src/eval/syntax/ast.js';

export const BASE = '/dir';
export const HOME = '/home/u';

export function parse(src: string, path = '«string»'): Expr {
  return parseNix(src, path, { baseDir: BASE, home: HOME });
}

/** What `nix-instantiate --parse` of current Nix prints for `src`. */
export function printed(src: string): string {
  return printExpr(parse(src));
}

/** The NixError parsing `src` throws (fails the test if it parses). */
export function parseError(src: string, path = '«string»'): NixError {
  try {
    parse(src, path);
  } catch (e) {
    if (e instanceof NixError) return e;
    throw e;
  }
  throw new Error(`expected a parse error for: ${src}`);
}

/** `message @ line:column` of an error, for compact assertions. */
export function located(e: NixError): string {
  return `${e.message} @ ${e.span?.line}:${e.span?.column}`;
}
