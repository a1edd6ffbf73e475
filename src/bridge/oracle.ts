/**
 * Answers, during evaluation, the questions about foreign values that only
 * Nix can answer: whether an attribute exists (`pkgs ? foo`, `x.a or d`,
 * `with pkgs;` lookups) and what a value is when the evaluator needs its
 * content (a boolean for `if`, a list's length, a set's names, a string).
 *
 * What is hard: each question is a Nix process, and ordinary code asks many
 * about the same package (`lib.getExe pkgs.hello` asks eight: `? type`,
 * `.type`, `? meta`, `meta ? mainProgram`, `meta.mainProgram`,
 * `? outputSpecified`, `? bin`, `? out`). So the first question fetches, in
 * one nix-instantiate, a summary (nix/bridge/summarize.nix) of the value asked
 * about and of every package of the set selected so far: for a derivation its
 * names, data attributes, meta and outputs. Later questions are answered from
 * the summaries; only a question they do not cover costs another process.
 * A package set's names are fetched all at once, since `with pkgs;` asks about
 * many, together with the summary of the package asked about.
 */
import { join } from 'node:path';
import { NixError } from '../eval/errors.js';
import type { Span } from '../eval/span.js';
import { type Lazy, type Value, NixAttrs, NixFloat, NixList, NixPath, NixString } from '../eval/value/index.js';
import { nixDir } from '../paths.js';
import { ForeignHandle, type ForeignOracle } from './foreign.js';
import { pathLiteral, stringLiteral } from './nixLiterals.js';
import type { ContextJSON, Resolver } from './resolve.js';
import type { NixProgram } from './writeBack.js';

/** What Nix says a value is (summarize.nix's `describe`); `attrs`: the parts summarized with it, null where they threw. */
interface Summary {
  type: 'set' | 'list' | 'lambda' | 'string' | 'path' | 'int' | 'float' | 'bool' | 'null';
  names?: string[];
  isDerivation?: boolean;
  length?: number;
  items?: Summary[];
  value?: unknown;
  context?: ContextJSON;
  attrs?: Record<string, Summary | null>;
}

const describeNix = pathLiteral(join(nixDir, 'bridge', 'describe.nix'));
const summarizeNix = pathLiteral(join(nixDir, 'bridge', 'summarize.nix'));

/** How many other packages one summary batch takes along (they cost little next to a process). */
const maxPrefetch = 64;

export interface OracleOptions {
  /** The handle stands for a function a builder plugin models natively (`pkgs.writeText`): never worth summarizing. */
  isModelled?(h: ForeignHandle): boolean;
  /** A foreign function as a native function value (so `builtins.isFunction` sees one), applying the handle. */
  asFunction?(h: ForeignHandle): Value;
}

