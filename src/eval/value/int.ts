/**
 * 64-bit signed integer arithmetic with Nix's semantics on the split
 * representation of index.ts: a JS `number` while the value is a safe integer,
 * a `bigint` outside that range. Every function here returns a normalised int,
 * so `typeof v === 'number'` keeps meaning "int". Results outside the 64-bit
 * range are Nix's "integer overflow in ..." errors, as current Nix reports them.
 */
import { NixError } from '../errors.js';
import type { Span } from '../span.js';

export type NixInt = number | bigint;

const MIN64 = -(1n << 63n);
const MAX64 = (1n << 63n) - 1n;

/** The canonical form of an int known to be in the 64-bit range. */
export function normInt(v: bigint): NixInt {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

export function isInt(v: unknown): v is NixInt {
  return typeof v === 'number' || typeof v === 'bigint';
}

function checked(r: bigint, what: string, a: NixInt, op: string, b: NixInt, span?: Span): NixInt {
  if (r < MIN64 || r > MAX64) throw new NixError('eval', `integer overflow in ${what} ${a} ${op} ${b}`, span);
  return normInt(r);
}

export function addInt(a: NixInt, b: NixInt, span?: Span): NixInt {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  return checked(BigInt(a) + BigInt(b), 'adding', a, '+', b, span);
}

export function subInt(a: NixInt, b: NixInt, span?: Span): NixInt {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r;
  }
  return checked(BigInt(a) - BigInt(b), 'subtracting', a, '-', b, span);
}

export function mulInt(a: NixInt, b: NixInt, span?: Span): NixInt {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r; // no -0 for ints
  }
  return checked(BigInt(a) * BigInt(b), 'multiplying', a, '*', b, span);
}

/** `a / b` on ints: truncates toward zero, as C++ does. */
export function divInt(a: NixInt, b: NixInt, span?: Span): NixInt {
  if (b === 0 || b === 0n) throw new NixError('eval', 'division by zero', span);
  if (typeof a === 'number' && typeof b === 'number') {
    const r = Math.trunc(a / b);
    return r === 0 ? 0 : r;
  }
  return checked(BigInt(a) / BigInt(b), 'dividing', a, '/', b, span);
}
