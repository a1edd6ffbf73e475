/**
 * The compiler: AST to closures (see code.ts), resolving every variable on the
 * way (compile/scope.ts). Compiling a file compiles all of it, so undefined
 * variables are reported before evaluation starts, as Nix does at parse time.
 *
 * `compileLazy` is where laziness costs are decided: a literal or a variable
 * needs no thunk, anything else gets one. (Functions and list literals could
 * be built at once, but Nix thunks them, which `nix-instantiate --eval`
 * without --strict shows as `<CODE>`; we print the same.)
 */
import { NixError } from '../errors.js';
import type { Span } from '../span.js';
import type * as ast from '../syntax/ast.js';
import {
  type Lazy, type Value, Thunk, NixFloat, NixList, NixAttrs, Lambda,
} from '../value/index.js';
import { forceThunk, forceBool, forceAttrsOrForeign, force } from '../value/force.js';
import { normInt } from '../value/int.js';
import { callFunction, call1, call2 } from '../value/call.js';
import { assertEqual } from '../value/compare.js';
import { Scope, resolveVar } from '../compile/scope.js';
import { type Env, outer, env1 } from './env.js';
import type { Code, LazyCode, LambdaCode } from './code.js';
import { applyLambda } from './apply.js';
import { compileAttrs, compileLet, compileSelect, compileHasAttr } from './attrs.js';
import { compileBinOp, compileNeg } from './operators.js';
import { compileString, compilePath, compileSearchPath } from './strings.js';
import { printExpr } from '../syntax/print.js';
import { positionValue } from '../builtins/attrs.js';
import { isLiteral } from '../syntax/literals.js';
import { bodyIfRead } from '../syntax/astCodec.js';
import { constantPart, constantValue } from './constants.js';

export interface CompileCtx {
  readonly globals: ReadonlyMap<string, Lazy>;
  /** Directory that relative paths with interpolation are relative to. */
  readonly baseDir: string;
  /**
   * Compile a function's body when it is first called, and an expression in
   * a thunk when the thunk is first forced (the tree is known to compile:
   * syntax/compiles.ts), not with the rest of the file.
   */
  readonly lazyBodies?: boolean;
}

export function compile(e: ast.Expr, scope: Scope | undefined, cx: CompileCtx): Code {
  switch (e.kind) {
    case 'int': { const v = normInt(e.value); return () => v; }
    case 'float': { const v = new NixFloat(e.value); return () => v; }
    case 'string': return compileString(e, scope, cx);
    case 'path': return compilePath(e, scope, cx);
    case 'searchPath': return compileSearchPath(e, scope, cx);
    case 'var': return compileVar(e, scope, cx);
    case 'select': return compileSelect(e, scope, cx);
    case 'hasAttr': return compileHasAttr(e, scope, cx);
    case 'attrs': return isLiteral(e) ? () => constantValue(e) : compileAttrs(e, scope, cx);
    case 'let': return compileLet(e, scope, cx);
    case 'list': return isLiteral(e) ? () => constantValue(e) : compileList(e, scope, cx);
    case 'lambda': return compileLambda(e, scope, cx);
    case 'call': return compileCall(e, scope, cx);
    case 'with': return compileWith(e, scope, cx);
    case 'if': return compileIf(e, scope, cx);
    case 'assert': return compileAssert(e, scope, cx);
    case 'binop': return compileBinOp(e, scope, cx);
    case 'not': return compileNot(e, scope, cx);
    case 'neg': return compileNeg(e, scope, cx);
  }
}

export function compileLazy(e: ast.Expr, scope: Scope | undefined, cx: CompileCtx): LazyCode {
  switch (e.kind) {
    case 'int': case 'float': case 'string': case 'path':
      // A literal needs no thunk.
      if (isLiteral(e)) {
        const v = constantValue(e);
        return () => v;
      }
      break;
    case 'list': case 'attrs':
      // One made of literals is built from the syntax tree when forced (constants.ts).
      if (isLiteral(e)) return () => constantPart(e);
      break;
    case 'var': return compileVarLazy(e, scope, cx);
  }
  if (cx.lazyBodies) {
    // Compiled when a thunk of it is first forced, as function bodies are:
    // much of a library file (attributes, bindings) is never evaluated.
    let code: Code | undefined;
    const compileNow: Code = (env) => {
      code ??= compile(e, scope, cx);
      return code(env);
    };
    return (env) => new Thunk(code ?? compileNow, env);
  }
  const code = compile(e, scope, cx);
  return (env) => new Thunk(code, env);
}

/**
 * Lazy code for a binding of a recursive scope (rec, let, formal defaults):
 * the scope's slots are being filled while these run, so a variable must be
 * deferred in a thunk.
 */
export function compileDeferred(e: ast.Expr, scope: Scope | undefined, cx: CompileCtx): LazyCode {
  if (e.kind === 'var') {
    const code = compile(e, scope, cx);
    return (env) => Thunk.of(code, env);
  }
  return compileLazy(e, scope, cx);
}

/** The environment of a file's top level: nothing is bound there but globals. */
export const ROOT_ENV: Env = [];