export function createOracle(resolver: Resolver, newProgram: () => NixProgram, options: OracleOptions = {}): ForeignOracle {
  const isModelled = options.isModelled ?? (() => false);
  const asFunction = options.asFunction ?? ((h: ForeignHandle) => h);
  const names = new Map<ForeignHandle, Set<string>>();
  const summaries = new Map<ForeignHandle, Summary>();
  /** Handles a batch was asked about and gave nothing for (it threw): asked alone from then on. */
  const unsummarizable = new Set<ForeignHandle>();
  /** Packages selected since the last batch: the next batch summarizes them too. */
  let packages: ForeignHandle[] = [];
  const answers = new Map<ForeignHandle, Map<string, boolean>>();
  const materialized = new Map<ForeignHandle, Value>();
  const views = new Map<ForeignHandle, NixAttrs>();

  const ask = (h: ForeignHandle, body: (ref: string) => string, span?: Span): unknown => {
    const program = newProgram();
    return resolver.evaluateJSON(program, body(program.handle(h)), span ?? h.span);
  };

  /** Summaries of `root.<name>` fetched with the root's names, before any handle for them existed. */
  const rootChildren = new Map<ForeignHandle, Map<string, Summary | null>>();

  /**
   * The summary of `h`: its own, or the one that came with the value it was
   * selected from; the one with its parts (`attrs`) when there are both.
   */
  const summaryOf = (h: ForeignHandle): Summary | undefined => {
    const own = summaries.get(h);
    if (own?.attrs) return own;
    const e = h.expr;
    if (e.kind !== 'select') return own;
    const fromBase = e.base.onSelect ? rootChildren.get(e.base)?.get(e.name) ?? undefined : partOf(summaryOf(e.base), e.name);
    return fromBase ?? own;
  };

  /**
   * One nix-instantiate summarizing `h` and the packages selected so far (a
   * failure marks them unsummarizable). With `root`: also the package set's
   * names, and the summary of `root.<name>` (`with pkgs; hello` asks
   * `pkgs ? hello` first, then about hello). Returns the names, if asked and given.
   */
  const fetchSummaries = (h: ForeignHandle | undefined, root?: { handle: ForeignHandle; name: string }): string[] | undefined => {
    const others = packages.filter((p) => p !== h && !isModelled(p) && summaryOf(p) === undefined && !unsummarizable.has(p));
    const batch = [...(h ? [h] : []), ...others].slice(0, maxPrefetch + 1);
    packages = packages.filter((p) => !batch.includes(p));
    const program = newProgram();
    const entries = batch.map((b) => `${stringLiteral(`h${b.id}`)} = ${guardedRef(program, b)};`);
    if (root) {
      const r = program.handle(root.handle);
      const n = stringLiteral(root.name);
      entries.push(`child = if ${r} ? ${n} then { value = ${r}.${n}; } else { };`);
    }
    const summarize = `import ${summarizeNix} { ${entries.join(' ')} }`;
    const body = root ? `{ summaries = ${summarize}; names = builtins.attrNames ${program.handle(root.handle)}; }` : `{ summaries = ${summarize}; }`;
    let json: { summaries: Record<string, Summary | null>; names?: string[] };
    try {
      json = resolver.evaluateJSON(program, body, h?.span ?? root?.handle.span) as typeof json;
    } catch (e) {
      if (!(e instanceof NixError)) throw e;
      // Something in the batch Nix cannot evaluate: each question is asked alone, for Nix's exact answer or error.
      for (const b of batch) unsummarizable.add(b);
      return undefined;
    }
    for (const b of batch) {
      const s = json.summaries[`h${b.id}`];
      if (s) summaries.set(b, s);
      else unsummarizable.add(b);
    }
    if (root) {
      let children = rootChildren.get(root.handle);
      if (!children) rootChildren.set(root.handle, (children = new Map()));
      children.set(root.name, json.summaries.child);
    }
    return json.names;
  };

  /** The summary of `h`, fetched if needed; undefined when only a question of its own can answer. */
  const summary = (h: ForeignHandle): Summary | undefined => {
    let s = summaryOf(h);
    if (s === undefined && !unsummarizable.has(h)) {
      fetchSummaries(h);
      s = summaryOf(h);
    }
    return s;
  };

  /** What `h` is: its summary, else Nix's description of it alone (always alone for a package set). */
  const describe = (h: ForeignHandle, span: Span | undefined): Summary =>
    (h.onSelect ? undefined : summary(h)) ?? (ask(h, (r) => `import ${describeNix} false ${r}`, span) as Summary);

  return {
    created(h) {
      if (h.isPackage()) packages.push(h);
    },

    hasAttr(h, name) {
      if (h.onSelect) {
        let set = names.get(h);
        if (!set) {
          const fetched = fetchSummaries(undefined, { handle: h, name });
          set = new Set(fetched ?? (ask(h, (r) => `builtins.attrNames ${r}`) as string[]));
          names.set(h, set);
        }
        return set.has(name);
      }
      const s = summary(h);
      if (s) return s.type === 'set' && s.names!.includes(name);
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
      const d = describe(h, span);
      const v = d.type === 'lambda' ? asFunction(h) : toNative(h, d, span, summaries);
      materialized.set(h, v);
      return v;
    },

    attrsView(h, span) {
      const done = views.get(h);
      if (done !== undefined) return done;
      const d = describe(h, span);
      if (d.type !== 'set') throw new NixError('eval', `expected a set but found ${d.type === 'lambda' ? 'a function' : `a ${d.type}`}: ${h.describe()}`, span);
      const view = setOf(h, d, span);
      views.set(h, view);
      return view;
    },

    print(handles, strict) {
      const program = newProgram();
      const refs = handles.map((h) => program.handle(h));
      // A list of them, each forced first (printed alone, each is forced), all printed in one go:
      // Nix's own «repeated» then spans them. The list's items are the bindings themselves.
      const forced = refs.reduceRight((body, r) => `builtins.seq ${r} (${body})`, `[ ${refs.join(' ')} ]`);
      const text = resolver.evaluatePrinted(program, forced, strict, handles[0]?.span);
      const items = printedListItems(text);
      if (items.length === handles.length) return items;
      // Split wrongly (a path printed with spaces or brackets in it): each printed alone.
      return handles.map((h) => {
        const one = newProgram();
        return resolver.evaluatePrinted(one, one.handle(h), strict, h.span);
      });
    },
  };
}

