/**
 * Attribute sets, `let`, selection and `?`.
 *
 * A set's static names are known at compile time, so `rec { ... }` and `let`
 * become one environment level whose slots are the attribute values; the set
 * itself is built from those same slots, so `rec { a = 1; b = a; }.b` and the
 * set share thunks. Plain `inherit x;` looks outside the set (even for rec and
 * let); `inherit (e) x;` evaluates `e` once per set, shared by its names, in
 * the set's own scope for rec/let and outside for plain sets. Dynamic names
 * are evaluated when the set is, after the static ones.
 */
import { NixError } from '../errors.js';
import { formatPos, type Span } from '../span.js';
import type * as ast from '../syntax/ast.js';
import { type Lazy, type Value, Thunk, NixAttrs, isForeign } from '../value/index.js';
import { force, forceThunk, forceStringNoContext, typeError } from '../value/force.js';
import { missingAttr } from '../value/attrs.js';
import { Scope } from '../compile/scope.js';
import { type Env, newEnv } from './env.js';
import type { Code } from './code.js';
import { compile, compileLazy, compileDeferred, type CompileCtx } from './compile.js';
import { definitionPositions } from './constants.js';
import { attrShape } from './shapes.js';

/** Produces one attribute's slot content, given the environment and the shared `inherit (e)` sources. */
type AttrCode = (env: Env, outer: Env, froms: Lazy[]) => Lazy;

interface Bindings {
  readonly names: readonly string[];
  readonly values: readonly AttrCode[];
  readonly froms: readonly Code[];
}

/**
 * Compiles static bindings. `valueScope` is where plain values and `inherit (e)`
 * sources are resolved, `outerScope` where plain `inherit x` is resolved.
 */
function compileBindings(
  attrs: ReadonlyMap<string, ast.AttrDef>, inheritFrom: ReadonlyArray<ast.Expr>,
  valueScope: Scope | undefined, outerScope: Scope | undefined, cx: CompileCtx,
): Bindings {
  const recursive = valueScope !== outerScope;
  const names: string[] = [];
  const values: AttrCode[] = [];
  for (const [name, def] of attrs) {
    names.push(name);
    switch (def.kind) {
      case 'plain': {
        if (def.value.kind === 'lambda' && def.value.name === undefined) def.value.name = name;
        const c = recursive ? compileDeferred(def.value, valueScope, cx) : compileLazy(def.value, valueScope, cx);
        values.push(c);
        break;
      }
      case 'inherit': {
        const c = compileLazy(def.value, outerScope, cx);
        values.push((_env, outer) => c(outer));
        break;
      }
      case 'inheritFrom': {
        const from = def.from;
        const span = def.nameSpan;
        const code = (froms: readonly Lazy[]) => selectOne(froms[from], name, span);
        values.push((_env, _outer, froms) => Thunk.of(code, froms));
        break;
      }
    }
  }
  const froms = inheritFrom.map((x) => compile(x, valueScope, cx));
  return { names, values, froms };
}

function makeFroms(b: Bindings, env: Env): Lazy[] {
  return b.froms.map((c) => Thunk.of(c, env));
}

function selectOne(from: Lazy, name: string, span: Span): Value {
  const set = force(from);
  if (set instanceof NixAttrs) {
    const v = set.get(name);
    if (v === undefined) throw missingAttr(name, set, span);
    return force(v);
  }
  if (isForeign(set)) {
    const v = set.select(name, span);
    if (v === undefined) throw new NixError('eval', `attribute '${name}' missing`, span);
    return force(v);
  }
  throw typeError('a set', set, span, 'while selecting an attribute');
}

interface DynamicCode { readonly name: Code; readonly value: (env: Env) => Lazy; readonly span: Span }

function compileDynamic(dyn: ReadonlyArray<ast.DynamicAttr>, scope: Scope | undefined, cx: CompileCtx): DynamicCode[] {
  return dyn.map((d) => {
    if (d.value.kind === 'lambda' && d.value.name === undefined && d.name.kind === 'string'
      && d.name.parts.length === 1 && typeof d.name.parts[0] === 'string') d.value.name = d.name.parts[0];
    return { name: compile(d.name, scope, cx), value: compileLazy(d.value, scope, cx), span: d.span };
  });
}

function addDynamic(
  map: Map<string, Lazy>, positions: Map<string, Span>, dyn: readonly DynamicCode[], env: Env,
): void {
  for (const d of dyn) {
    const n = d.name(env);
    if (n === null) continue;
    const name = forceStringNoContext(n, d.span, 'while evaluating the name of a dynamic attribute');
    if (map.has(name)) {
      const prev = positions.get(name);
      throw new NixError('eval',
        `dynamic attribute '${name}' already defined at ${prev ? formatPos(prev) : '«unknown»'}`, d.span);
    }
    map.set(name, d.value(env));
    positions.set(name, d.span);
  }
}

