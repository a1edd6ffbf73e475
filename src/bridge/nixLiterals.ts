/**
 * Nix source text for literals: the small, exact rules for writing a value so
 * that Nix reads back the same value. Every `$` is escaped (so no `${` or `$${`
 * sequence can start an interpolation), ints outside Nix's literal range are
 * written as arithmetic, and floats always carry a `.` (Nix reads `1e21` as
 * something else than a float).
 */
import { nixWillRead } from '../eval/dependencies.js';

/** The body of a double-quoted string, without the quotes. */
export function escapeStringBody(s: string): string {
  return s.replace(/[\\"$\n\r\t]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\${c}`);
}

export function stringLiteral(s: string): string {
  return `"${escapeStringBody(s)}"`;
}

const keywords = new Set(['if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec', 'inherit', 'or']);

function isIdentifier(name: string): boolean {
  return /^[a-zA-Z_][a-zA-Z0-9_'-]*$/.test(name) && !keywords.has(name);
}

/** An attribute name as written in a set or a selection: bare when possible. */
export function attrNameLiteral(name: string): string {
  return isIdentifier(name) ? name : stringLiteral(name);
}

export function intLiteral(v: number | bigint): string {
  const b = BigInt(v);
  if (b >= 0n) return b.toString();
  // `-9223372036854775808` does not parse as a literal; the subtraction does.
  if (b === -(2n ** 63n)) return '(-9223372036854775807 - 1)';
  return `(${b.toString()})`;
}

/** A float literal Nix reads back as the same float, or undefined for NaN and infinities. */
export function floatLiteral(x: number): string | undefined {
  if (!Number.isFinite(x)) return undefined;
  let s = String(Math.abs(x));
  const e = s.indexOf('e');
  const mantissa = e < 0 ? s : s.slice(0, e);
  if (!mantissa.includes('.')) s = mantissa + '.0' + (e < 0 ? '' : s.slice(e));
  return x < 0 || Object.is(x, -0) ? `(-${s})` : s;
}

/**
 * A path as Nix source: a literal when its characters allow, else `/. + "/..."`.
 * Nix will read what it names: a build being recorded fingerprints it now (eval/dependencies.ts).
 */
export function pathLiteral(path: string): string {
  nixWillRead(path);
  if (path === '/') return '/.';
  if (/^(\/[a-zA-Z0-9._+-]+)+$/.test(path)) return path;
  return `(/. + ${stringLiteral(path)})`;
}
