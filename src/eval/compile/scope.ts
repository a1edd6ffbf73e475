/**
 * Scope resolution, done once per file before evaluation (tvix and Nix do the
 * same): every variable becomes either a lexical slot (`up` environments out,
 * index `slot`), a global of the base environment (builtins, true, map, ...),
 * or, only when no lexical binding exists and some `with` encloses it, a
 * run-time lookup through the enclosing `with` sets, innermost first.
 *
 * The rules that make this subtle, as in Nix:
 * - lexical bindings win over `with`, even an outer `let` over an inner `with`;
 * - the base environment is lexical too, so `with { true = 1; }; true` is `true`;
 * - a name bound nowhere with no `with` around is "undefined variable 'x'" now,
 *   before anything is evaluated; with a `with` around, it is an error only
 *   if the lookup fails at run time.
 */
import { NixError } from '../errors.js';
import type { Span } from '../span.js';
import type { Lazy } from '../value/index.js';

export type Resolution =
  | { readonly kind: 'local'; readonly up: number; readonly slot: number }
  | { readonly kind: 'global'; readonly value: Lazy }
  /** `ups[i]`: how many environments out the i-th enclosing `with` is, innermost first. */
  | { readonly kind: 'with'; readonly ups: readonly number[] };

/**
 * One environment level at compile time. `names` maps a bound name to its slot;
 * a `with` level binds no names (its environment holds the set in slot 0).
 */
export class Scope {
  /** Slots of this level's environment (its `up` follows them: interp/env.ts). */
  readonly size: number;
  constructor(
    readonly parent: Scope | undefined,
    readonly names: ReadonlyMap<string, number> | undefined,
  ) {
    let size = names === undefined ? 1 : 0;
    if (names) for (const slot of names.values()) size = Math.max(size, slot + 1);
    this.size = size;
  }

  /** The slot counts of the `n` levels from this one outwards (to walk `up` n times). */
  sizesOut(n: number): number[] {
    const sizes: number[] = [];
    let s: Scope | undefined = this;
    for (let i = 0; i < n && s !== undefined; i++, s = s.parent) sizes.push(s.size);
    return sizes;
  }

  static withScope(parent: Scope | undefined): Scope {
    return new Scope(parent, undefined);
  }
}

/** Resolves `name` from `scope` outwards; `globals` is the base environment. */
export function resolveVar(
  name: string, scope: Scope | undefined, globals: ReadonlyMap<string, Lazy>, span: Span,
): Resolution {
  const ups: number[] = [];
  let up = 0;
  for (let s = scope; s; s = s.parent, up++) {
    if (s.names === undefined) {
      ups.push(up);
      continue;
    }
    const slot = s.names.get(name);
    if (slot !== undefined) return { kind: 'local', up, slot };
  }
  const g = globals.get(name);
  if (g !== undefined) return { kind: 'global', value: g };
  if (ups.length) return { kind: 'with', ups };
  throw new NixError('parse', `undefined variable '${name}'`, span);
}
