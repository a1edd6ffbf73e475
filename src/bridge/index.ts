/**
 * The nixpkgs bridge: what tsportable's evaluator does not compute natively,
 * real Nix does. `createBridge` wires it together: the package set value for
 * `import <nixpkgs> {...}` (tsportable's own nix/pkgs when no nixpkgs is on
 * the search path), the evaluator's store hooks, and realisation of whatever
 * a build needs in a constant number of Nix processes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Span } from '../eval/span.js';
import { type Lazy, type Value, type Context, NixAttrs, NixString, PrimOp } from '../eval/value/index.js';
import { describedForeign, setHooks, type EvalHooks } from '../eval/value/hooks.js';
import { force, lazy } from '../eval/value/force.js';
import type { BuilderPlugin, NixText, PendingPath } from '../builders/types.js';
import { getBuilder as registryGetBuilder } from '../builders/registry.js';
import { nixDir } from '../paths.js';
import { isTerminal, writeOutput } from '../stdio.js';
import { ForeignHandle, placeholdersIn, resetForeignHandles, setForeignOracle } from './foreign.js';
import { createOracle } from './oracle.js';
import { makePackageSet, type PackageSetEnv } from './packageSet.js';
import { PendingStore } from './pendingStore.js';
import { Resolver, type ResolvableString, type Resolved, type ResolveItem, type ResolveOptions } from './resolve.js';
import type { NixOutput } from './buildProgress.js';
import { createNixRunner, type NixRunner } from './runner.js';
import { pathLiteral } from './nixLiterals.js';
import { NixProgram, type LookupCaptured, type WriteBackOptions } from './writeBack.js';
import * as natives from './natives.js';
import { findNixpkgs, namesNixpkgs } from './findNixpkgs.js';
import { defaultSetNames } from './defaultSetNames.js';
import { PackageSetRoots } from './packageSetRoots.js';
import { lookupCaptured } from '../eval/interp/captured.js';
import { checkAccess } from '../eval/access.js';
import { currentState } from '../eval/interp/state.js';

export interface BridgeOptions {
  /** `-I` entries then NIX_PATH entries, as given to the evaluator. */
  readonly searchPath: readonly string[];
  /** The nixpkgs to serve, when not the search path's (a flake's `nixpkgs` input): no notice, no search-path entry added. */
  readonly nixpkgsDir?: string;
  readonly cwd?: string;
  /** Evaluates a Nix file natively (the evaluator's `import`): used for the package set's `lib`. */
  importNative(path: string): Value;
  /** The evaluator's environment introspection, to write functions back (default: the native evaluator's, interp/captured.ts). */
  readonly lookupCaptured?: LookupCaptured;
  readonly getBuilder?: (attrPath: string) => BuilderPlugin<unknown> | undefined;
  /** Where notices go (default: stderr). */
  readonly notice?: (message: string) => void;
  /** Show build progress (default: stderr is a terminal). */
  readonly progress?: boolean;
  /** Where a build's Nix output goes line by line, with a summary (buildProgress.ts); overrides `progress`. */
  readonly output?: NixOutput;
  /** Interrupts realisation: the Nix processes stop and `resolveStrings` rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  readonly runner?: NixRunner;
  /** Arguments for every Nix process (the user's `--option NAME VALUE`s). */
  readonly nixArgs?: readonly string[];
  /** More arguments for `nix-store --realise` (nix-build's build flags). */
  readonly realiseArgs?: readonly string[];
}

