/**
 * The text of an expression for messages such as "assertion '...' failed".
 * Current Nix prints the parsed expression in its own normalised form
 * (`(x == 1)`), which the syntax printer reproduces.
 */
import type * as ast from '../syntax/ast.js';
import { printExpr } from '../syntax/print.js';

export function exprText(e: ast.Expr): string {
  return printExpr(e);
}
