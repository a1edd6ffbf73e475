/**
 * Type predicates: typeOf, isNull, isFunction, isInt, isFloat, isString,
 * isBool, isPath, isAttrs, isList. They force their argument (to weak head
 * normal form only) and never fail.
 */
import { force } from '../value/force.js';
import { typeOf, type TypeName } from '../value/types.js';
import { defineBuiltin } from './registry.js';

defineBuiltin({
  name: 'typeOf',
  arity: 1,
  doc: 'The type of a value as a string: "int", "bool", "string", "path", "null", "set", "list", "lambda" or "float".',
  fn: ([v]) => typeOf(force(v)),
});

const PREDICATES: ReadonlyArray<readonly [string, TypeName, boolean?]> = [
  ['isNull', 'null', true],
  ['isFunction', 'lambda'],
  ['isInt', 'int'],
  ['isFloat', 'float'],
  ['isString', 'string'],
  ['isBool', 'bool'],
  ['isPath', 'path'],
  ['isAttrs', 'set'],
  ['isList', 'list'],
];

for (const [name, type, global] of PREDICATES) {
  defineBuiltin({
    name,
    arity: 1,
    global,
    doc: `Whether a value is ${type === 'lambda' ? 'a function' : `of type ${type}`}.`,
    fn: ([v]) => typeOf(force(v)) === type,
  });
}
