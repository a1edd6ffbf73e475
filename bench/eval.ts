/**
 * The evaluator against `nix-instantiate --eval --strict` on the same inputs,
 * in the same run: a typical file's use of lib (the shipped nix/lib), deep recursion, 100k-element lists and sets, long string
 * building, a fixed point with 5,000 overlays, rec sets and `with`. Two ratios per input:
 * - end to end: `tsportable eval -E ... --strict` against nix-instantiate,
 *   both as processes (includes Node's and Nix's start-up);
 * - evaluation only: ours measured inside the big-stack worker (evaluation
 *   and printing, no start-up), Nix's as its time minus its time for `1`.
 * Each time is the best of three runs, to damp noise from other processes.
 * Outputs are compared; a mismatch is reported in the note.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { createEvaluator } from '../src/eval/index.js';
import { runOnBigStack } from '../src/eval/bigStack.js';

interface BenchRow { name: string; value: number; unit: string; note?: string }

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'bin/tsportable.js');

export const heavyInputs: Record<string, string> = {
  'typical file: lib functions (nix/lib)': `import ${path.join(root, 'test/eval/fixtures/lib-usage.nix')}`,
  'deep recursion (9,000 calls)': 'let f = n: if n == 0 then 0 else 1 + f (n - 1); in f 9000',
  'list of 200k (genList/filter/map/foldl\')':
    "builtins.foldl' (a: b: a + b) 0 (map (x: x * 2) (builtins.filter (x: x / 2 * 2 == x) (builtins.genList (x: x) 200000)))",
  'set of 100k (listToAttrs, select all)':
    'let s = builtins.listToAttrs (builtins.genList (i: { name = "a${toString i}"; value = i; }) 100000); '
    + "in builtins.foldl' (a: n: a + s.${n}) 0 (builtins.attrNames s)",
  'string building (20k appends)':
    "builtins.stringLength (builtins.foldl' (acc: i: acc + \"x${toString i}\") \"\" (builtins.genList (x: x) 20000))",
  'fixed point with 5,000 overlays':
    'let fix = f: let x = f x; in x; extends = o: f: self: let super = f self; in super // o self super; '
    + 'overlays = builtins.genList (i: self: super: { "p${toString i}" = i; sum = super.sum + self.one; }) 5000; '
    + "in (fix (builtins.foldl' (acc: o: extends o acc) (self: { sum = 0; one = 1; }) overlays)).sum",
  'recursive attrsets and with (100k lets)':
    'let mk = n: rec { a = n; b = a + 1; c = with { d = b; }; d * 2; }; '
    + "in builtins.foldl' (acc: i: acc + (mk i).c) 0 (builtins.genList (x: x) 100000)",
};

async function best(run: () => Promise<string>): Promise<{ ms: number; out: string }> {
  let ms = Infinity;
  let out = '';
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    out = await run();
    ms = Math.min(ms, performance.now() - t);
  }
  return { ms, out };
}

const nix = (expr: string) => async () =>
  (await execa('nix-instantiate', ['--eval', '--strict', '-E', expr], { env: { NIX_PATH: '' } })).stdout;
const ours = (expr: string) => async () => {
  const r = await execa('node', [cli, 'eval', '--strict', '-E', expr], { reject: false });
  return r.exitCode === 0 ? r.stdout.trimEnd() : `failed: ${r.stderr.trim().split('\n').pop()}`;
};
/** Runs in the worker: `eval -E expr --strict`, timed without start-up. */
export function timedEval(req: { expr: string; cwd: string }): { out: string; ms: number } {
  const t = performance.now();
  const ev = createEvaluator({ cwd: req.cwd });
  const out = ev.printValue(ev.evalExpr(req.expr, req.cwd), { strict: true });
  return { out, ms: performance.now() - t };
}

async function bestInWorker(expr: string): Promise<{ ms: number; out: string }> {
  let best = { ms: Infinity, out: '' };
  for (let i = 0; i < 3; i++) {
    const r = await runOnBigStack<{ out: string; ms: number }>(import.meta.url, 'timedEval', { expr, cwd: root });
    if (r.ms < best.ms) best = r;
  }
  return best;
}

export async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const nixBase = (await best(nix('1'))).ms;
  for (const [name, expr] of Object.entries(heavyInputs)) {
    const theirs = await best(nix(expr));
    const e2e = await best(ours(expr));
    const inner = await bestInWorker(expr);
    const note = e2e.out === theirs.out && inner.out === theirs.out ? undefined : `outputs differ: ${e2e.out.slice(0, 40)} vs ${theirs.out.slice(0, 40)}`;
    rows.push({ name: `${name}: nix-instantiate`, value: theirs.ms, unit: 'ms' });
    rows.push({ name: `${name}: tsportable eval`, value: e2e.ms, unit: 'ms', note });
    rows.push({ name: `${name}: ratio end to end`, value: e2e.ms / theirs.ms, unit: 'x nix' });
    const nixEval = Math.max(theirs.ms - nixBase, 1);
    rows.push({ name: `${name}: evaluation only, tsportable`, value: inner.ms, unit: 'ms' });
    rows.push({ name: `${name}: ratio evaluation only`, value: inner.ms / nixEval, unit: 'x nix' });
  }
  rows.push({ name: 'start-up: nix-instantiate -E 1', value: nixBase, unit: 'ms' });
  rows.push({ name: 'start-up: tsportable eval -E 1', value: (await best(ours('1'))).ms, unit: 'ms' });
  return rows;
}