// ---- variables ----

/** Forces a slot's content; errors without a position get the variable's. */
function forceAt(v: Lazy, span: Span): Value {
  if (!(v instanceof Thunk)) return v;
  if (v.value !== undefined) return v.value;
  try {
    return forceThunk(v);
  } catch (e) {
    if (e instanceof NixError) e.at(span);
    throw e;
  }
}

function compileVar(e: ast.Var, scope: Scope | undefined, cx: CompileCtx): Code {
  if (e.name === '__curPos') {
    // A keyword in Nix: the position where it is written.
    const pos = positionValue(e.span);
    return () => pos;
  }
  const r = resolveVar(e.name, scope, cx.globals, e.span);
  e.resolved = r;
  const span = e.span;
  switch (r.kind) {
    case 'local': {
      const slot = r.slot;
      const sizes = scope!.sizesOut(r.up);
      // A variable is read more often than anything else: a value, or a thunk
      // forced already, is returned without calling forceAt (and `outer` is
      // written out: every call costs until the engine has optimised this).
      switch (r.up) {
        case 0: return (env) => {
          const v = env[slot];
          return !(v instanceof Thunk) ? v : v.value !== undefined ? v.value : forceAt(v, span);
        };
        case 1: {
          const s0 = sizes[0];
          return (env) => {
            const v = (env[s0] as unknown as Env)[slot];
            return !(v instanceof Thunk) ? v : v.value !== undefined ? v.value : forceAt(v, span);
          };
        }
        case 2: {
          const s0 = sizes[0];
          const s1 = sizes[1];
          return (env) => {
            const v = ((env[s0] as unknown as Env)[s1] as unknown as Env)[slot];
            return !(v instanceof Thunk) ? v : v.value !== undefined ? v.value : forceAt(v, span);
          };
        }
        default: return (env) => {
          const v = walkOut(env, sizes)[slot];
          return !(v instanceof Thunk) ? v : v.value !== undefined ? v.value : forceAt(v, span);
        };
      }
    }
    case 'global': {
      const v = r.value;
      return () => forceAt(v, span);
    }
    case 'with': {
      const ups = r.ups;
      const sizes = scope!.sizesOut(ups[ups.length - 1]);
      const name = e.name;
      return (env) => forceAt(lookupWith(env, ups, sizes, name, span), span);
    }
  }
}

function compileVarLazy(e: ast.Var, scope: Scope | undefined, cx: CompileCtx): LazyCode {
  if (e.name === '__curPos') return compileVar(e, scope, cx);
  const r = resolveVar(e.name, scope, cx.globals, e.span);
  e.resolved = r;
  switch (r.kind) {
    case 'local': {
      const slot = r.slot;
      const sizes = scope!.sizesOut(r.up);
      switch (r.up) {
        case 0: return (env) => env[slot];
        case 1: {
          const s0 = sizes[0];
          return (env) => outer(env, s0)[slot];
        }
        default: return (env) => walkOut(env, sizes)[slot];
      }
    }
    case 'global': {
      const v = r.value;
      return () => v;
    }
    case 'with': {
      const ups = r.ups;
      const sizes = scope!.sizesOut(ups[ups.length - 1]);
      const name = e.name;
      const span = e.span;
      const code = (env: Env) => force(lookupWith(env, ups, sizes, name, span));
      return (env) => Thunk.of(code, env);
    }
  }
}

const WITH_CTX = 'while evaluating the first subexpression of a with expression';

/** The environment `sizes.length` levels out of `env` (`sizes`: the slot counts of the levels walked). */
function walkOut(env: Env, sizes: readonly number[]): Env {
  let x = env;
  for (let i = 0; i < sizes.length; i++) x = outer(x, sizes[i]);
  return x;
}

function lookupWith(env: Env, ups: readonly number[], sizes: readonly number[], name: string, span: Span): Lazy {
  let cur = env;
  let at = 0;
  for (let i = 0; i < ups.length; i++) {
    for (const up = ups[i]; at < up; at++) cur = outer(cur, sizes[at]);
    const set = forceAttrsOrForeign(cur[0], span, WITH_CTX);
    if (set instanceof NixAttrs) {
      const v = set.get(name);
      if (v !== undefined) return v;
    } else if (set.hasAttr(name) !== false) {
      const v = set.select(name, span);
      if (v !== undefined) return v;
    }
  }
  throw new NixError('eval', `undefined variable '${name}'`, span);
}

// ---- the rest ----

function compileList(e: ast.List, scope: Scope | undefined, cx: CompileCtx): Code {
  const elems = e.elems.map((x) => compileLazy(x, scope, cx));
  const n = elems.length;
  if (n === 0) {
    const empty = new NixList([]);
    return () => empty;
  }
  return (env) => {
    const items = new Array<Lazy>(n);
    for (let i = 0; i < n; i++) items[i] = elems[i](env);
    return new NixList(items);
  };
}

function compileLambda(e: ast.Lambda, scope: Scope | undefined, cx: CompileCtx): Code {
  const code = compileLambdaCode(e, scope, cx);
  return (env) => new Lambda(e, env, code);
}

