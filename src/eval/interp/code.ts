/**
 * What the compiler produces: every AST node becomes a JS closure over its
 * already-compiled children, once per file. Evaluating is calling the
 * closure with an environment; no per-node dispatch or name lookup happens at
 * run time. `Code` gives a value (weak head normal form); `LazyCode` gives a
 * slot content, allocating a thunk only where evaluation could do work.
 */
import type { Lazy, Value } from '../value/index.js';
import type { Lambda as LambdaExpr } from '../syntax/ast.js';
import type { Env } from './env.js';
import type { Scope } from '../compile/scope.js';

export type Code = (env: Env) => Value;
export type LazyCode = (env: Env) => Lazy;

/** The compiled form of a function, kept on `Lambda` values. */
export interface LambdaCode {
  readonly expr: LambdaExpr;
  /** Slots of the function's environment: the `@` name (if any) first, then formals. */
  readonly nslots: number;
  /** Replaced by the compiled body on the first call when bodies are compiled lazily (compile.ts). */
  body: Code;
  /** For `a: b: ...` (body is itself a function): the inner function's code. */
  readonly curried?: LambdaCode;
  /** For `{ a, b ? e, ... }` functions. */
  readonly formals?: {
    readonly names: readonly string[];
    readonly defaults: ReadonlyArray<LazyCode | undefined>;
    /** Formal names sorted as Nix reports missing ones. */
    readonly sortedIndex: readonly number[];
    readonly nameSet: ReadonlySet<string>;
    readonly ellipsis: boolean;
    readonly firstSlot: number;
  };
  /** The scope outside the function (for the bridge's write-back of closures, see captured.ts). */
  readonly outerScope: Scope | undefined;
  /** "'f'" or "anonymous lambda", for messages. */
  readonly displayName: string;
}