export function compileAttrs(e: ast.Attrs, scope: Scope | undefined, cx: CompileCtx): Code {
  const positions = definitionPositions(e.attrs);
  if (!e.rec) {
    const b = compileBindings(e.attrs, e.inheritFrom, scope, scope, cx);
    const dyn = compileDynamic(e.dynamic, scope, cx);
    const { names, values } = b;
    const n = names.length;
    const shape = attrShape(names);
    return (env) => {
      const froms = b.froms.length ? makeFroms(b, env) : NO_FROMS;
      const vals = new Array<Lazy>(n);
      for (let i = 0; i < n; i++) vals[i] = values[i](env, env, froms);
      if (dyn.length === 0) return NixAttrs.shaped(shape, vals, positions);
      const map = new Map<string, Lazy>();
      for (let i = 0; i < n; i++) map.set(names[i], vals[i]);
      const pos = new Map(positions());
      addDynamic(map, pos, dyn, env);
      return new NixAttrs(map, pos);
    };
  }
  const slots = new Map<string, number>();
  for (const name of e.attrs.keys()) slots.set(name, slots.size);
  const inner = new Scope(scope, slots);
  const b = compileBindings(e.attrs, e.inheritFrom, inner, scope, cx);
  const dyn = compileDynamic(e.dynamic, inner, cx);
  const { names, values } = b;
  const n = names.length;
  const overrides = slots.get('__overrides');
  const shape = attrShape(names);
  if (n !== inner.size) throw new Error(`rec set of ${n} bindings in a scope of ${inner.size} slots`);
  return (env) => {
    // The recursive scope's level: its slots are the attribute values.
    const vals = newEnv(env, n);
    const froms = b.froms.length ? makeFroms(b, vals) : NO_FROMS;
    for (let i = 0; i < n; i++) vals[i] = values[i](vals, env, froms);
    // The set shares the scope's slots (they are complete and never change after this).
    if (dyn.length === 0 && overrides === undefined) return NixAttrs.shaped(shape, vals, positions);
    const map = new Map<string, Lazy>();
    for (let i = 0; i < n; i++) map.set(names[i], vals[i]);
    if (overrides !== undefined) applyOverrides(map, vals, slots, vals[overrides], e.span);
    if (dyn.length === 0) return new NixAttrs(map, positions);
    const pos = new Map(positions());
    addDynamic(map, pos, dyn, vals);
    return new NixAttrs(map, pos);
  };
}

const NO_FROMS: Lazy[] = [];

/**
 * The legacy `__overrides` of rec sets: its attributes replace the set's
 * (in the set and in the recursive scope, so other attributes see them) or
 * are added to it.
 */
function applyOverrides(
  map: Map<string, Lazy>, vals: Lazy[], slots: ReadonlyMap<string, number>, overrides: Lazy, span: Span,
): void {
  const set = force(overrides);
  if (!(set instanceof NixAttrs)) throw typeError('a set', set, span, 'while evaluating the `__overrides` attribute');
  for (const [name, v] of set.map) {
    const slot = slots.get(name);
    if (slot !== undefined) vals[slot] = v;
    map.set(name, v);
  }
}

export function compileLet(e: ast.Let, scope: Scope | undefined, cx: CompileCtx): Code {
  const slots = new Map<string, number>();
  for (const name of e.attrs.keys()) slots.set(name, slots.size);
  const inner = new Scope(scope, slots);
  const b = compileBindings(e.attrs, e.inheritFrom, inner, scope, cx);
  const body = compile(e.body, inner, cx);
  const { values } = b;
  const n = values.length;
  if (n !== inner.size) throw new Error(`let of ${n} bindings in a scope of ${inner.size} slots`);
  return (env) => {
    const letEnv = newEnv(env, n);
    const froms = b.froms.length ? makeFroms(b, letEnv) : NO_FROMS;
    for (let i = 0; i < n; i++) letEnv[i] = values[i](letEnv, env, froms);
    return body(letEnv);
  };
}

/** An attribute path element: a static name or code producing the name. */
type NameCode = string | Code;

function compileNames(path: ReadonlyArray<ast.AttrName>, scope: Scope | undefined, cx: CompileCtx): NameCode[] {
  return path.map((p) => (p.kind === 'static' ? p.name : compile(p.expr, scope, cx)));
}