export interface Bridge {
  /** The search path to give the evaluator: with `nixpkgs=<tsportable>/nix/pkgs` added when no entry names nixpkgs. */
  readonly searchPath: readonly string[];
  readonly nixpkgsDir: string;
  /** True when tsportable's own package set stands in for nixpkgs. */
  readonly usingDefault: boolean;
  readonly runner: NixRunner;
  /** Fills the evaluator's hooks (value/hooks.ts) with this bridge's. */
  install(): void;
  /** `import <nixpkgs> args` (args default `{}`). */
  packageSet(args?: Lazy, span?: Span): Value;
  /**
   * The outputs of a flake input that is a package set (nixpkgs, tsportable's stand-in) rooted at
   * `dir`: `legacyPackages.<system>` (the package set for that system) and `lib` (native). `dir`
   * becomes a package-set root: `import dir { ... }` (`import nixpkgs { ... }` through the input's
   * outPath) is that package set too.
   */
  flakeOutputs(dir: string, span?: Span): NixAttrs;
  /** The hooks, also callable directly. */
  readonly hooks: EvalHooks & BridgeExtraHooks;
  /** Every string resolved to real store paths (one nix-instantiate, one nix-store --realise, or a dry run of it), the processes run asynchronously. */
  resolveStrings(strings: readonly ResolvableString[], span?: Span, options?: ResolveOptions): Promise<string[]>;
  /** The same, with the realised store paths of the contexts, all of them and each string's own. */
  realiseStrings(strings: readonly ResolvableString[], span?: Span, options?: ResolveOptions): Promise<Resolved>;
  /** The same, synchronously, with the realised store paths of the contexts. */
  resolve(items: readonly ResolveItem[], span?: Span): Resolved;
  /** The closure of store paths (one nix-store --query --requisites). */
  requisites(paths: readonly string[], span?: Span): Promise<string[]>;
  /** A write-back program with this bridge's knowledge (pending store paths, plugin functions). */
  program(): NixProgram;
  /** For previews: placeholders become `${pkgs.hello}`. */
  renderText(t: NixText | string | NixString): string;
  /** For previews: the placeholders in a text, with the builder plugin call each stands for. */
  pendingPaths(text: string): readonly PendingPath[];
}

/** The hooks the builtins call beyond the evaluator's EvalHooks (value/hooks.ts). */
export interface BridgeExtraHooks {
  toFile(name: Lazy, contents: Lazy, span: Span | undefined): Value;
  storePath(path: Lazy, span: Span | undefined): Value;
  addPath(args: NixAttrs, span: Span | undefined): Value;
  filterSource(filter: Lazy, path: Lazy, span: Span | undefined): Value;
  fetch(kind: 'fetchurl' | 'fetchTarball' | 'fetchGit' | 'fetchMercurial' | 'fetchTree', arg: Lazy, span: Span | undefined): Value;
  realisePath(text: string, context: Context, span: Span | undefined): string;
  storeReferences(storePath: string, span: Span | undefined): readonly string[];
}

/** The systems a flake's `legacyPackages` offers (nixpkgs' flake exposes these and more). */
const flakeSystems = ['x86_64-linux', 'aarch64-linux', 'i686-linux', 'armv7l-linux', 'riscv64-linux', 'x86_64-darwin', 'aarch64-darwin'];