/** A foreign set as a native one: each attribute selects from the handle (so a package set keeps its native parts). */
function setOf(h: ForeignHandle, d: Summary, span: Span | undefined): NixAttrs {
  const m = new Map<string, Lazy>();
  for (const n of d.names!) m.set(n, h.select(n, span) ?? h.child(n, span));
  return new NixAttrs(m);
}

/** The summary of attribute `name` that came with a set's summary, if it came. */
function partOf(s: Summary | undefined, name: string): Summary | undefined {
  if (!s?.attrs || !Object.hasOwn(s.attrs, name)) return undefined;
  return s.attrs[name] ?? undefined;
}

/**
 * `h` written for the batch as summarize.nix takes it: `{ value = h; }`, or
 * `{ }` when the last attribute selected is missing (a package selected but
 * never used must not fail the batch).
 */
function guardedRef(program: NixProgram, h: ForeignHandle): string {
  const ref = `{ value = ${program.handle(h)}; }`;
  const e = h.expr;
  if (e.kind !== 'select') return ref;
  return `(if ${program.handle(e.base)} ? ${stringLiteral(e.name)} then ${ref} else { })`;
}

function toNative(h: ForeignHandle, d: Summary, span: Span | undefined, summaries: Map<ForeignHandle, Summary>): Value {
  switch (d.type) {
    case 'set': {
      if (d.isDerivation) return h; // stays foreign: its string is a placeholder until a build
      return setOf(h, d, span);
    }
    case 'list': {
      const items: Lazy[] = [];
      for (let i = 0; i < d.length!; i++) {
        const item = d.items?.[i];
        const e = new ForeignHandle({ kind: 'call', source: 'builtins.elemAt', args: [h, i] }, span, `${h.describe()}[${i}]`);
        // A known scalar item is native data; a set stays a handle whose summary is known.
        if (item && item.type !== 'set' && item.type !== 'lambda') items.push(toNative(e, item, span, summaries));
        else {
          if (item) summaries.set(e, item);
          items.push(e);
        }
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

/**
 * The items of a list as Nix prints it (`[ a { b = 1; } "c d" ]`): split at
 * the spaces outside brackets and strings. A path is printed as it is, so
 * one with a space or a bracket in it can mislead this (the caller checks
 * the number of items).
 */
function printedListItems(text: string): string[] {
  if (!text.startsWith('[ ') || !text.endsWith(']')) return [];
  const items: string[] = [];
  let depth = 0;
  let start = 2;
  for (let i = 2; i < text.length - 1; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === ' ' && depth === 0) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  return items;
}
