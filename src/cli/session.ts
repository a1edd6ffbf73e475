/**
 * One evaluation session for a command: the nixpkgs bridge and the evaluator,
 * wired to each other (the bridge needs the evaluator to evaluate `lib`
 * natively; the evaluator needs the bridge's hooks for everything that needs
 * the Nix store), and the top-level value selected the way nix-build and
 * nix-instantiate select it, or for a flake installable the way `nix build`
 * does (src/flake).
 *
 * Two things beyond nix-build, each said in a notice or an error:
 * - a file that is a callPackage-style function (`{ portableService,
 *   writeText }: ...`, whose arguments without defaults are all packages of
 *   the set) is called as `pkgs.callPackage FILE { }`, with --arg/--argstr
 *   as overrides, where nix-build would stop;
 * - when the selected value is not an image, the error says what it is, and
 *   when it is a value Nix computes, whether an attribute on the way to it is
 *   missing (`pkgs.portableServce`), at the place it is selected.
 */
import { dirname, join } from 'node:path';
import { createBridge, createNixRunner, ForeignHandle, type Bridge, type NixOutput, type NixRunner } from '../bridge/index.js';
import { portableServiceSpecOf, type PortableServiceSpec } from '../builders/index.js';
import { NixError } from '../eval/errors.js';
import type { Span } from '../eval/span.js';
import { createEvaluator, type Evaluator, type EvaluatorOptions } from '../eval/index.js';
import { diskParseCache } from '../eval/syntax/parseCache.js';
import { cacheRoot } from '../image/cache.js';
import { evalSettings } from '../eval/settings.js';
import { parseNix } from '../eval/syntax/parse.js';
import { hostSystem } from '../eval/builtins/system.js';
import { type Lazy, type Value, Lambda, NixAttrs, NixList, isForeign } from '../eval/value/index.js';
import { force } from '../eval/value/force.js';
import { callFunction } from '../eval/value/call.js';
import { didYouMean } from '../eval/value/attrs.js';
import { showType } from '../eval/value/types.js';
import { evalFlake, lockInstallable, selectOutput, type TreeReader } from '../flake/index.js';
import { nixDir } from '../paths.js';
import { autoArgsMap, evalRoot } from './autoArgs.js';
import { io } from './command.js';
import type { EvalInput } from './evalInput.js';
import { noNixInvocation, optionArgs, type NixInvocation } from './nixOptions.js';

export interface Session {
  readonly ev: Evaluator;
  readonly bridge: Bridge;
  readonly autoArgs: Map<string, Lazy>;
  /** Where tsportable's own notices go (a callPackage-style call, a flake's warnings), with the place they are about. */
  readonly notice: Notice;
  /**
   * For a flake installable: the flake's `outputs`, how messages name the
   * flake, and its directory on disk with the copy in the store it is evaluated from.
   */
  readonly flake?: { readonly outputs: Value; readonly name: string; readonly dir: string; readonly storeDir: string };
}

export interface SessionOptions {
  readonly progress: boolean;
  /** Where a build shows Nix's output instead, line by line, with a summary (bridge/buildProgress.ts). */
  readonly output?: NixOutput;
  /** Interrupts realisation: Nix stops and the build rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** How Nix processes run (default: synchronously, src/bridge/runner.ts); the language server's are shared and cached. */
  readonly runner?: NixRunner;
  /** Where the bridge's and the session's notices go (default: stderr); the language server shows some at `span`. */
  readonly notice?: Notice;
  /** How imported files are parsed (the evaluator's option of that name). */
  readonly parseFile?: EvaluatorOptions['parseFile'];
  /** The command line's `--option`s and build flags, for the Nix processes the bridge runs. */
  readonly nix?: NixInvocation;
  /**
   * For a flake: the text its flake.nix is evaluated with instead of the
   * file's (an editor's unsaved text), both to lock it and as the flake's
   * source in the store; its errors name the file on disk.
   */
  readonly flakeText?: string;
  /** For a flake: how its local trees are read (the language server keeps them between edits). */
  readonly readTree?: TreeReader;
}

