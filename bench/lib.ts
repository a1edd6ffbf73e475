/**
 * nixpkgs lib evaluated by tsportable against `nix-instantiate --eval --strict`
 * in the same run: nixpkgs' own lib test files (lib/tests/misc.nix,
 * systems.nix, fetchers.nix, lib/path/tests/unit.nix) and the laziness probe
 * (`import <nixpkgs/lib>` with three functions, against every attribute of lib).
 *
 * The nixpkgs.lib checkout is never part of this repository and the bench
 * does not touch the network: it reads the checkout named by
 * TSPORTABLE_BENCH_NIXPKGS_LIB (a nix-community/nixpkgs.lib or nixpkgs tree;
 * for Debian's Nix 2.8, a commit it can evaluate, e.g. 45c0f194 of
 * 2025-10-09), and says it skipped when that is unset.
 *
 * Each input is measured three ways, each the best of three runs taken in
 * turns with the others: Nix's whole process; `tsportable eval --strict` as a
 * whole process with the same
 * arguments (end to end: Node's start-up, module loading, the parse cache
 * warm after the first run); and our evaluation alone, timed inside a
 * big-stack worker (evaluator set-up, parse, evaluate, print), set against
 * Nix's time minus its start-up (`-E 1`). One more run of the CLI with an
 * empty parse cache shows what a first run costs. For misc.nix Nix's time
 * includes writing its dummy derivations' .drv files to the store; ours does
 * not (the bridge gives derivations placeholder paths without asking Nix).
 * Outputs are compared; a difference is reported in the note, as is Nix
 * failing to evaluate (a lib too new for it), in which case no ratio is given.
 * Goals: end to end at most 1.5x Nix, evaluation alone at most 1.0x.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, runProcess } from './measure.js';
import { evalLib, evalLibWithNix, type LibEvalRequest, type LibEvalResult } from '../test/lib/libEval.js';
import { isLibCheckout, lazinessProbes, libFilesRead, suiteRequest, suitesIn } from '../test/lib/libSuites.js';
import type { BenchRow } from './main.js';

const envVar = 'TSPORTABLE_BENCH_NIXPKGS_LIB';

const enum Tuning {
  /** Below this, Nix's time minus its start-up is noise (start-up varies by more run to run), so no ratio is drawn from it. */
  MinNixEvalMs = 10,
  EndToEndGoal = 1.5,
  EvaluationGoal = 1,
}

type Best = LibEvalResult & { wallMs: number };

/**
 * Best of three for each way, the ways taking turns (so that a burst of load
 * elsewhere falls on all of them): the least wall-clock time around each
 * call, and the least time its result reports.
 */
async function bestOfEach(runs: ReadonlyArray<() => Promise<LibEvalResult>>): Promise<Best[]> {
  const results: Array<Best | undefined> = runs.map(() => undefined);
  for (let i = 0; i < 3; i++) {
    for (const [k, run] of runs.entries()) {
      const t = performance.now();
      const r = await run();
      const wallMs = performance.now() - t;
      const seen = results[k];
      results[k] = { ...r, wallMs: Math.min(wallMs, seen?.wallMs ?? Infinity), ms: Math.min(r.ms, seen?.ms ?? Infinity) };
    }
  }
  return results as Best[];
}


function summary(r: LibEvalResult): string {
  const text = r.output ?? `error: ${r.error}`;
  return text.length > 80 ? text.slice(0, 80) + '…' : text;
}

/** Each side's time for the expression `1` (Nix's is subtracted from its times for the evaluation-only ratio). */
interface StartUp { readonly nix: number; readonly ours: number }

/** `tsportable eval` with the request's arguments, as a process; `cacheDir` for its parse cache. */
async function evalWithCli(req: LibEvalRequest, cacheDir: string): Promise<LibEvalResult> {
  const args = ['eval', ...((req.strict ?? true) ? ['--strict'] : [])];
  for (const entry of req.searchPath ?? []) args.push('-I', entry);
  for (const [name, value] of Object.entries(req.argstr ?? {})) args.push('--argstr', name, value);
  if (req.expr !== undefined) args.push('-E', req.expr);
  else args.push(req.file!);
  const r = await runProcess(cli, args, { cwd: req.cwd ?? path.dirname(req.file ?? '.'), env: { TSPORTABLE_CACHE_DIR: cacheDir } });
  return r.exitCode === 0 ? { output: r.stdout.trim(), ms: r.ms } : { error: r.stderr.trim().split('\n')[0], ms: r.ms };
}

/** Where the runs keep their parse caches: one shared (warm after the first run), and a fresh one per cold run. */
interface CacheDirs { readonly warm: string; cold(): string }

