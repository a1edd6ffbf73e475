/**
 * The declaration of builtins. Every builtin is declared once, next to its
 * implementation, with `defineBuiltin({ name, arity, doc, fn })` (or
 * `defineConstant` for values such as `builtins.nixVersion`), in the file of
 * its family; importing that file (src/eval/builtins/index.ts) registers it.
 * The evaluator builds the `builtins` set and the global names from this list.
 *
 * Conventions for implementations:
 * - `fn(args, span)` gets exactly `arity` arguments, *unforced* (`Lazy`);
 *   force what you need with the helpers of src/eval/value/force.ts, giving the
 *   span and a context such as "while evaluating the first argument passed to
 *   builtins.map" (Nix's errorCtx), so type errors read as in Nix.
 * - Errors: `throw new NixError('eval', message, span)`.
 * - Lazy results: `lazy(() => ...)` (a Thunk); call functions with
 *   `callFunction(f, [arg], span)` from src/eval/value/call.ts.
 */
import type { Span } from '../span.js';
import type { Lazy, Value } from '../value/index.js';
import { PrimOp } from '../value/index.js';

export interface BuiltinDef {
  /** The name inside `builtins` (`map`, `attrNames`); never with the `__` prefix. */
  readonly name: string;
  readonly arity: number;
  /** One line saying what it does. */
  readonly doc: string;
  /** Also bound at top level (`map`, `toString`, `import`, ...), as in Nix. */
  readonly global?: boolean;
  /** A stand-in (core.ts): any other declaration of the name wins, whatever the import order. */
  readonly placeholder?: boolean;
  readonly fn: (args: Lazy[], span: Span | undefined) => Value;
}

export interface ConstantDef {
  readonly name: string;
  readonly doc: string;
  readonly global?: boolean;
  readonly placeholder?: boolean;
  /** Computed when first used (e.g. reading the environment). */
  readonly value: () => Value;
  /** Left out in pure evaluation (`pure-eval`), as Nix leaves out currentSystem and currentTime. */
  readonly impure?: boolean;
}

export type Definition =
  | { readonly kind: 'builtin'; readonly def: BuiltinDef; readonly op: PrimOp }
  | { readonly kind: 'constant'; readonly def: ConstantDef };

const definitions = new Map<string, Definition>();

/** Whether a new declaration replaces the current one: placeholders never replace real ones. */
function replaces(def: { readonly name: string; readonly placeholder?: boolean }): boolean {
  if (!def.placeholder) return true;
  const current = definitions.get(def.name);
  return current === undefined || current.def.placeholder === true;
}

/** Declares a builtin; a later declaration of the same name replaces an earlier one, except a placeholder. */
export function defineBuiltin(def: BuiltinDef): PrimOp {
  const op = new PrimOp(def.name, def.arity, def.fn, def.doc);
  if (replaces(def)) definitions.set(def.name, { kind: 'builtin', def, op });
  return op;
}

export function defineConstant(def: ConstantDef): void {
  if (replaces(def)) definitions.set(def.name, { kind: 'constant', def });
}

/** Every declared builtin and constant, in declaration order. */
export function allDefinitions(): ReadonlyMap<string, Definition> {
  return definitions;
}

export function getBuiltin(name: string): PrimOp | undefined {
  const d = definitions.get(name);
  return d?.kind === 'builtin' ? d.op : undefined;
}