/** A notice for the user: one line, and the place it is about when there is one. */
export type Notice = (message: string, span?: Span) => void;

const stderrNotice: Notice = (m) => io.stderr(`${m}\n`);

export function openSession(input: EvalInput, options: SessionOptions): Session {
  if (input.flake) return openFlakeSession(input, options);
  const { ev, bridge } = wire(input, options);
  return { ev, bridge, autoArgs: autoArgsMap(ev, input), notice: options.notice ?? stderrNotice };
}

/** The bridge (installed) and the evaluator, each using the other; `nixpkgsDir`/`runner` for a flake. */
function wire(input: EvalInput, options: SessionOptions & { readonly nixpkgsDir?: string }) {
  let ev: Evaluator | undefined;
  const nix = options.nix ?? noNixInvocation;
  const bridge = createBridge({
    searchPath: input.searchPath,
    nixpkgsDir: options.nixpkgsDir,
    cwd: input.cwd,
    importNative: (path) => ev!.evalFile(path),
    lookupCaptured: (fn, name) => ev!.lookupCaptured(fn, name),
    progress: options.progress || nix.showBuildOutput,
    nixArgs: optionArgs(nix),
    realiseArgs: nix.realiseArgs,
    output: options.output,
    signal: options.signal,
    runner: options.runner,
    notice: options.notice,
  });
  bridge.install();
  ev = createEvaluator({ searchPath: bridge.searchPath, cwd: input.cwd, parseFile: options.parseFile ?? cachedParseFile() });
  return { ev, bridge };
}

/** The CLI's way to parse files: through the parse cache in the cache directory (syntax/parseCache.ts). */
function cachedParseFile(): NonNullable<EvaluatorOptions['parseFile']> {
  const cache = diskParseCache(join(cacheRoot(), 'syntax'));
  return (text, file) => cache.parse(text, file, { baseDir: dirname(file) });
}

/**
 * A flake, as `nix build` evaluates it: pure unless --impure; locked and its
 * inputs in the store first (at most one Nix process, none when they are
 * there); the bridge serving its `nixpkgs` input.
 */
function openFlakeSession(input: EvalInput, options: SessionOptions): Session {
  const installable = input.flake!;
  const runner = options.runner ?? createNixRunner({}, optionArgs(options.nix ?? noNixInvocation));
  const notice = options.notice ?? stderrNotice;
  const dir = join(installable.root, installable.flakeDir);
  let storeDir: string | undefined;
  const parseFile = flakeTextParser(options, join(dir, 'flake.nix'), () => storeDir && join(storeDir, 'flake.nix'));
  // flake.nix files are read for their inputs before the bridge exists (it serves the locked nixpkgs).
  const reader = createEvaluator({ searchPath: [], cwd: input.cwd, parseFile });
  const locked = lockInstallable(installable, reader, {
    overrideInputs: input.overrideInputs,
    cwd: input.cwd,
    runner,
    standInDir: join(nixDir, 'pkgs'),
    notice,
    readTree: options.readTree,
  });
  const source = locked.sources.get('root')!;
  storeDir = source.flakeDir === '' ? source.storePath : join(source.storePath, source.flakeDir);
  // The flake is evaluated from the store, purely unless --impure (its files on disk were read to lock it).
  evalSettings.pureEval = !input.impure;
  const { ev, bridge } = wire(input, { ...options, parseFile, nixpkgsDir: locked.nixpkgsDir, runner });
  const root = ev.force(evalFlake(locked, ev, (d) => bridge.flakeOutputs(d)));
  const outputs = ev.force((root as NixAttrs).get('outputs')!);
  return { ev, bridge, autoArgs: new Map(), notice, flake: { outputs, name: installable.name, dir, storeDir } };
}

/**
 * The parser of a flake session: `options.flakeText` stands for the flake's
 * flake.nix, read on disk (`file`, to lock) or in the store (`storeFile()`,
 * once locked), named as the file on disk; its paths are the store's there.
 */
