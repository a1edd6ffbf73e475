/**
 * Answers, during evaluation, the questions about foreign values that only
 * Nix can answer: whether an attribute exists (`pkgs ? foo`, `with pkgs;`
 * lookups) and what a value is when the evaluator needs its content (a
 * boolean for `if`, a list's length, a set's names). Each is one Nix
 * evaluation, cached; for a package set the names of all its attributes are
 * fetched at once, since `with pkgs;` asks about many.
 */
import { NixError } from '../eval/errors.js';
import type { Span } from '../eval/span.js';
import { type Lazy, type Value, NixAttrs, NixFloat, NixList, NixPath, NixString } from '../eval/value/index.js';
import { ForeignHandle, type ForeignOracle } from './foreign.js';
import { stringLiteral } from './nixLiterals.js';
import type { Resolver } from './resolve.js';
import type { NixProgram } from './writeBack.js';

interface Described {
  type: 'set' | 'list' | 'lambda' | 'string' | 'path' | 'int' | 'float' | 'bool' | 'null';
  names?: string[];
  isDerivation?: boolean;
  length?: number;
  value?: unknown;
  context?: Record<string, { path?: boolean; allOutputs?: boolean; outputs?: string[] }>;
}

const describeFn = `(v: let t = builtins.typeOf v; in
  if t == "set" then { type = t; names = builtins.attrNames v; isDerivation = (v.type or null) == "derivation"; }
  else if t == "list" then { type = t; length = builtins.length v; }
  else if t == "lambda" || t == "primop" then { type = "lambda"; }
  else if t == "string" then { type = t; value = v; context = builtins.getContext v; }
  else if t == "path" then { type = t; value = toString v; }
  else { type = t; value = v; })`;

export function createOracle(resolver: Resolver, newProgram: () => NixProgram): ForeignOracle {
  const names = new Map<ForeignHandle, Set<string>>();
  const answers = new Map<ForeignHandle, Map<string, boolean>>();
  const materialized = new Map<ForeignHandle, Value>();

  const ask = (h: ForeignHandle, body: (ref: string) => string, span?: Span): unknown => {
    const program = newProgram();
    return resolver.evaluateJSON(program, body(program.handle(h)), span ?? h.span);
  };

  return {
    hasAttr(h, name) {
      if (h.onSelect) {
        let set = names.get(h);
        if (!set) {
          set = new Set(ask(h, (r) => `builtins.attrNames ${r}`) as string[]);
          names.set(h, set);
        }
        return set.has(name);
      }
      let known = answers.get(h);
      if (!known) answers.set(h, (known = new Map()));
      let a = known.get(name);
      if (a === undefined) {
        a = ask(h, (r) => `${r} ? ${stringLiteral(name)}`) as boolean;
        known.set(name, a);
      }
      return a;
    },

    materialize(h, span) {
      const done = materialized.get(h);
      if (done !== undefined) return done;
      const d = ask(h, (r) => `${describeFn} ${r}`, span) as Described;
      const v = toNative(h, d, span);
      materialized.set(h, v);
      return v;
    },
  };
}

function toNative(h: ForeignHandle, d: Described, span: Span | undefined): Value {
  switch (d.type) {
    case 'set': {
      if (d.isDerivation) return h; // stays foreign: its string is a placeholder until a build
      const m = new Map<string, Lazy>();
      // Through select, so that a package set keeps its native `lib` and builder plugins.
      for (const n of d.names!) m.set(n, h.select(n, span) ?? h.child(n, span));
      return new NixAttrs(m);
    }
    case 'list': {
      const items: Lazy[] = [];
      for (let i = 0; i < d.length!; i++) {
        items.push(new ForeignHandle({ kind: 'call', source: 'builtins.elemAt', args: [h, i] }, span, `${h.describe()}[${i}]`));
      }
      return new NixList(items);
    }
    case 'lambda': return h;
    case 'string': {
      const context = new Set<string>();
      for (const [p, c] of Object.entries(d.context ?? {})) {
        if (c.path) context.add(p);
        if (c.allOutputs) context.add(`=${p}`);
        for (const o of c.outputs ?? []) context.add(`!${o}!${p}`);
      }
      return context.size ? new NixString(d.value as string, context) : (d.value as string);
    }
    case 'path': return new NixPath(d.value as string);
    case 'int': {
      const n = d.value as number;
      if (!Number.isSafeInteger(n)) throw new NixError('eval', `the integer ${h.describe()} is too large to read back from Nix`, span);
      return n;
    }
    case 'float': return new NixFloat(d.value as number);
    case 'bool': return d.value as boolean;
    case 'null': return null;
  }
}
