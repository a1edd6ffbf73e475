/**
 * Arithmetic and comparison builtins: add, sub, mul, div, bitAnd, bitOr,
 * bitXor, lessThan, ceil, floor.
 *
 * Ints are exact 64-bit (value/int.ts does the overflow checks); an operation
 * with a float operand is done in floats, as the `+ - * /` operators do.
 */
import { NixError } from '../errors.js';
import type { Span } from '../span.js';
import { NixFloat, type Lazy, type Value } from '../value/index.js';
import { force, forceFloat, forceInt } from '../value/force.js';
import { addInt, divInt, mulInt, normInt, subInt, type NixInt } from '../value/int.js';
import { lessThan } from '../value/compare.js';
import { defineBuiltin } from './registry.js';
import { argCtx } from './argContext.js';

type IntOp = (a: NixInt, b: NixInt, span?: Span) => NixInt;

function arith(name: string, doc: string, opName: string, intOp: IntOp, floatOp: (a: number, b: number) => number) {
  const first = `while evaluating the first argument of the ${opName}`;
  const second = `while evaluating the second argument of the ${opName}`;
  defineBuiltin({
    name,
    arity: 2,
    doc,
    fn: ([a, b], span): Value => {
      const x = force(a);
      const y = force(b);
      if (x instanceof NixFloat || y instanceof NixFloat) {
        return new NixFloat(floatOp(forceFloat(x, span, first), forceFloat(y, span, second)));
      }
      return intOp(forceInt(x, span, first), forceInt(y, span, second), span);
    },
  });
}

arith('add', 'The sum of two numbers.', 'addition', addInt, (a, b) => a + b);
arith('sub', 'The difference of two numbers.', 'subtraction', subInt, (a, b) => a - b);
arith('mul', 'The product of two numbers.', 'multiplication', mulInt, (a, b) => a * b);

defineBuiltin({
  name: 'div',
  arity: 2,
  doc: 'The quotient of two numbers (ints truncate toward zero).',
  fn: ([a, b], span): Value => {
    const x = force(a);
    const y = force(b);
    const d = forceFloat(y, span, 'while evaluating the second operand of the division');
    if (d === 0) throw new NixError('eval', 'division by zero', span);
    if (x instanceof NixFloat || y instanceof NixFloat) {
      return new NixFloat(forceFloat(x, span, 'while evaluating the first operand of the division') / d);
    }
    return divInt(
      forceInt(x, span, 'while evaluating the first operand of the division'),
      forceInt(y, span, 'while evaluating the second operand of the division'), span);
  },
});

function bitwise(name: string, doc: string, op: (a: bigint, b: bigint) => bigint) {
  defineBuiltin({
    name,
    arity: 2,
    doc,
    fn: ([a, b], span) => normInt(op(BigInt(forceInt(a, span, argCtx(name, 0))), BigInt(forceInt(b, span, argCtx(name, 1))))),
  });
}
bitwise('bitAnd', 'The bitwise AND of two integers.', (a, b) => a & b);
bitwise('bitOr', 'The bitwise OR of two integers.', (a, b) => a | b);
bitwise('bitXor', 'The bitwise XOR of two integers.', (a, b) => a ^ b);

defineBuiltin({
  name: 'lessThan',
  arity: 2,
  doc: 'Whether the first value is less than the second (`a < b`).',
  fn2: (a, b, span) => lessThan(a, b, span),
});

const INT_MIN = -(2 ** 63);

function rounding(name: 'ceil' | 'floor', round: (x: number) => number) {
  defineBuiltin({
    name,
    arity: 1,
    doc: name === 'ceil' ? 'The smallest integer not below a number.' : 'The largest integer not above a number.',
    fn: ([a], span): Value => {
      const x = force(a as Lazy);
      if (typeof x === 'number' || typeof x === 'bigint') {
        // Ints come back unchanged, where a float round trip would lose them.
        const r = round(Number(x));
        if (r >= INT_MIN && r < -INT_MIN && BigInt(r) === BigInt(x)) return x;
        if (r >= INT_MIN && r < -INT_MIN) {
          throw new NixError('eval', `Due to a bug (see https://github.com/NixOS/nix/issues/12899) a loss of precision occurred in previous Nix versions because the NixInt argument ${x} was rounded to ${BigInt(r)}.\n\tFuture Nix versions might implement the correct behavior.`, span);
        }
        throw new NixError('eval', `Due to a bug (see https://github.com/NixOS/nix/issues/12899) the NixInt argument ${x} caused undefined behavior in previous Nix versions.\n\tFuture Nix versions might implement the correct behavior.`, span);
      }
      const v = forceFloat(x, span, `while evaluating the first argument passed to builtins.${name}`);
      const r = round(v);
      if (!(r >= INT_MIN && r < -INT_MIN)) {
        throw new NixError('eval', `NixFloat argument ${v} is not in the range of NixInt`, span);
      }
      return normInt(BigInt(r));
    },
  });
}
rounding('ceil', Math.ceil);
rounding('floor', Math.floor);
