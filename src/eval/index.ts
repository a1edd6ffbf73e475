/**
 * The evaluator's public API, used by the CLI, the bridge and the builders:
 * create an evaluator for a search path and working directory, evaluate files
 * and expressions, force, auto-call with --arg/--argstr as nix-instantiate
 * does, select -A attribute paths, print values as `nix-instantiate --eval`
 * and as `--json`.
 *
 * Every entry point turns a JavaScript stack overflow into a NixError:
 * evaluation is recursive, and the JS stack is smaller than Nix's. Run the
 * evaluator where the stack is large (see bigStack.ts) to evaluate as deeply
 * as Nix does.
 */
import { type Stats, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { NixError } from './errors.js';
import { fileError } from './fileErrors.js';
import type { Span } from './span.js';
import { parseNix } from './syntax/parse.js';
import { decodeBytes, osPath } from './value/bytes.js';
import {
  type Lazy, type Value, Thunk, NixAttrs, NixList, Lambda, isForeign,
} from './value/index.js';
import { force, forceDeep, forceMaterialized } from './value/force.js';
import { isStackOverflow, jsStackOverflow } from './stack.js';
import { callFunction } from './value/call.js';
import { showType } from './value/types.js';
import { valueToJSON } from './value/json.js';
import { didYouMean } from './value/attrs.js';
import { allDefinitions } from './builtins/registry.js';
import './builtins/index.js';
import { type EvalState, swapCurrentState } from './interp/state.js';
import { runProgram, runScoped, checkProgram } from './interp/program.js';
import { lookupCaptured, type Captured } from './interp/captured.js';
import type { Expr } from './syntax/ast.js';
import { parseSearchPath, findInSearchPath, isUrl, COREPKGS, type SearchPathEntry } from './searchPath.js';
import { PathAccess } from './access.js';
import { evalSettings } from './settings.js';
import { storeDir } from './builtins/system.js';
import { nixDir } from '../paths.js';
import { printValueChunks } from './print.js';

export interface EvaluatorOptions {
  /** `-I` entries then NIX_PATH entries, each `name=path` or `path`. */
  readonly searchPath?: readonly string[];
  /** Relative search-path entries are resolved against it. Default: process.cwd(). */
  readonly cwd?: string;
  /** Paths pure and restricted evaluation may read besides the store (access.ts): a flake's source tree, as Nix's allowPath. */
  readonly allowedPaths?: readonly string[];
  /**
   * Parses a file that is imported (default: `parseNix`). The language server
   * passes one that keeps parsed files between its evaluators, by their text.
   */
  readonly parseFile?: (text: string, file: string) => Expr;
}

export interface Evaluator {
  /** Evaluates a file (or a directory's default.nix) to weak head normal form; cached like `import`. */
  evalFile(absPath: string): Value;
  /** Evaluates an expression; relative paths in it are relative to `baseDir`. */
  evalExpr(text: string, baseDir: string, sourceName?: string): Value;
  force(v: Lazy): Value;
  forceDeep(v: Lazy): Value;
  /** nix-instantiate's auto-calling: a function with formals gets `args` (--arg/--argstr) and its defaults. */
  autoCall(v: Lazy, args: ReadonlyMap<string, Lazy>): Value;
  /** `-A a.b.0`: selects along the path, auto-calling functions on the way as nix-instantiate does. */
  selectAttrPath(v: Lazy, attrPath: string, autoArgs?: ReadonlyMap<string, Lazy>): Value;
  /** `nix-instantiate --eval` output (without the newline); `strict` forces deeply first. */
  printValue(v: Lazy, opts?: { readonly strict?: boolean }): string;
  /** `printValue`'s text in chunks of some tens of kilobytes (print.ts), for writing a large value out. */
  printValueChunks(v: Lazy, opts?: { readonly strict?: boolean }): string[];
  /** `nix-instantiate --eval --json` output. */
  toJSON(v: Lazy): string;
  readonly builtins: NixAttrs;
  /** Parses and scope-checks (undefined variables) without evaluating, as `nix-instantiate --parse`. */
  parse(text: string, sourceName: string, baseDir: string): Expr;
  parseFile(absPath: string): Expr;
  /** What `name` refers to in the closure of a function (for the bridge's write-back). */
  lookupCaptured(fn: Lambda, name: string): Captured;
}

export function createEvaluator(opts: EvaluatorOptions = {}): Evaluator {
  const cwd = opts.cwd ?? process.cwd();
  // Pure evaluation has no search path, as in Nix.
  const searchPath = evalSettings.pureEval ? [] : opts.searchPath ?? [];
  const entries: SearchPathEntry[] = parseSearchPath(searchPath, cwd);
  // Restricted evaluation may read the store and what the search path names (pure evaluation has none);
  // both, tsportable's own Nix files: its corepkgs, its package set and lib, which stand in for Nix's and the store's.
  const access = new PathAccess([
    storeDir(), COREPKGS, nixDir, ...(opts.allowedPaths ?? []), ...entries.filter((e) => !isUrl(e.path)).map((e) => e.path),
  ]);
  const parse = opts.parseFile ?? ((text: string, file: string) => parseNix(text, file, { baseDir: dirname(file) }));
  const parseFile = (file: string, span: Span | undefined) => parse(readSource(file, span), file);
  const { globals, builtins } = makeGlobals();
  const importCache = new Map<string, Thunk>();
  const findCache = new Map<string, string>();

  const state: EvalState = {
    globals,
    builtins,
    searchPath,
    access,
    findFile(name, span) {
      let p = findCache.get(name);
      if (p === undefined) {
        p = findInSearchPath(entries, name, span);
        findCache.set(name, p);
      }
      return p;
    },
    importFile(p, span) {
      access.check(p, span);
      const file = resolveImport(p, span);
      let t = importCache.get(file);
      if (t === undefined) {
        t = new Thunk(() => runProgram(parseFile(file, span), globals, dirname(file)));
        importCache.set(file, t);
      }
      return force(t);
    },
    scopedImport(scope, p, span) {
      access.check(p, span);
      const file = resolveImport(p, span);
      return runScoped(parseFile(file, span), globals, dirname(file), scope.map);
    },
  };

  /** Every entry point: this evaluator is the current one (restored after, for nested use). */
  function run<T>(f: () => T): T {
    const previous = swapCurrentState(state);
    try {
      return f();
    } catch (e) {
      throw asNixError(e);
    } finally {
      // Values forced later outside any entry point (builders, the bridge) still find this evaluator.
      if (previous) swapCurrentState(previous);
    }
  }

  const evaluator: Evaluator = {
    builtins,
    evalFile: (p) => run(() => state.importFile(resolve(cwd, p), undefined)),
    evalExpr: (text, baseDir, sourceName = '«string»') => run(() => {
      const expr = parseNix(text, sourceName, { baseDir });
      return runProgram(expr, globals, baseDir);
    }),
    force: (v) => run(() => force(v)),
    forceDeep: (v) => run(() => {
      forceDeep(v);
      return forceMaterialized(v);
    }),
    autoCall: (v, args) => run(() => autoCall(v, args)),
    selectAttrPath: (v, attrPath, autoArgs = new Map()) => run(() => selectAttrPath(v, attrPath, autoArgs)),
    printValue: (v, o) => evaluator.printValueChunks(v, o).join(''),
    printValueChunks: (v, o = {}) => run(() => {
      if (o.strict) forceDeep(v); else force(v);
      return printValueChunks(v, o.strict);
    }),
    toJSON: (v) => run(() => valueToJSON(v).text),
    parse: (text, sourceName, baseDir) => run(() => {
      const expr = parseNix(text, sourceName, { baseDir });
      checkProgram(expr, globals, baseDir);
      return expr;
    }),
    parseFile: (p) => run(() => {
      access.check(resolve(cwd, p), undefined);
      const file = resolveImport(resolve(cwd, p), undefined);
      const expr = parseFile(file, undefined);
      checkProgram(expr, globals, dirname(file));
      return expr;
    }),
    lookupCaptured: (fn, name) => lookupCaptured(fn, name, globals),
  };
  return evaluator;
}

/** A JS stack overflow becomes Nix's stack-overflow error; other NixErrors pass. */
export function asNixError(e: unknown): unknown {
  if (isStackOverflow(e)) return jsStackOverflow();
  return e;
}

function resolveImport(p: string, span: Span | undefined): string {
  let st: Stats;
  try {
    st = statSync(osPath(p));
  } catch (e) {
    throw fileError(e, p, 'getting status of', span);
  }
  return st.isDirectory() ? join(p, 'default.nix') : p;
}

function readSource(file: string, span: Span | undefined): string {
  try {
    return decodeBytes(readFileSync(osPath(file)));
  } catch (e) {
    throw fileError(e, file, 'opening file', span);
  }
}

/** The base environment: every builtin as `builtins.name` and `__name`, the global ones by name. */
function makeGlobals(): { globals: Map<string, Lazy>; builtins: NixAttrs } {
  const members = new Map<string, Lazy>();
  const globals = new Map<string, Lazy>();
  for (const [name, d] of allDefinitions()) {
    if (d.kind === 'constant' && d.def.impure && evalSettings.pureEval) continue;
    const v: Lazy = d.kind === 'builtin' ? d.op : new Thunk(d.def.value);
    members.set(name, v);
    globals.set(d.def.global ? name : `__${name}`, v);
  }
  const builtins = new NixAttrs(members);
  members.set('builtins', builtins);
  globals.set('builtins', builtins);
  for (const [name, v] of [['true', true], ['false', false], ['null', null]] as const) {
    members.set(name, v);
    globals.set(name, v);
  }
  return { globals, builtins };
}

function autoCall(v: Lazy, args: ReadonlyMap<string, Lazy>): Value {
  let f = force(v);
  if (f instanceof NixAttrs) {
    const functor = f.get('__functor');
    if (functor !== undefined) return autoCall(callFunction(functor, [f]), args);
  }
  if (!(f instanceof Lambda) || !f.expr.formals) return f;
  const formals = f.expr.formals;
  const given = new Map<string, Lazy>();
  if (formals.ellipsis) {
    for (const [k, a] of args) given.set(k, a);
  } else {
    for (const formal of [...formals.entries].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const a = args.get(formal.name);
      if (a !== undefined) given.set(formal.name, a);
      else if (!formal.fallback) {
        throw new NixError('eval', `cannot evaluate a function that has an argument without a value ('${formal.name}')
Nix attempted to evaluate a function as a top level expression; in
this case it must have its arguments supplied either by default
values, or passed explicitly with '--arg' or '--argstr'. See
https://nix.dev/manual/nix/stable/language/syntax.html#functions.`, formal.span);
      }
    }
  }
  f = callFunction(f, [new NixAttrs(given)]);
  return f;
}

/** Splits `a."b.c".0` into its components. */
export function parseAttrPath(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '.') { out.push(cur); cur = ''; continue; }
    if (c === '"') {
      const end = s.indexOf('"', i + 1);
      if (end < 0) throw new NixError('usage', `missing closing quote in selection path '${s}'`);
      cur += s.slice(i + 1, end);
      i = end;
      continue;
    }
    cur += c;
  }
  if (s !== '') out.push(cur);
  return out;
}

