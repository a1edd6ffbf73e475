/**
 * The run-time environment of one scope level: an array of its slots, then,
 * after the last slot, the enclosing level. Slot numbers and each level's
 * slot count are fixed by compile/scope.ts, so a variable is found by
 * indexing a known number of times, never by name. One array per level (not
 * an object holding an array): a function call allocates one object for its
 * argument. A `with` level has one slot: the (lazy) set it brings into scope.
 * A rec set's values are its level's slots (NixAttrs.shaped reads only the
 * first `names.length` entries).
 */
import type { Lazy } from '../value/index.js';

export type Env = Lazy[];

/** A level of `size` slots (filled by the caller) over `up`. */
export function newEnv(up: Env | undefined, size: number): Env {
  const env = new Array<Lazy>(size + 1);
  env[size] = up as unknown as Lazy;
  return env;
}

/** The enclosing level of `env`, whose own level has `size` slots. */
export function outer(env: Env, size: number): Env {
  return env[size] as unknown as Env;
}

/** A one-slot level (a plain function's argument, a `with` set) over `up`. */
export function env1(v: Lazy, up: Env | undefined): Env {
  return [v, up as unknown as Lazy];
}