/** One input three ways: Nix, tsportable's CLI, tsportable's evaluation alone; their ratios. */
async function compare(name: string, req: LibEvalRequest, start: StartUp, caches: CacheDirs, passing?: readonly string[]): Promise<BenchRow[]> {
  const cold = await evalWithCli(req, caches.cold());
  const [nix, ours, inner] = await bestOfEach([() => evalLibWithNix(req), () => evalWithCli(req, caches.warm), () => evalLib(req)]);
  const ourNote = passing !== undefined && !passing.includes(ours.output ?? '') ? `not passing: ${summary(ours)}`
    : nix.output !== undefined && ours.output !== nix.output ? `output differs from Nix: ${summary(ours)}` : undefined;
  const rows: BenchRow[] = [
    { name: `${name}: nix-instantiate`, value: nix.wallMs, unit: 'ms', note: nix.output === undefined ? `Nix failed: ${nix.error}` : undefined },
    { name: `${name}: tsportable eval`, value: ours.wallMs, unit: 'ms', note: ourNote },
    { name: `${name}: tsportable eval, empty parse cache`, value: cold.ms, unit: 'ms' },
    { name: `${name}: tsportable evaluation only`, value: inner.ms, unit: 'ms' },
  ];
  if (nix.output !== undefined) {
    const nixEval = nix.wallMs - start.nix;
    const tooShort = nixEval < Tuning.MinNixEvalMs;
    rows.push({ name: `${name}: ratio end to end`, value: ours.wallMs / nix.wallMs, unit: 'x nix', goal: Tuning.EndToEndGoal,
      note: tooShort ? `Nix evaluates it within its start-up noise (${nixEval.toFixed(1)} ms): no evaluation-only ratio` : undefined });
    rows.push({ name: `${name}: ratio end to end, empty parse cache`, value: cold.ms / nix.wallMs, unit: 'x nix' });
    if (!tooShort) rows.push({ name: `${name}: ratio evaluation only`, value: inner.ms / nixEval, unit: 'x nix', goal: Tuning.EvaluationGoal });
  }
  return rows;
}

export async function bench(): Promise<BenchRow[]> {
  const dir = process.env[envVar];
  if (!dir) {
    return [{ name: 'nixpkgs lib: skipped', value: 0, unit: 'runs',
      note: `${envVar} is not set; point it at a nix-community/nixpkgs.lib checkout Nix 2.8 evaluates (e.g. commit 45c0f194)` }];
  }
  const checkout = path.resolve(dir);
  if (!isLibCheckout(checkout)) {
    return [{ name: 'nixpkgs lib: skipped', value: 0, unit: 'runs', note: `${envVar}=${dir} has no lib/default.nix` }];
  }
  const scratch = await mkdtemp(path.join(tmpdir(), 'tsportable-bench-lib-'));
  const saved = process.env.TSPORTABLE_CACHE_DIR;
  let coldRuns = 0;
  const caches: CacheDirs = { warm: path.join(scratch, 'warm'), cold: () => path.join(scratch, `cold-${coldRuns++}`) };
  // The in-worker runs read the environment: they share the warm cache.
  process.env.TSPORTABLE_CACHE_DIR = caches.warm;
  const rows: BenchRow[] = [];
  try {
    const one = { expr: '1', cwd: checkout };
    const [nixOne, oursOne] = await bestOfEach([() => evalLibWithNix(one), () => evalWithCli(one, caches.warm)]);
    const start: StartUp = { nix: nixOne!.wallMs, ours: oursOne!.wallMs };
    for (const suite of suitesIn(checkout)) {
      rows.push(...await compare(suite.file, suiteRequest(checkout, suite), start, caches, suite.passing));
    }
    const searchPath = [`nixpkgs=${checkout}`];
    rows.push(...await compare('import <nixpkgs/lib> + 3 functions', { expr: lazinessProbes.threeFunctions, cwd: checkout, searchPath }, start, caches));
    rows.push(...await compare('every lib attribute forced', { expr: lazinessProbes.allOfLib, cwd: checkout, searchPath }, start, caches));
    rows.push(...await lazinessRows(checkout, searchPath));
    rows.push({ name: 'start-up: nix-instantiate -E 1', value: start.nix, unit: 'ms' });
    rows.push({ name: 'start-up: tsportable eval -E 1', value: start.ours, unit: 'ms' });
  } finally {
    if (saved === undefined) delete process.env.TSPORTABLE_CACHE_DIR;
    else process.env.TSPORTABLE_CACHE_DIR = saved;
    await rm(scratch, { recursive: true, force: true });
  }
  return rows;
}

/** How many lib files each laziness probe reads. */
async function lazinessRows(checkout: string, searchPath: string[]): Promise<BenchRow[]> {
  const three = await evalLib({ expr: lazinessProbes.threeFunctions, cwd: checkout, searchPath, countReads: true });
  const all = await evalLib({ expr: lazinessProbes.allOfLib, cwd: checkout, searchPath, countReads: true });
  return [
    { name: 'lib files read: 3 functions', value: libFilesRead(checkout, three.filesRead).length, unit: 'files' },
    { name: 'lib files read: every attribute', value: libFilesRead(checkout, all.filesRead).length, unit: 'files' },
  ];
}
