/**
 * String-context builtins: getContext, hasContext, appendContext,
 * unsafeDiscardStringContext, unsafeDiscardOutputDependency,
 * addDrvOutputDependencies.
 *
 * A context records which store objects a string refers to (value/index.ts
 * gives the encoding: `/nix/store/x` a plain path, `=/nix/store/x.drv` a
 * derivation with all its outputs, `!out!/nix/store/x.drv` one output, `@id`
 * a value the bridge has not resolved yet). getContext/appendContext convert
 * between that and Nix's `{ "<path>" = { path; allOutputs; outputs; }; }` form.
 */
import { NixError } from '../errors.js';
import { NixAttrs, NixList, type Lazy } from '../value/index.js';
import { forceAttrs, forceBool, forceList, forceStringNoContext, forceStringValue } from '../value/force.js';
import { coerceToString, mkString, stringContext, stringText } from '../value/string.js';
import { defineBuiltin } from './registry.js';
import { storeDir } from './system.js';

/** `/nix/store/<32 nix32 letters>-<name>`. */
export function isStorePath(p: string): boolean {
  const dir = storeDir();
  if (!p.startsWith(dir + '/')) return false;
  return /^[0-9abcdfghijklmnpqrsvwxyz]{32}-[A-Za-z0-9+\-._?=]+$/.test(p.slice(dir.length + 1));
}

defineBuiltin({
  name: 'unsafeDiscardStringContext',
  arity: 1,
  doc: 'The same string without its context.',
  fn: ([s], span) =>
    stringText(coerceToString(s, span, { copyToStore: true }, 'while evaluating the argument passed to builtins.unsafeDiscardStringContext')),
});

defineBuiltin({
  name: 'hasContext',
  arity: 1,
  doc: 'Whether a string has a context (refers to store objects).',
  fn: ([s], span) => stringContext(forceStringValue(s, span, 'while evaluating the argument passed to builtins.hasContext')).size > 0,
});

defineBuiltin({
  name: 'unsafeDiscardOutputDependency',
  arity: 1,
  doc: 'The same string with each "derivation and all outputs" context element reduced to the derivation file itself.',
  fn: ([s], span) => {
    const v = coerceToString(s, span, { copyToStore: true }, 'while evaluating the argument passed to builtins.unsafeDiscardOutputDependency');
    const ctx = new Set<string>();
    for (const c of stringContext(v)) ctx.add(c.startsWith('=') ? c.slice(1) : c);
    return mkString(stringText(v), ctx);
  },
});

defineBuiltin({
  name: 'addDrvOutputDependencies',
  arity: 1,
  doc: 'The same string with its single derivation-file context element widened to the derivation and all its outputs.',
  fn: ([s], span) => {
    const v = coerceToString(s, span, { copyToStore: true }, 'while evaluating the argument passed to builtins.addDrvOutputDependencies');
    const ctx = [...stringContext(v)];
    if (ctx.length !== 1) {
      throw new NixError('eval', `context of string '${stringText(v)}' must have exactly one element, but has ${ctx.length}`, span);
    }
    const c = ctx[0];
    if (c.startsWith('!')) {
      const output = c.slice(1, c.indexOf('!', 1));
      throw new NixError('eval', `\`addDrvOutputDependencies\` can only act on derivations, not on a derivation output such as '${output}'`, span);
    }
    if (c.startsWith('=')) return v;
    if (!c.endsWith('.drv')) throw new NixError('eval', `path '${c}' is not a derivation`, span);
    return mkString(stringText(v), new Set(['=' + c]));
  },
});

interface ContextInfo { path: boolean; allOutputs: boolean; outputs: string[] }

defineBuiltin({
  name: 'getContext',
  arity: 1,
  doc: 'The context of a string as { "<store path>" = { path?; allOutputs?; outputs?; }; }.',
  fn: ([s], span) => {
    const v = forceStringValue(s, span, 'while evaluating the argument passed to builtins.getContext');
    const infos = new Map<string, ContextInfo>();
    const info = (p: string) => {
      let i = infos.get(p);
      if (!i) infos.set(p, (i = { path: false, allOutputs: false, outputs: [] }));
      return i;
    };
    for (const c of stringContext(v)) {
      if (c.startsWith('=')) info(c.slice(1)).allOutputs = true;
      else if (c.startsWith('!')) {
        const j = c.indexOf('!', 1);
        info(c.slice(j + 1)).outputs.push(c.slice(1, j));
      } else if (c.startsWith('@')) {
        // A bridge value not built yet: it has no store path to report.
        continue;
      } else info(c).path = true;
    }
    const map = new Map<string, Lazy>();
    for (const [p, i] of infos) {
      const m = new Map<string, Lazy>();
      if (i.allOutputs) m.set('allOutputs', true);
      if (i.outputs.length) m.set('outputs', new NixList(i.outputs.sort()));
      if (i.path) m.set('path', true);
      map.set(p, new NixAttrs(m));
    }
    return new NixAttrs(map);
  },
});

defineBuiltin({
  name: 'appendContext',
  arity: 2,
  doc: 'A string with context elements added, given in getContext\'s form.',
  fn: ([s, c], span) => {
    const v = forceStringValue(s, span, 'while evaluating the first argument passed to builtins.appendContext');
    const add = forceAttrs(c, span, 'while evaluating the second argument passed to builtins.appendContext');
    const ctx = new Set(stringContext(v));
    for (const name of add.sortedNames()) {
      const at = add.positions?.get(name) ?? span;
      if (!isStorePath(name)) throw new NixError('eval', `context key '${name}' is not a store path`, at);
      const entry = forceAttrs(add.get(name)!, at, 'while evaluating the value of a string context');
      const pathV = entry.get('path');
      if (pathV !== undefined && forceBool(pathV, at, 'while evaluating the `path` attribute of a string context')) ctx.add(name);
      const allV = entry.get('allOutputs');
      if (allV !== undefined && forceBool(allV, at, 'while evaluating the `allOutputs` attribute of a string context')) {
        if (!name.endsWith('.drv')) {
          throw new NixError('eval', `tried to add all-outputs context of ${name}, which is not a derivation, to a string`, at);
        }
        ctx.add('=' + name);
      }
      const outsV = entry.get('outputs');
      if (outsV !== undefined) {
        const outs = forceList(outsV, at, 'while evaluating the `outputs` attribute of a string context');
        if (outs.items.length && !name.endsWith('.drv')) {
          throw new NixError('eval', `tried to add derivation output context of ${name}, which is not a derivation, to a string`, at);
        }
        for (const o of outs.items) {
          ctx.add(`!${forceStringNoContext(o, at, 'while evaluating an output name within a string context')}!${name}`);
        }
      }
    }
    return mkString(stringText(v), ctx);
  },
});
