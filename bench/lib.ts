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
 * Our side runs as the CLI does, in a big-stack worker with the nixpkgs
 * bridge; its time is the wall-clock time of that call (worker start and
 * module loading included, Node's own process start not: see the start-up
 * rows). Nix's time is its whole process. Each time is the best of three.
 * The evaluation-only ratio sets the time measured inside the worker against
 * Nix's time minus its start-up (`-E 1`). For misc.nix Nix's time includes
 * writing its dummy derivations' .drv files to the store; ours does not
 * (the bridge gives derivations placeholder paths without asking Nix).
 * Outputs are compared; a difference is reported in the note, as is Nix
 * failing to evaluate (a lib too new for it), in which case no ratio is given.
 */
import path from 'node:path';
import { evalLib, evalLibWithNix, type LibEvalRequest, type LibEvalResult } from '../test/lib/libEval.js';
import { isLibCheckout, lazinessProbes, libFilesRead, suiteRequest, suitesIn } from '../test/lib/libSuites.js';
import type { BenchRow } from './main.js';

const envVar = 'TSPORTABLE_BENCH_NIXPKGS_LIB';

const enum Tuning {
  /** Below this, Nix's time minus its start-up is noise (start-up varies by more run to run), so no ratio is drawn from it. */
  MinNixEvalMs = 10,
}

/** Best of three: the least wall-clock time around the call, and the least time the result reports. */
async function best(run: () => Promise<LibEvalResult>): Promise<LibEvalResult & { wallMs: number }> {
  let result: LibEvalResult | undefined;
  let wallMs = Infinity;
  let ms = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    result = await run();
    wallMs = Math.min(wallMs, performance.now() - t);
    ms = Math.min(ms, result.ms);
  }
  return { ...result!, wallMs, ms };
}

function summary(r: LibEvalResult): string {
  const text = r.output ?? `error: ${r.error}`;
  return text.length > 80 ? text.slice(0, 80) + '…' : text;
}

/** Each side's time for the expression `1`: Nix's is subtracted from its times for the evaluation-only ratio. */
interface StartUp { readonly nix: number; readonly ours: number }

/** One input both ways: Nix, tsportable, the ratio, and the ratio of evaluation only. */
async function compare(name: string, req: LibEvalRequest, start: StartUp, passing?: readonly string[]): Promise<BenchRow[]> {
  const nix = await best(() => evalLibWithNix(req));
  const ours = await best(() => evalLib(req));
  const ourNote = passing !== undefined && !passing.includes(ours.output ?? '') ? `not passing: ${summary(ours)}`
    : nix.output !== undefined && ours.output !== nix.output ? `output differs from Nix: ${summary(ours)}` : undefined;
  const rows: BenchRow[] = [
    { name: `${name}: nix-instantiate`, value: nix.wallMs, unit: 'ms', note: nix.output === undefined ? `Nix failed: ${nix.error}` : undefined },
    { name: `${name}: tsportable`, value: ours.wallMs, unit: 'ms', note: ourNote },
  ];
  if (nix.output !== undefined) {
    const nixEval = nix.wallMs - start.nix;
    const tooShort = nixEval < Tuning.MinNixEvalMs;
    rows.push({ name: `${name}: ratio`, value: ours.wallMs / nix.wallMs, unit: 'x nix',
      note: tooShort ? `Nix evaluates it within its start-up noise (${nixEval.toFixed(1)} ms): no evaluation-only ratio` : undefined });
    // Ours: the time measured inside the worker (evaluator set-up, parse, evaluate, print).
    if (!tooShort) rows.push({ name: `${name}: ratio evaluation only`, value: ours.ms / nixEval, unit: 'x nix' });
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
  const start: StartUp = {
    nix: (await best(() => evalLibWithNix({ expr: '1', cwd: checkout }))).wallMs,
    ours: (await best(() => evalLib({ expr: '1', cwd: checkout }))).wallMs,
  };
  const rows: BenchRow[] = [];
  for (const suite of suitesIn(checkout)) {
    rows.push(...await compare(suite.file, suiteRequest(checkout, suite), start, suite.passing));
  }
  const searchPath = [`nixpkgs=${checkout}`];
  rows.push(...await compare('import <nixpkgs/lib> + 3 functions', { expr: lazinessProbes.threeFunctions, cwd: checkout, searchPath }, start));
  rows.push(...await compare('every lib attribute forced', { expr: lazinessProbes.allOfLib, cwd: checkout, searchPath }, start));
  const three = await evalLib({ expr: lazinessProbes.threeFunctions, cwd: checkout, searchPath, countReads: true });
  const all = await evalLib({ expr: lazinessProbes.allOfLib, cwd: checkout, searchPath, countReads: true });
  rows.push({ name: 'lib files read: 3 functions', value: libFilesRead(checkout, three.filesRead).length, unit: 'files' });
  rows.push({ name: 'lib files read: every attribute', value: libFilesRead(checkout, all.filesRead).length, unit: 'files' });
  rows.push({ name: 'start-up: nix-instantiate -E 1', value: start.nix, unit: 'ms' });
  rows.push({ name: 'start-up: tsportable worker -E 1', value: start.ours, unit: 'ms' });
  return rows;
}
