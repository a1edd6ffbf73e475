/**
 * Type predicates: typeOf, isNull, isFunction, isInt, isFloat, isString,
 * isBool, isPath, isAttrs, isList. They force their argument (to weak head
 * normal form only) and never fail.
 */
import { force } from '../value/force.js';
import {
  type Value, NixFloat, NixString, NixPath, NixList, NixAttrs, Lambda, PrimOp, PrimOpApp, isForeign,
} from '../value/index.js';
import { typeOf, type TypeName } from '../value/types.js';
import { defineBuiltin } from './registry.js';

defineBuiltin({
  name: 'typeOf',
  arity: 1,
  doc: 'The type of a value as a string: "int", "bool", "string", "path", "null", "set", "list", "lambda" or "float".',
  fn1: (v) => typeOf(force(v)),
});

/** Each predicate's type, and a quick test of it (a foreign value is asked for its type: it may be a set or stand for other data). */
const PREDICATES: ReadonlyArray<readonly [string, TypeName, (x: Value) => boolean, boolean?]> = [
  ['isNull', 'null', (x) => x === null, true],
  ['isFunction', 'lambda', (x) => x instanceof Lambda || x instanceof PrimOp || x instanceof PrimOpApp],
  ['isInt', 'int', (x) => typeof x === 'number' || typeof x === 'bigint'],
  ['isFloat', 'float', (x) => x instanceof NixFloat],
  ['isString', 'string', (x) => typeof x === 'string' || x instanceof NixString],
  ['isBool', 'bool', (x) => typeof x === 'boolean'],
  ['isPath', 'path', (x) => x instanceof NixPath],
  ['isAttrs', 'set', (x) => x instanceof NixAttrs],
  ['isList', 'list', (x) => x instanceof NixList],
];

for (const [name, type, quick, global] of PREDICATES) {
  defineBuiltin({
    name,
    arity: 1,
    global,
    doc: `Whether a value is ${type === 'lambda' ? 'a function' : `of type ${type}`}.`,
    fn1: (v) => {
      const x = force(v);
      return quick(x) || (isForeign(x) && typeOf(x) === type);
    },
  });
}
