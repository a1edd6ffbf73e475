/**
 * The run-time environment: an array of slots per scope level, chained to the
 * enclosing level. Slot numbers are fixed by compile/scope.ts, so a variable
 * is found by walking `up` a known number of times and indexing, never by name.
 * A `with` level has one slot: the (lazy) set it brings into scope.
 */
import type { Lazy } from '../value/index.js';

export class Env {
  constructor(
    readonly up: Env | undefined,
    readonly vals: Lazy[],
  ) {}
}