function nameOf(n: NameCode, env: Env, span: Span): string {
  return typeof n === 'string' ? n : forceStringNoContext(n(env), span, 'while evaluating an attribute name');
}

function showPath(names: readonly NameCode[], env: Env, span: Span): string {
  return names.map((n) => {
    if (typeof n === 'string') return n;
    try { return nameOf(n, env, span); } catch { return '"${...}"'; }
  }).join('.');
}

export function compileSelect(e: ast.Select, scope: Scope | undefined, cx: CompileCtx): Code {
  const base = compile(e.expr, scope, cx);
  const names = compileNames(e.path, scope, cx);
  const fallback = e.fallback ? compile(e.fallback, scope, cx) : undefined;
  const span = e.span;
  if (names.length === 1) {
    // The common `x.name`, `x.${name}`, `x.name or d`: one name, from a set.
    const n0 = names[0];
    return (env) => {
      const v = base(env);
      if (!(v instanceof NixAttrs)) return selectSlow(v, names, fallback, env, span);
      const name = typeof n0 === 'string' ? n0 : nameOf(n0, env, span);
      const x = v.get(name);
      if (x === undefined) {
        if (fallback !== undefined) return fallback(env);
        throw missingAttr(name, v, span);
      }
      if (!(x instanceof Thunk)) return x;
      if (x.value !== undefined) return x.value;
      return forceSelected(x, name, span);
    };
  }
  return (env) => selectSlow(base(env), names, fallback, env, span);
}

function forceSelected(x: Thunk, path: string, span: Span): Value {
  try {
    return forceThunk(x);
  } catch (err) {
    if (err instanceof NixError) err.at(span).addTrace(`while evaluating the attribute '${path}'`, span);
    throw err;
  }
}

/** `forceSelected` for a path with dynamic names: the path's text is only computed for an error. */
function forceSelectedPath(x: Thunk, names: readonly NameCode[], env: Env, span: Span): Value {
  try {
    return forceThunk(x);
  } catch (err) {
    if (err instanceof NixError) err.at(span).addTrace(`while evaluating the attribute '${showPath(names, env, span)}'`, span);
    throw err;
  }
}

function selectSlow(v: Value, names: readonly NameCode[], fallback: Code | undefined, env: Env, span: Span): Value {
  for (let i = 0; i < names.length; i++) {
    const name = nameOf(names[i], env, span);
    let x: Lazy | undefined;
    if (v instanceof NixAttrs) {
      x = v.get(name);
      if (x === undefined) {
        if (fallback) return fallback(env);
        throw missingAttr(name, v, span);
      }
    } else if (v !== null && typeof v === 'object' && isForeign(v)) {
      if (fallback && v.hasAttr(name) === false) return fallback(env);
      x = v.select(name, span);
      if (x === undefined) {
        if (fallback) return fallback(env);
        throw new NixError('eval', `attribute '${name}' missing`, span);
      }
    } else {
      if (fallback) return fallback(env);
      throw typeError('a set', v, span, 'while selecting an attribute');
    }
    if (x instanceof Thunk) {
      v = x.value !== undefined ? x.value : forceSelectedPath(x, names, env, span);
    } else {
      v = x;
    }
  }
  return v;
}

export function compileHasAttr(e: ast.HasAttr, scope: Scope | undefined, cx: CompileCtx): Code {
  const base = compile(e.expr, scope, cx);
  const names = compileNames(e.path, scope, cx);
  const span = e.span;
  const last = names.length - 1;
  if (last === 0) {
    // The common `x ? name`, `x ? ${name}`.
    const n0 = names[0];
    return (env) => hasName(base(env), typeof n0 === 'string' ? n0 : nameOf(n0, env, span), span);
  }
  return (env) => {
    let v: Value = base(env);
    for (let i = 0; i < last; i++) {
      const name = nameOf(names[i], env, span);
      let x: Lazy | undefined;
      if (v instanceof NixAttrs) x = v.get(name);
      else if (v !== null && typeof v === 'object' && isForeign(v) && v.hasAttr(name) !== false) x = v.select(name, span);
      if (x === undefined) return false;
      v = force(x);
    }
    return hasName(v, nameOf(names[last], env, span), span);
  };
}

/** `v ? name` for a value already forced: false when it is not a set. */
function hasName(v: Value, name: string, span: Span): boolean {
  if (v instanceof NixAttrs) return v.get(name) !== undefined;
  if (v !== null && typeof v === 'object' && isForeign(v)) {
    const known = v.hasAttr(name);
    return known !== undefined ? known : v.select(name, span) !== undefined;
  }
  return false;
}
