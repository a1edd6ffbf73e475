/**
 * Evaluation control: throw, abort, tryEval, addErrorContext, seq, deepSeq,
 * trace, warn, traceVerbose, break.
 *
 * What each error kind means is the point here: `throw` and failed `assert`s
 * are the only errors `tryEval` catches; `abort`, missing attributes and type
 * errors pass through it. Traces and warnings go to stderr, as Nix prints
 * them ("trace: ...", "evaluation warning: ...").
 */
import { NixError } from '../errors.js';
import { force, forceDeep, forceString } from '../value/force.js';
import { evalSettings } from '../settings.js';
import type { Span } from '../span.js';
import { coerceToString, stringText } from '../value/string.js';
import { previewValue } from '../value/preview.js';
import { printIdentifier } from '../syntax/print.js';
import { NixAttrs, NixList, NixString, Thunk, type Lazy } from '../value/index.js';
import { defineBuiltin } from './registry.js';
import { diagnostics } from '../diagnostics.js';

/** Where traces and warnings go (src/eval/diagnostics.ts); re-exported for existing importers. */
export { diagnostics };

defineBuiltin({
  name: 'throw',
  arity: 1,
  global: true,
  doc: 'Fails with a message; tryEval catches it.',
  fn: ([msg], span) => {
    const text = stringText(coerceToString(msg, span, {}, 'while evaluating the error message passed to builtin.throw'));
    throw new NixError('throw', text, span);
  },
});

defineBuiltin({
  name: 'abort',
  arity: 1,
  global: true,
  doc: 'Aborts evaluation with a message; tryEval does not catch it.',
  fn: ([msg], span) => {
    const text = stringText(coerceToString(msg, span, {}, 'while evaluating the error message passed to builtins.abort'));
    throw new NixError('abort', `evaluation aborted with the following error message: '${text}'`, span);
  },
});

defineBuiltin({
  name: 'tryEval',
  arity: 1,
  doc: 'Evaluates a value shallowly: { success = true; value; }, or { success = false; value = false; } after a throw or failed assert.',
  fn1: (e) => {
    try {
      force(e);
      return new NixAttrs(new Map<string, Lazy>([['success', true], ['value', e]]));
    } catch (err) {
      if (err instanceof NixError && (err.kind === 'throw' || err.kind === 'assert')) {
        return new NixAttrs(new Map<string, Lazy>([['success', false], ['value', false]]));
      }
      throw err;
    }
  },
});

defineBuiltin({
  name: 'addErrorContext',
  arity: 2,
  doc: 'Evaluates the second argument; an error from it gets the first (a string) as a trace frame.',
  fn: ([ctx, e], span) => {
    try {
      return force(e);
    } catch (err) {
      if (err instanceof NixError) {
        let msg: string;
        try {
          msg = stringText(coerceToString(ctx, span, { coerceMore: false }));
        } catch {
          throw err;
        }
        err.addTrace(msg);
      }
      throw err;
    }
  },
});

defineBuiltin({
  name: 'seq',
  arity: 2,
  doc: 'Evaluates the first argument (shallowly), then returns the second.',
  fn2: (a, b) => {
    force(a);
    return force(b);
  },
});

defineBuiltin({
  name: 'deepSeq',
  arity: 2,
  doc: 'Evaluates the first argument deeply, then returns the second.',
  fn: ([a, b], span) => {
    forceDeep(a, span);
    return force(b);
  },
});

/** A traced value as Nix prints it: strings raw, other values in Nix syntax. */
function traceText(v: Lazy): string {
  const x = force(v);
  if (typeof x === 'string') return x;
  if (x instanceof NixString) return x.s;
  return printForTrace(x, new Set());
}

/**
 * Nix's value printer with its default options, as `trace` uses it: complete
 * (no elision), never forcing (unevaluated parts are «thunk», a part being
 * evaluated «potential infinite recursion»), and a set or list met a second
 * time is «repeated». Scalars print as in error messages.
 */
function printForTrace(v: Lazy, seen: Set<object>): string {
  const x = v instanceof Thunk && v.value !== undefined ? v.value : v;
  if (x instanceof NixList || x instanceof NixAttrs) {
    if (seen.has(x)) return '«repeated»';
    seen.add(x);
    if (x instanceof NixList) {
      return x.items.length === 0 ? '[ ]' : `[ ${x.items.map((i) => printForTrace(i, seen)).join(' ')} ]`;
    }
    const names = x.sortedNames();
    if (names.length === 0) return '{ }';
    return `{ ${names.map((n) => `${printIdentifier(n)} = ${printForTrace(x.get(n)!, seen)};`).join(' ')} }`;
  }
  return previewValue(x);
}

defineBuiltin({
  name: 'trace',
  arity: 2,
  doc: 'Prints the first argument to stderr ("trace: ..."), then returns the second.',
  fn: ([msg, v]) => {
    diagnostics.write(`trace: ${traceText(msg)}`);
    return force(v);
  },
});

defineBuiltin({
  name: 'traceVerbose',
  arity: 2,
  doc: 'As trace, but prints only with --trace-verbose.',
  fn: ([msg, v]) => {
    if (diagnostics.traceVerbose) diagnostics.write(`trace: ${traceText(msg)}`);
    return force(v);
  },
});

defineBuiltin({
  name: 'warn',
  arity: 2,
  doc: 'Prints a warning (a string) to stderr ("evaluation warning: ..."), then returns the second argument.',
  fn: ([msg, v], span) => {
    const text = forceString(msg, span, 'while evaluating the first argument; the message passed to builtins.warn');
    diagnostics.evaluationWarning(text, span);
    // Not a `throw`: tryEval does not catch it, as in Nix.
    if (evalSettings.abortOnWarn) throw new NixError('eval', 'aborting to reveal stack trace of warning, as abort-on-warn is set', span);
    return force(v);
  },
});

defineBuiltin({
  name: 'break',
  arity: 1,
  global: true,
  doc: 'A breakpoint for the debugger; without one, returns its argument.',
  fn: ([v]) => force(v),
});