function flakeTextParser(options: SessionOptions, file: string, storeFile: () => string | undefined): EvaluatorOptions['parseFile'] {
  const text = options.flakeText;
  const parse = options.parseFile ?? ((t: string, f: string) => parseNix(t, f, { baseDir: dirname(f) }));
  if (text === undefined) return options.parseFile;
  return (t, f) => {
    if (f === file) return parse(text, file);
    if (f === storeFile()) return parseNix(text, file, { baseDir: dirname(f) });
    return parse(t, f);
  };
}

/** The output a flake installable's fragment names (`packages.<system>.<attr>`, ...), with the path found. */
export function selectFlakeOutput(session: Session, input: EvalInput): { attrPath: string; value: Value } {
  const flake = session.flake!;
  return selectOutput(flake.outputs, input.flake!.fragment, hostSystem(), flake.name);
}

/** One image to build: the `-A` path (or flake attribute path) it came from ('' for the top level) and its spec. */
export interface SelectedImage {
  readonly attrPath: string;
  readonly spec: PortableServiceSpec;
}

/**
 * nix-build's selection: the top-level value, called with its defaults and
 * the --arg/--argstr values when it is a function, then each -A path. A set
 * of several images needs -A, as there is one `result` per image. For a
 * flake, the installable's output.
 */
export function selectImages(session: Session, input: EvalInput): SelectedImage[] {
  const { ev } = session;
  if (session.flake) {
    const { attrPath, value } = selectFlakeOutput(session, input);
    const spec = portableServiceSpecOf(value);
    if (!spec) throw notAnImage(ev.force(value), `flake output attribute '${attrPath}'`, attrPath);
    return [{ attrPath, spec }];
  }
  const top = ev.force(evalRoot(ev, input));
  const root = callTopLevel(session, input, top, '');
  const paths = input.attrPaths.length ? input.attrPaths : [''];
  return paths.map((attrPath) => {
    const v = attrPath === '' ? root : callTopLevel(session, input, ev.selectAttrPath(root, attrPath, session.autoArgs), attrPath);
    const spec = portableServiceSpecOf(v);
    if (spec) return { attrPath, spec };
    const where = attrPath === '' ? 'the top-level value' : `attribute '${attrPath}'`;
    if (v instanceof NixAttrs) {
      const images = v.sortedNames().flatMap((name): SelectedImage[] => {
        const found = portableServiceSpecOf(ev.force(v.get(name)!));
        return found ? [{ attrPath: name, spec: found }] : [];
      });
      if (images.length === 1 && attrPath === '') return images[0]!;
      if (images.length > 1) {
        const names = images.map((i) => i.attrPath);
        throw new NixError('usage', `${where} holds several images (${names.join(', ')}); choose one with -A, e.g. -A ${names[0]}`);
      }
    }
    throw notAnImage(v, where, attrPath === '' ? undefined : attrPath);
  });
}

/**
 * nix-build's auto-call of the top-level value (and of what -A selects),
 * except for a callPackage-style function: that one is called as
 * `pkgs.callPackage f { }` with the --arg/--argstr values as overrides, and
 * the session's notice says so, at the function.
 */
export function callTopLevel(session: Session, input: EvalInput, v: Value, attrPath: string): Value {
  const { ev, autoArgs } = session;
  const f = ev.force(v);
  const wanted = callPackageFormals(session, f);
  if (!wanted) return ev.force(ev.autoCall(f, autoArgs));
  const what = attrPath === '' ? (input.file ?? 'the expression') : `attribute '${attrPath}'`;
  session.notice(`tsportable: ${what} is a callPackage-style function ({ ${wanted.join(', ')} }); calling it as pkgs.callPackage with --arg/--argstr as overrides (nix-build would stop here)`, (f as Lambda).expr.span);
  const callPackage = packageSet(session).select('callPackage', undefined)!;
  return ev.force(callFunction(callPackage, [f, new NixAttrs(new Map(autoArgs))]));
}