export function createBridge(options: BridgeOptions): Bridge {
  const cwd = options.cwd ?? process.cwd();
  const found = options.nixpkgsDir ?? findNixpkgs(options.searchPath, cwd);
  const usingDefault = found === undefined && !namesNixpkgs(options.searchPath);
  const nixpkgsDir = found ?? join(nixDir, 'pkgs');
  const searchPath = usingDefault ? [...options.searchPath, `nixpkgs=${nixpkgsDir}`] : [...options.searchPath];
  const runner = options.runner ?? createNixRunner({}, options.nixArgs);
  const notice = options.notice ?? ((m: string) => writeOutput('stderr', `${m}\n`));
  const store = new PendingStore();
  const functions = new WeakMap<PrimOp, ForeignHandle>();
  const modelled = new WeakSet<ForeignHandle>();
  let noticed = false;
  const hostNoticed = new Set<string>();

  // Native values evaluated from a file, written back as `import <file>` (nixpkgs' lib is large).
  const origins = new WeakMap<object, string>();
  const importNative = (path: string): Value => {
    const v = options.importNative(path);
    if (typeof v === 'object' && v !== null) origins.set(v, `import ${pathLiteral(path)}`);
    return v;
  };
  const writeBack: WriteBackOptions = {
    originOf: (v) => origins.get(v),
    lookupCaptured: options.lookupCaptured ?? ((fn, name) => lookupCaptured(fn, name, currentState().globals)),
    pending: store,
    foreignOfPrimOp: (op) => functions.get(op),
  };
  const resolver = new Resolver({
    runner,
    searchPath,
    progress: options.progress ?? isTerminal('stderr'),
    realiseArgs: options.realiseArgs,
    notice,
    output: options.output,
    signal: options.signal,
    writeBack,
  });

  const oracle = createOracle(resolver, () => new NixProgram(writeBack), {
    isModelled: (h) => modelled.has(h),
    asFunction(h) {
      const op = new PrimOp(h.describe(), 1, ([arg], span) => h.apply(arg, span), 'a function evaluated by Nix');
      functions.set(op, h);
      return op;
    },
  });

  const env: PackageSetEnv = {
    nixpkgsDir,
    fallbackLibDir: join(nixDir, 'lib'),
    importNative,
    getBuilder: options.getBuilder ?? registryGetBuilder,
    registerFunction(op, h) {
      functions.set(op, h);
      modelled.add(h);
    },
    // `pkgs.path` (packageSetRoots.ts).
    rootPath: (pkgsPath, span) => roots.rootPath(pkgsPath, span),
    defaultNames: usingDefault ? defaultSetNames(nixpkgsDir, options.importNative) : undefined,
    onHostPackage(name, path) {
      if (hostNoticed.has(name)) return;
      hostNoticed.add(name);
      notice(`tsportable: pkgs.${name} is made from the host's ${path}, with the libraries it needs (the default package set has no ${name} of its own)`);
    },
    onCreate() {
      if (usingDefault && !noticed) {
        noticed = true;
        notice(`tsportable: <nixpkgs> is not on the search path; using tsportable's own package set (${nixpkgsDir}). Use -I nixpkgs=PATH for nixpkgs.`);
      }
    },
  };

  // `import pkgs.path args` where the set's root is not nixpkgsDir (a wrapper set) is a package set of that root.
  const roots = new PackageSetRoots(nixpkgsDir, (dir, args, span) => makePackageSet({ ...env, nixpkgsDir: dir, defaultNames: undefined }, [args], span));
  const importNixpkgs = new PrimOp('import <nixpkgs>', 1, ([args], span) => makePackageSet(env, [args], span),
    'nixpkgs: a package set evaluated by real Nix');
  // Handed to Nix as a function (`map (import <nixpkgs>) [...]`), it is nixpkgs' own.
  functions.set(importNixpkgs, new ForeignHandle({ kind: 'call', source: `import ${pathLiteral(nixpkgsDir)}`, args: [] },
    undefined, 'import <nixpkgs>'));

  const hooks: EvalHooks & BridgeExtraHooks = {
    copyPathToStore: (path, span) => {
      checkAccess(path, span);
      return store.addSource(path, span);
    },
    derivationStrict: (attrs, span) => natives.derivationStrict(attrs, span),
    derivation: (attrs, span) => natives.derivation(attrs, span),
    importHook(path, span) {
      const p = path.replace(/\/default\.nix$/, '');
      if (p === nixpkgsDir) return importNixpkgs;
      const otherRoot = roots.importOf(p);
      if (otherRoot) return otherRoot;
      // nixpkgs' lib is evaluated natively; every other file of nixpkgs is Nix's.
      if (p === `${nixpkgsDir}/lib` || p.startsWith(`${nixpkgsDir}/lib/`)) return importNative(path);
      // A file that does not exist is the evaluator's "path ... does not exist", as in Nix.
      if (p.startsWith(`${nixpkgsDir}/`) && existsSync(path)) {
        return new ForeignHandle({ kind: 'call', source: `import ${pathLiteral(path)}`, args: [] }, span,
          `import ${path}`);
      }
      return undefined;
    },
    toFile: (name, contents, span) => natives.toFile(store, name, contents, span),
    storePath: (path, span) => natives.storePath(path, span),
    addPath: (args, span) => natives.addPath(store, args, span),
    filterSource: (filter, path, span) => natives.filterSource(filter, path, span),
    fetch: (kind, arg, span) => natives.fetch(kind, arg, span),
    realisePath: (text, context, span) =>
      resolver.resolve([{ value: new NixString(text, context), span }], span, { duringEvaluation: true }).texts[0],
    storeReferences: (storePath) => resolver.references(storePath),
    printForeign(values, strict) {
      // Values of this bridge are printed by Nix; others (the flake printer's marks) say what they are.
      const handles = values.filter((v): v is ForeignHandle => v instanceof ForeignHandle);
      const texts = handles.length ? oracle.print(handles, strict) : [];
      let next = 0;
      return values.map((v) => (v instanceof ForeignHandle ? texts[next++] : describedForeign(v)));
    },
  };

  const realiseStrings: Bridge['realiseStrings'] = (strings, span, resolveOptions) =>
    resolver.resolveAsync(strings.map((value) => ({ value })), span, resolveOptions);

  return {
    searchPath,
    nixpkgsDir,
    usingDefault,
    runner,
    hooks,
    install() {
      const all: Partial<EvalHooks> = hooks;
      setHooks(all);
      setForeignOracle(oracle);
    },
    packageSet: (args = NixAttrs.empty, span) => makePackageSet(env, [args], span),
    flakeOutputs(dir, span) {
      // Another input's package set is that input's: the notice about the default set is not about it.
      const setEnv = dir === nixpkgsDir ? env : { ...env, nixpkgsDir: dir, onCreate: () => undefined };
      if (dir !== nixpkgsDir) roots.addRoot(dir);
      const legacy = new Map<string, Lazy>();
      for (const system of flakeSystems) {
        legacy.set(system, lazy(() => makePackageSet(setEnv, [new NixAttrs(new Map([['system', system]]))], span)));
      }
      return new NixAttrs(new Map<string, Lazy>([
        ['legacyPackages', new NixAttrs(legacy)],
        ['lib', lazy(() => force(makePackageSet(setEnv, [NixAttrs.empty], span).select('lib', span)!))],
      ]));
    },
    resolveStrings: async (strings, span, resolveOptions) => (await realiseStrings(strings, span, resolveOptions)).texts,
    realiseStrings,
    resolve: (items, span) => resolver.resolve(items, span),
    program: () => new NixProgram(writeBack),
    requisites: async (paths, span) => resolver.requisites(paths, span),
    pendingPaths: (text) => placeholdersIn(text).map((p) => ({ offset: p.offset, length: p.length, builtBy: p.handle.builder })),
    renderText(t) {
      const text = typeof t === 'string' ? t : t instanceof NixString ? t.s : t.text;
      let out = '';
      let at = 0;
      for (const p of placeholdersIn(text)) {
        out += text.slice(at, p.offset) + `\${${p.handle.describe()}}`;
        at = p.offset + p.length;
      }
      return out + text.slice(at);
    },
  };
}

/**
 * Forgets the process-wide state earlier evaluations left (foreign handles and
 * the derivations they stand for), for a process that evaluates again and again
 * and never reuses an earlier evaluation's values: the language server.
 */
export function resetBridgeProcessState(): void {
  resetForeignHandles();
  natives.forgetDerivationHandles();
}

export { ForeignHandle, findHandle, placeholdersIn } from './foreign.js';
export { findNixpkgs } from './findNixpkgs.js';
export { NixProgram };
export type { LookupCaptured, Captured } from './writeBack.js';
export type { ResolvableString, ResolveItem, Resolved } from './resolve.js';
export { createNixRunner, type NixRunner } from './runner.js';
export type { NixOutput } from './buildProgress.js';