function compileLambdaCode(e: ast.Lambda, scope: Scope | undefined, cx: CompileCtx): LambdaCode {
  const names = new Map<string, number>();
  let n = 0;
  if (e.param !== undefined) names.set(e.param, n++);
  const firstSlot = n;
  const entries = e.formals?.entries ?? [];
  for (const f of entries) names.set(f.name, n++);
  const inner = new Scope(scope, names);
  const defaults = entries.map((f) => (f.fallback ? compileDeferred(f.fallback, inner, cx) : undefined));
  // `a: b: ...`: the inner function's code is kept, so that a call with both
  // arguments (foldl') can skip making the intermediate function. A body the
  // parse cache has not read yet is not a function (syntax/astCodec.ts), and
  // is left unread when compiled lazily.
  const bodyNow = bodyIfRead(e);
  const curried = bodyNow?.kind === 'lambda' ? compileLambdaCode(bodyNow, inner, cx) : undefined;
  const body: Code = curried ? (env) => new Lambda(bodyNow as ast.Lambda, env, curried)
    : cx.lazyBodies ? (env) => {
      // First call: read and compiled now, and kept for every later call.
      const compiled = compile(e.body, inner, cx);
      code.body = compiled;
      return compiled(env);
    }
    : compile(e.body, inner, cx);
  const sortedIndex = entries.map((_, i) => i).sort((a, b) => (entries[a].name < entries[b].name ? -1 : 1));
  const code: LambdaCode = {
    expr: e,
    outerScope: scope,
    nslots: n,
    body,
    curried,
    formals: e.formals && {
      names: entries.map((f) => f.name),
      defaults,
      sortedIndex,
      nameSet: new Set(entries.map((f) => f.name)),
      ellipsis: e.formals.ellipsis,
      firstSlot,
    },
    get displayName() { return e.name !== undefined ? `'${e.name}'` : 'anonymous lambda'; },
  };
  return code;
}

function compileCall(e: ast.Call, scope: Scope | undefined, cx: CompileCtx): Code {
  const fn = compile(e.fn, scope, cx);
  const args = e.args.map((a) => compileLazy(a, scope, cx));
  const span = e.span;
  // Making an argument's lazy value never fails, so the function may be evaluated first.
  if (args.length === 1) {
    const a0 = args[0];
    return (env) => call1(fn(env), a0(env), span);
  }
  if (args.length === 2) {
    const a0 = args[0];
    const a1 = args[1];
    return (env) => call2(fn(env), a0(env), a1(env), span);
  }
  return (env) => {
    const f = fn(env);
    const vals = new Array<Lazy>(args.length);
    for (let i = 0; i < args.length; i++) vals[i] = args[i](env);
    return callFunction(f, vals, span);
  };
}

function compileWith(e: ast.With, scope: Scope | undefined, cx: CompileCtx): Code {
  const set = compileLazy(e.env, scope, cx);
  const body = compile(e.body, Scope.withScope(scope), cx);
  return (env) => body(env1(set(env), env));
}

function compileIf(e: ast.If, scope: Scope | undefined, cx: CompileCtx): Code {
  const cond = compile(e.cond, scope, cx);
  const then = compile(e.then, scope, cx);
  const otherwise = compile(e.else, scope, cx);
  const span = e.cond.span;
  return (env) => {
    const c = cond(env);
    if (c === true) return then(env);
    if (c === false) return otherwise(env);
    return forceBool(c, span, 'while evaluating a branch condition') ? then(env) : otherwise(env);
  };
}

function compileAssert(e: ast.Assert, scope: Scope | undefined, cx: CompileCtx): Code {
  const cond = compile(e.cond, scope, cx);
  const body = compile(e.body, scope, cx);
  const span = e.span;
  // Current Nix shows the condition in its own normalised form (`(x == 1)`), as the syntax printer
  // does; printed only when the assertion fails.
  const text = (): string => printExpr(e.cond);
  const eqSides = e.cond.kind === 'binop' && e.cond.op === '=='
    ? [compile(e.cond.left, scope, cx), compile(e.cond.right, scope, cx)] as const
    : undefined;
  return (env) => {
    if (!forceBool(cond(env), e.cond.span, 'in the condition of the assert statement')) {
      if (eqSides) {
        // Current Nix explains a failed `assert a == b` by the first difference.
        try {
          assertEqual(eqSides[0](env), eqSides[1](env), e.cond.span);
        } catch (err) {
          if (err instanceof NixError) err.addTrace(`while evaluating the condition of the assertion '${text()}'`, span);
          throw err;
        }
      }
      throw new NixError('assert', `assertion '${text()}' failed`, span);
    }
    return body(env);
  };
}

function compileNot(e: ast.Not, scope: Scope | undefined, cx: CompileCtx): Code {
  const x = compile(e.expr, scope, cx);
  const span = e.span;
  return (env) => {
    const v = x(env);
    if (typeof v === 'boolean') return !v;
    return !forceBool(v, span, "in the argument of '!'");
  };
}
