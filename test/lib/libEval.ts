/**
 * Evaluating a file (or expression) of a nixpkgs lib checkout both ways, as
 * the lib checks, the laziness measurement and the lib benchmark need:
 * natively with tsportable (in a big-stack worker as the CLI evaluates, with
 * the nixpkgs bridge installed, since some lib tests build a dummy
 * `derivation`) and with real `nix-instantiate --eval`, timing each.
 * The checkout itself is never part of the project: its path is given.
 *
 * Counting the files the evaluator reads is how laziness is observed from
 * outside: each `.nix` file it parses (an import: read, then parsed) is
 * recorded, through the evaluator's `parseFile` option.
 */
import path from 'node:path';
import { execa } from 'execa';
import { createBridge } from '../../src/bridge/index.js';
import { createEvaluator, type Evaluator, type Lazy } from '../../src/eval/index.js';
import { diskParseCache } from '../../src/eval/syntax/parseCache.js';
import { parseNix } from '../../src/eval/syntax/parse.js';
import { runOnBigStack } from '../../src/eval/bigStack.js';
import { diagnostics } from '../../src/eval/diagnostics.js';

export interface LibEvalRequest {
  /** The file to evaluate, absolute; or `expr`. */
  readonly file?: string;
  /** An expression, evaluated in `cwd`. */
  readonly expr?: string;
  /** Working directory (default: the file's directory). */
  readonly cwd?: string;
  /** `-I` entries (e.g. `nixpkgs=/tmp/nixpkgs-lib`). */
  readonly searchPath?: readonly string[];
  /** `--argstr name value` pairs (the top-level function is then called). */
  readonly argstr?: Readonly<Record<string, string>>;
  /** `--strict` (default true). */
  readonly strict?: boolean;
  /** Record the `.nix` files read during evaluation. */
  readonly countReads?: boolean;
}

export interface LibEvalResult {
  /** What `nix-instantiate --eval` prints on stdout (trimmed), or undefined on error. */
  readonly output?: string;
  /** The error message when evaluation failed (for Nix: its final `error:` line, without `error: `). */
  readonly error?: string;
  /** Wall-clock time, ms: for tsportable the evaluation itself (parse, evaluate, print); for Nix the whole process. */
  readonly ms: number;
  /** With `countReads`: the `.nix` files read, in order (tsportable only). */
  readonly filesRead?: string[];
}

function cwdOf(req: LibEvalRequest): string {
  if (req.cwd) return req.cwd;
  if (req.file) return path.dirname(req.file);
  return process.cwd();
}

/** `reads`: where the `.nix` files parsed are recorded, in order. */
function openEvaluator(req: LibEvalRequest, reads?: string[]): Evaluator {
  let ev: Evaluator | undefined;
  const cwd = cwdOf(req);
  const bridge = createBridge({
    searchPath: req.searchPath ?? [],
    cwd,
    importNative: (p) => ev!.evalFile(p),
    progress: false,
    notice: () => {},
  });
  bridge.install();
  // The CLI's parse cache, where the caller chose a cache directory (the lib benchmark does).
  const cacheDir = process.env.TSPORTABLE_CACHE_DIR;
  const cache = cacheDir ? diskParseCache(path.join(cacheDir, 'syntax')) : undefined;
  const parse = (text: string, file: string) => (cache ? cache.parse(text, file, { baseDir: path.dirname(file) }) : parseNix(text, file, { baseDir: path.dirname(file) }));
  const parseFile = reads === undefined ? (cache && parse) : (text: string, file: string) => {
    if (file.endsWith('.nix')) reads.push(file);
    return parse(text, file);
  };
  ev = createEvaluator({ searchPath: bridge.searchPath, cwd, parseFile });
  return ev;
}

/** Runs in the worker: evaluates and prints as nix-instantiate --eval [--strict]. */
export function evalLibHere(req: LibEvalRequest): LibEvalResult {
  const reads = req.countReads ? [] : undefined;
  // Warnings (lib's deprecation notices) are kept out of the output, as nix-instantiate's stderr is.
  const write = diagnostics.write;
  diagnostics.write = () => undefined;
  const t = performance.now();
  try {
    const ev = openEvaluator(req, reads);
    let v: Lazy = req.expr !== undefined ? ev.evalExpr(req.expr, cwdOf(req)) : ev.evalFile(req.file!);
    if (req.argstr) v = ev.autoCall(v, new Map(Object.entries(req.argstr)));
    const output = ev.printValue(v, { strict: req.strict ?? true });
    return { output, ms: performance.now() - t, filesRead: reads };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e), ms: performance.now() - t, filesRead: reads };
  } finally {
    diagnostics.write = write;
  }
}

/** `evalLibHere` in a worker with a large stack, as the CLI evaluates. */
export function evalLib(req: LibEvalRequest): Promise<LibEvalResult> {
  return runOnBigStack<LibEvalResult>(new URL('./libEval.js', import.meta.url), 'evalLibHere', req);
}

/** The same through real `nix-instantiate --eval` (process time included). */
export async function evalLibWithNix(req: LibEvalRequest): Promise<LibEvalResult> {
  const args = ['--eval', ...((req.strict ?? true) ? ['--strict'] : [])];
  for (const entry of req.searchPath ?? []) args.push('-I', entry);
  for (const [name, value] of Object.entries(req.argstr ?? {})) args.push('--argstr', name, value);
  if (req.expr !== undefined) args.push('-E', req.expr);
  else args.push(req.file!);
  const t = performance.now();
  const r = await execa('nix-instantiate', args, { reject: false, env: { NIX_PATH: '' }, cwd: cwdOf(req) });
  const ms = performance.now() - t;
  if (r.exitCode === 0) return { output: r.stdout.trim(), ms };
  const lines = r.stderr.split('\n').filter((l) => /^\s*error:/.test(l));
  const last = (lines.pop() ?? r.stderr.trim().split('\n').pop() ?? '').trim();
  return { error: last.replace(/^error:\s*/, ''), ms };
}
