/**
 * What a name means inside a function's closure, for the nixpkgs bridge,
 * which writes a user's function back as Nix source and must know what each
 * free variable refers to. Lexical bindings first, then globals (the base
 * environment is lexical in Nix), then the enclosing `with` sets, innermost
 * first: the same order as scope resolution (compile/scope.ts).
 */
import { type Lazy, type Lambda, NixAttrs } from '../value/index.js';
import { force } from '../value/force.js';
import { type Env, outer } from './env.js';
import type { LambdaCode } from './code.js';

export type Captured =
  | { readonly kind: 'lexical'; readonly value: Lazy }
  | { readonly kind: 'with'; readonly value: Lazy }
  | { readonly kind: 'global' }
  | { readonly kind: 'unbound' };

export function lookupCaptured(fn: Lambda, name: string, globals: ReadonlyMap<string, Lazy>): Captured {
  const code = fn.code as LambdaCode;
  const withs: Env[] = [];
  let env = fn.env as Env | undefined;
  for (let scope = code.outerScope; scope && env; env = outer(env, scope.size), scope = scope.parent) {
    if (scope.names === undefined) {
      withs.push(env);
      continue;
    }
    const slot = scope.names.get(name);
    if (slot !== undefined) return { kind: 'lexical', value: env[slot] };
  }
  if (globals.has(name)) return { kind: 'global' };
  for (const w of withs) {
    const set = force(w[0]);
    if (set instanceof NixAttrs) {
      const v = set.get(name);
      if (v !== undefined) return { kind: 'with', value: v };
    }
  }
  return { kind: 'unbound' };
}
