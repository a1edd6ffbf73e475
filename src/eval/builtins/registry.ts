/**
 * The declaration of builtins. Every builtin is declared once, next to its
 * implementation, with `defineBuiltin({ name, arity, doc, fn })` (or
 * `defineConstant` for values such as `builtins.nixVersion`), in the file of
 * its family; importing that file (src/eval/builtins/index.ts) registers it.
 * The evaluator builds the `builtins` set and the global names from this list.
 *
 * Conventions for implementations:
 * - `fn(args, span)` gets exactly `arity` arguments, *unforced* (`Lazy`).
 *   A hot builtin of one or two arguments is declared with `fn1(a, span)` or
 *   `fn2(a, b, span)` instead: a call site that gives it all its arguments
 *   then makes no argument array (value/call.ts);
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

interface BuiltinCommon {
  /** The name inside `builtins` (`map`, `attrNames`); never with the `__` prefix. */
  readonly name: string;
  readonly arity: number;
  /** One line saying what it does. */
  readonly doc: string;
  /** Also bound at top level (`map`, `toString`, `import`, ...), as in Nix. */
  readonly global?: boolean;
  /** A stand-in (core.ts): any other declaration of the name wins, whatever the import order. */
  readonly placeholder?: boolean;
}

/** A builtin's declaration: its implementation as `fn`, or (hot builtins of one or two arguments) `fn1`/`fn2`. */
export type BuiltinDef = BuiltinCommon & (
  | { readonly fn: (args: Lazy[], span: Span | undefined) => Value }
  | { readonly arity: 1; readonly fn1: (a: Lazy, span: Span | undefined) => Value }
  | { readonly arity: 2; readonly fn2: (a: Lazy, b: Lazy, span: Span | undefined) => Value });

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
  let op: PrimOp;
  if ('fn1' in def) {
    const fn1 = def.fn1;
    op = new PrimOp(def.name, 1, (args, span) => fn1(args[0], span), def.doc, fn1);
  } else if ('fn2' in def) {
    const fn2 = def.fn2;
    op = new PrimOp(def.name, 2, (args, span) => fn2(args[0], args[1], span), def.doc, undefined, fn2);
  } else {
    op = new PrimOp(def.name, def.arity, def.fn, def.doc);
  }
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
