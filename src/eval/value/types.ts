/**
 * The names of value types, in the two forms Nix uses: `builtins.typeOf`
 * ("int", "set", "lambda") and the phrase in messages ("an integer",
 * "a set", "the built-in function 'map'").
 */
import {
  type Value, NixFloat, NixString, NixPath, NixList, NixAttrs, Lambda, PrimOp, PrimOpApp, isForeign,
} from './index.js';

export type TypeName = 'null' | 'bool' | 'int' | 'float' | 'string' | 'path' | 'list' | 'set' | 'lambda';

/** `builtins.typeOf`. Foreign values report what they stand for only once resolved; here "set". */
export function typeOf(v: Value): TypeName {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean': return 'bool';
    case 'number': case 'bigint': return 'int';
    case 'string': return 'string';
  }
  if (v instanceof NixString) return 'string';
  if (v instanceof NixAttrs) return 'set';
  if (v instanceof NixList) return 'list';
  if (v instanceof NixFloat) return 'float';
  if (v instanceof NixPath) return 'path';
  if (v instanceof Lambda || v instanceof PrimOp || v instanceof PrimOpApp) return 'lambda';
  if (isForeign(v)) {
    // A foreign derivation materializes as itself (it stays foreign): a set.
    const m = v.materialize?.(undefined);
    return m === undefined || m === v ? 'set' : typeOf(m);
  }
  throw new Error(`typeOf: not a Nix value: ${String(v)}`);
}

/** The phrase Nix's messages use for a value's type ("expected a set but found an integer"). */
export function showType(v: Value): string {
  if (v instanceof NixString) return v.context.size ? 'a string with context' : 'a string';
  if (v instanceof PrimOp) return `the built-in function '${v.name}'`;
  if (v instanceof PrimOpApp) return `the partially applied built-in function '${v.op.name}'`;
  if (typeof v === 'object' && v !== null && isForeign(v)) return 'a set';
  return showTypeName(typeOf(v));
}

/** The phrase for a type name, as in "expected a set". */
export function showTypeName(t: TypeName): string {
  switch (t) {
    case 'null': return 'null';
    case 'bool': return 'a Boolean';
    case 'int': return 'an integer';
    case 'float': return 'a float';
    case 'string': return 'a string';
    case 'path': return 'a path';
    case 'list': return 'a list';
    case 'set': return 'a set';
    case 'lambda': return 'a function';
  }
}
