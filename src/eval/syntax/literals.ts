/**
 * Expressions made only of literals: numbers, strings and paths without
 * interpolation, and lists and plain sets (not `rec`, no dynamic names, no
 * `inherit`) of such. Generated files are mostly this (package lists, hashes,
 * 300,000 small sets in one file); nixpkgs' lib has many small ones. The
 * evaluator builds their values without compiling them (interp/constants.ts),
 * and the parse cache can hand out a set of them without decoding its tree
 * (astCodec.ts's `LiteralAttrs`).
 */
import type { Expr } from './ast.js';
import { LiteralAttrs } from './literalAttrs.js';

/**
 * Whether `e` is such an expression. (Compiling asks again for the parts of
 * one that is not: the walk stops at the first part that is not a literal.)
 */
export function isLiteral(e: Expr): boolean {
  switch (e.kind) {
    case 'int': case 'float': return true;
    case 'string': {
      const parts = e.parts;
      for (let i = 0; i < parts.length; i++) if (typeof parts[i] !== 'string') return false;
      return true;
    }
    case 'path': return e.parts.length === 1 && typeof e.parts[0] === 'string';
    case 'list': {
      const elems = e.elems;
      for (let i = 0; i < elems.length; i++) if (!isLiteral(elems[i])) return false;
      return true;
    }
    case 'attrs': {
      if (e.rec || e.dynamic.length > 0 || e.inheritFrom.length > 0) return false;
      // Known without looking (and without decoding it), until its definitions are decoded (and
      // perhaps merged with others': `{ a = { b = 1; }; a.c = x; }`).
      if (e.attrs instanceof LiteralAttrs && e.attrs.undecoded !== undefined) return true;
      for (const def of e.attrs.values()) if (def.kind !== 'plain' || !isLiteral(def.value)) return false;
      return true;
    }
    default: return false;
  }
}

const MAX_INT = (1n << 63n) - 1n;

/** The value of an integer literal's text; undefined when it does not fit 64 bits (Nix's "invalid integer"). */
export function integerLiteral(text: string): bigint | undefined {
  const value = BigInt(text);
  return value > MAX_INT ? undefined : value;
}

/** The value of a float literal's text; undefined when Nix refuses it ("invalid float": out of range, or a non-zero that underflows). */
export function floatLiteral(text: string): number | undefined {
  const value = Number(text);
  if (!Number.isFinite(value) || (value === 0 && /[1-9]/.test(text.replace(/[eE].*$/, '')))) return undefined;
  return value;
}