/**
 * The formals of a callPackage-style function: a function with formals whose
 * arguments without defaults, other than those --arg/--argstr give, are all
 * attributes of the package set (and there is at least one). Undefined for
 * anything else, which nix-build's rules then apply to.
 */
export function callPackageFormals(session: Session, f: Value): string[] | undefined {
  if (!(f instanceof Lambda) || !f.expr.formals) return undefined;
  const needed = f.expr.formals.entries.filter((e) => e.fallback === undefined && !session.autoArgs.has(e.name)).map((e) => e.name);
  if (needed.length === 0) return undefined;
  const pkgs = packageSet(session);
  if (!needed.every((name) => pkgs.hasAttr(name) === true)) return undefined;
  return f.expr.formals.entries.map((e) => e.name).sort();
}

/** `import <nixpkgs> { }` as the bridge serves it (a foreign value: its names are Nix's). */
function packageSet(session: Session): ForeignHandle {
  const pkgs = session.bridge.packageSet();
  if (!(pkgs instanceof ForeignHandle)) throw new NixError('eval', 'internal: the package set is not a value of Nix');
  return pkgs;
}

/**
 * The error for a selected value that is not an image: what it is, or the
 * attribute missing on the way to it (Nix's wording for a selection in the
 * file, or for one by -A: `attrPath`).
 */
function notAnImage(v: Value, where: string, attrPath?: string): NixError {
  const missing = v instanceof ForeignHandle ? missingOnTheWay(v) : undefined;
  if (missing) {
    const { name, span, names } = missing;
    const e = span || attrPath === undefined
      ? new NixError('eval', `attribute '${name}' missing`, span)
      : new NixError('eval', `attribute '${name}' in selection path '${attrPath}' not found`);
    const hint = didYouMean(name, names);
    if (hint) e.hints.push(hint);
    return e;
  }
  return new NixError('eval', `${where} is ${describeValue(v)}, not a portable service image (the result of pkgs.portableService)`);
}

/**
 * A value Nix computes is made without asking Nix whether each attribute
 * selected on the way exists (`pkgs.portableServce { ... }` is a value until
 * it is built). When it turns out not to be an image, this asks, from the
 * package set outward, which selection names an attribute that is not there.
 */
function missingOnTheWay(h: ForeignHandle): { name: string; span: Span | undefined; names: readonly string[] } | undefined {
  const e = h.expr;
  if (e.kind === 'apply') return missingOnTheWay(e.fn);
  if (e.kind !== 'select') return undefined;
  const inner = missingOnTheWay(e.base);
  if (inner) return inner;
  if (e.base.hasAttr(e.name) !== false) return undefined;
  let names: readonly string[] = [];
  try {
    names = e.base.attrsView(h.span).sortedNames();
  } catch (x) {
    if (!(x instanceof NixError)) throw x;
  }
  return { name: e.name, span: h.span, names };
}

/** "a package (hello-1.0)", "a list of 3 elements", "a set (attributes a, b)", "a function": what a value is, for a person. */
function describeValue(v: Value): string {
  let x: Value = v;
  if (isForeign(v)) {
    try {
      x = v.materialize?.(undefined) ?? v;
    } catch (e) {
      if (!(e instanceof NixError)) throw e;
      return `a value computed by Nix (${v.describe()})`;
    }
    if (isForeign(x)) {
      try {
        const name = force(x.select('name', undefined) ?? null);
        const text = isForeign(name) ? name.materialize?.(undefined) : name;
        if (typeof text === 'string') return `a package (${text})`;
      } catch (e) {
        if (!(e instanceof NixError)) throw e;
      }
      return `a package (${x.describe()})`;
    }
  }
  if (x instanceof NixList) return `a list of ${x.items.length} element${x.items.length === 1 ? '' : 's'}`;
  if (x instanceof NixAttrs) {
    const names = x.sortedNames();
    const shown = names.slice(0, 8).join(', ') + (names.length > 8 ? ', ...' : '');
    return names.length ? `a set (attributes: ${shown})` : 'an empty set';
  }
  return showType(x);
}
