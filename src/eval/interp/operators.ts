/**
 * Binary and unary operators with Nix's typing. `+` is Nix's ExprConcatStrings
 * of two operands: the first operand's type decides (ints and floats add,
 * a path stays a path, anything else is string concatenation with contexts).
 * `-`, `*`, `/` and `<` behave as the primops Nix's parser rewrites them to
 * (`__sub`, `__mul`, `__div`, `__lessThan`), including their messages; the
 * primops themselves (builtins/core.ts) share this code.
 */
import { NixError } from '../errors.js';
import type { Span } from '../span.js';
import type * as ast from '../syntax/ast.js';
import { type Lazy, type Value, NixFloat, NixList, NixAttrs, NixPath } from '../value/index.js';
import { forceInt, forceFloat, forceList, forceAttrs, forceBool } from '../value/force.js';
import { addInt, subInt, mulInt, divInt } from '../value/int.js';
import { valuesEqual, lessThan } from '../value/compare.js';
import { showType } from '../value/types.js';
import { StringBuilder, coerceInto } from '../value/string.js';
import type { Scope } from '../compile/scope.js';
import type { Code } from './code.js';
import { compile, type CompileCtx } from './compile.js';
import { canonicalPath } from '../syntax/pathLiterals.js';

export function compileBinOp(e: ast.BinOp, scope: Scope | undefined, cx: CompileCtx): Code {
  const l = compile(e.left, scope, cx);
  const r = compile(e.right, scope, cx);
  const span = e.span;
  switch (e.op) {
    case '+': return (env) => {
      const a = l(env);
      const b = r(env);
      if (typeof a === 'number' && typeof b === 'number') {
        const s = a + b;
        if (Number.isSafeInteger(s)) return s;
      }
      return concat([a, b], false, [e.left.span, e.right.span], span);
    };
    case '-': return (env) => {
      const a = l(env);
      const b = r(env);
      if (typeof a === 'number' && typeof b === 'number') {
        const s = a - b;
        if (Number.isSafeInteger(s)) return s;
      }
      return arith('-', a, b, span);
    };
    case '*': return (env) => {
      const a = l(env);
      const b = r(env);
      if (typeof a === 'number' && typeof b === 'number') {
        const s = a * b;
        if (Number.isSafeInteger(s)) return s + 0; // never -0
      }
      return arith('*', a, b, span);
    };
    case '/': return (env) => {
      const a = l(env);
      const b = r(env);
      // Below 2^31 the float quotient truncates to the exact integer quotient.
      if (typeof a === 'number' && typeof b === 'number' && b !== 0 && a < 2147483648 && a > -2147483648) {
        return Math.trunc(a / b) + 0;
      }
      return arith('/', a, b, span);
    };
    // Ints (JS numbers: floats are boxed) and strings without context compare by ===.
    case '==': return (env) => {
      const a = l(env);
      const b = r(env);
      if ((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string')) return a === b;
      return valuesEqual(a, b, span);
    };
    case '!=': return (env) => {
      const a = l(env);
      const b = r(env);
      if ((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string')) return a !== b;
      return !valuesEqual(a, b, span);
    };
    case '<': return (env) => {
      const a = l(env);
      const b = r(env);
      if (typeof a === 'number' && typeof b === 'number') return a < b;
      return lessThan(a, b, span);
    };
    case '>': return (env) => { const a = l(env); return lessThan(r(env), a, span); };
    case '<=': return (env) => { const a = l(env); return !lessThan(r(env), a, span); };
    case '>=': return (env) => !lessThan(l(env), r(env), span);
    case '&&': return (env) => bool(l(env), e.left.span, "in the left operand of '&&'")
      && bool(r(env), e.right.span, "in the right operand of '&&'");
    case '||': return (env) => bool(l(env), e.left.span, "in the left operand of '||'")
      || bool(r(env), e.right.span, "in the right operand of '||'");
    case '->': return (env) => !bool(l(env), e.left.span, "in the left operand of '->'")
      || bool(r(env), e.right.span, "in the right operand of '->'");
    case '++': return (env) => {
      const a = forceList(l(env), e.left.span, "in the left operand of '++'");
      const b = forceList(r(env), e.right.span, "in the right operand of '++'");
      if (b.items.length === 0) return a;
      if (a.items.length === 0) return b;
      return new NixList(a.items.concat(b.items));
    };
    case '//': return (env) => {
      const b = forceAttrs(r(env), e.right.span, "in the right operand of '//'");
      const a = forceAttrs(l(env), e.left.span, "in the left operand of '//'");
      return update(a, b);
    };
  }
}

const enum Layers {
  /** A small right side (at most 1/8 of the left) is layered, not copied. */
  SmallRatio = 8,
  /** Deeper layering would make lookups slow; the next `//` copies (flattens). */
  MaxDepth = 32,
}

/** `a // b`. */
export function update(a: NixAttrs, b: NixAttrs): NixAttrs {
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  const positions = () => {
    const pa = a.positions;
    const pb = b.positions;
    if (!pa) return pb;
    if (!pb) return pa;
    const merged = new Map(pa);
    pb.forEach((v, k) => merged.set(k, v));
    return merged;
  };
  if (b.size * Layers.SmallRatio <= a.size && a.depth < Layers.MaxDepth) {
    const top = b.map;
    let added = 0;
    for (const k of top.keys()) if (!a.has(k)) added++;
    return NixAttrs.layer(a, top, a.size + added, positions);
  }
  const map = a.toMap();
  b.addTo(map);
  return new NixAttrs(map, positions);
}

function bool(v: Value, span: Span, ctx: string): boolean {
  if (typeof v === 'boolean') return v;
  return forceBool(v, span, ctx); // a foreign value's content, or the type error
}

export function compileNeg(e: ast.Neg, scope: Scope | undefined, cx: CompileCtx): Code {
  const x = compile(e.expr, scope, cx);
  const span = e.span;
  return (env) => arith('-', 0, x(env), span);
}

/** The trace frames of each operator's operands (made once: arithmetic is a hot path). */
const operandCtx = (what: string): readonly [string, string] =>
  [`while evaluating the first argument of the ${what}`, `while evaluating the second argument of the ${what}`];
const OPERAND_CTX = { '-': operandCtx('subtraction'), '*': operandCtx('multiplication'), '/': operandCtx('division') } as const;

/** `-`, `*`, `/` as Nix's __sub, __mul, __div. */
export function arith(op: '-' | '*' | '/', a: Lazy, b: Lazy, span: Span | undefined): Value {
  const ctx = OPERAND_CTX[op];
  const first = ctx[0];
  const second = ctx[1];
  const x = a instanceof NixFloat || typeof a === 'number' || typeof a === 'bigint' ? a : undefined;
  const y = b instanceof NixFloat || typeof b === 'number' || typeof b === 'bigint' ? b : undefined;
  if (x instanceof NixFloat || y instanceof NixFloat) {
    const f1 = forceFloat(a, span, first);
    const f2 = forceFloat(b, span, second);
    if (op === '-') return new NixFloat(f1 - f2);
    if (op === '*') return new NixFloat(f1 * f2);
    if (f2 === 0) throw new NixError('eval', 'division by zero', span);
    return new NixFloat(f1 / f2);
  }
  const i1 = forceInt(a, span, first);
  const i2 = forceInt(b, span, second);
  if (op === '-') return subInt(i1, i2, span);
  if (op === '*') return mulInt(i1, i2, span);
  return divInt(i1, i2, span);
}

/**
 * Nix's ExprConcatStrings: `+` (forceString false) and string interpolation
 * (forceString true: the result is a string whatever the first part is).
 */
export function concat(vals: readonly Value[], forceString: boolean, spans: readonly Span[], span: Span): Value {
  const first = forceString ? undefined : vals[0];
  if (!forceString && (typeof first === 'number' || typeof first === 'bigint' || first instanceof NixFloat)) {
    let n = first instanceof NixFloat ? undefined : first as number | bigint;
    let f = first instanceof NixFloat ? first.value : 0;
    for (let i = 1; i < vals.length; i++) {
      const v = vals[i];
      if (typeof v === 'number' || typeof v === 'bigint') {
        if (n !== undefined) n = addInt(n, v, spans[i]);
        else f += Number(v);
      } else if (v instanceof NixFloat) {
        if (n !== undefined) { f = Number(n); n = undefined; }
        f += v.value;
      } else {
        throw new NixError('eval', `cannot add ${showType(v)} to ${n !== undefined ? 'an integer' : 'a float'}`, spans[i]);
      }
    }
    return n !== undefined ? n : new NixFloat(f);
  }
  const isPath = first instanceof NixPath;
  const b = new StringBuilder();
  for (let i = 0; i < vals.length; i++) {
    if (isPath && i === 0) { b.append((first as NixPath).path); continue; }
    coerceInto(b, vals[i], spans[i], { copyToStore: !isPath }, 'while evaluating a path segment');
  }
  if (isPath) {
    if (b.context && b.context.size) {
      throw new NixError('eval', 'a string that refers to a store path cannot be appended to a path', span);
    }
    return new NixPath(canonicalPath(b.text, '/'));
  }
  return b.toValue();
}
