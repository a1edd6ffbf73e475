/**
 * String literals with interpolation, path literals (with interpolation they
 * are built at run time with Nix's path-concatenation rules), and `<name>`
 * search-path lookups.
 */
import type { Span } from '../span.js';
import type * as ast from '../syntax/ast.js';
import { type Value, NixPath } from '../value/index.js';
import { StringBuilder, coerceInto, type CoerceOptions } from '../value/string.js';
import { type Scope, resolveVar } from '../compile/scope.js';
import type { Code } from './code.js';
import { compile, type CompileCtx } from './compile.js';
import { concat } from './operators.js';
import { currentState } from './state.js';

const SEGMENT_CTX = 'while evaluating a path segment';
const INTERPOLATION: CoerceOptions = { copyToStore: true };

export function compileString(e: ast.Str, scope: Scope | undefined, cx: CompileCtx): Code {
  const parts = e.parts.map((p) => (typeof p === 'string' ? p : { code: compile(p, scope, cx), span: p.span }));
  if (parts.every((p) => typeof p === 'string')) {
    const s = (parts as string[]).join('');
    return () => s;
  }
  return (env) => {
    const b = new StringBuilder();
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (typeof p === 'string') b.append(p);
      else coerceInto(b, p.code(env), p.span, INTERPOLATION, SEGMENT_CTX);
    }
    return b.toValue();
  };
}

export function compilePath(e: ast.Path, scope: Scope | undefined, cx: CompileCtx): Code {
  if (e.parts.length === 1 && typeof e.parts[0] === 'string') {
    const v = new NixPath(e.parts[0]);
    return () => v;
  }
  const prefix = typeof e.parts[0] === 'string' ? e.parts[0] : '';
  const rest = typeof e.parts[0] === 'string' ? e.parts.slice(1) : e.parts;
  // The parser has already made the first part absolute (keeping a trailing slash).
  const start = new NixPath(prefix);
  const parts = rest.map((p) => (typeof p === 'string' ? p : { code: compile(p, scope, cx), span: p.span }));
  const spans: Span[] = [e.span, ...rest.map((p) => (typeof p === 'string' ? e.span : p.span))];
  return (env) => {
    const vals: Value[] = [start];
    for (const p of parts) vals.push(typeof p === 'string' ? p : p.code(env));
    return concat(vals, false, spans, e.span);
  };
}

/**
 * `<p>` is Nix's `__findFile __nixPath "p"`: when neither name is rebound in
 * scope (the usual case), the evaluator's own search path answers directly.
 */
export function compileSearchPath(e: ast.SearchPath, scope: Scope | undefined, cx: CompileCtx): Code {
  const span = e.span;
  const rebound = (name: string) => {
    try {
      return resolveVar(name, scope, cx.globals, span).kind !== 'global';
    } catch {
      return true;
    }
  };
  if (rebound('__findFile') || rebound('__nixPath')) {
    const call: ast.Call = {
      kind: 'call', span,
      fn: { kind: 'var', name: '__findFile', span },
      args: [{ kind: 'var', name: '__nixPath', span }, { kind: 'string', parts: [e.path], form: 'double', span }],
    };
    return compile(call, scope, cx);
  }
  return () => new NixPath(currentState().findFile(e.path, span));
}