function selectAttrPath(v: Lazy, attrPath: string, autoArgs: ReadonlyMap<string, Lazy>): Value {
  let cur: Lazy = v;
  for (const attr of parseAttrPath(attrPath)) {
    const x = force(autoCall(cur, autoArgs));
    const index = /^[0-9]+$/.test(attr) ? Number(attr) : undefined;
    if (index === undefined && isForeign(x)) {
      // A value real Nix computes (a package, a builder's result): select through the bridge.
      const a = attr === '' ? undefined : x.select(attr, undefined);
      if (a === undefined) throw new NixError('eval', `attribute '${attr}' in selection path '${attrPath}' not found`);
      cur = a;
    } else if (index === undefined) {
      if (!(x instanceof NixAttrs)) {
        throw new NixError('eval', `the expression selected by the selection path '${attrPath}' should be a set but is ${showType(x)}`);
      }
      if (attr === '') throw new NixError('eval', `empty attribute name in selection path '${attrPath}'`);
      const a = x.get(attr);
      if (a === undefined) {
        const e = new NixError('eval', `attribute '${attr}' in selection path '${attrPath}' not found`);
        const hint = didYouMean(attr, x.sortedNames());
        if (hint) e.hints.push(hint);
        throw e;
      }
      cur = a;
    } else {
      if (!(x instanceof NixList)) {
        throw new NixError('eval', `the expression selected by the selection path '${attrPath}' should be a list but is ${showType(x)}`);
      }
      if (index >= x.items.length) {
        throw new NixError('eval', `list index ${index} in selection path '${attrPath}' is out of range`);
      }
      cur = x.items[index];
    }
  }
  return force(cur);
}

export { NixError } from './errors.js';
export type { Lazy, Value } from './value/index.js';
export type { Captured } from './interp/captured.js';
