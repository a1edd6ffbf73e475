/**
 * The evaluator against `nix-instantiate --eval --strict` on the same inputs,
 * in the same run: a typical portable-service file with the small package set
 * (examples/demo against nix/pkgs), a file's use of lib (the shipped nix/lib),
 * deep recursion, 100k-element lists and sets, long string building, a fixed
 * point with 5,000 overlays, rec sets and `with`.
 *
 * Each input is run end to end, both as processes with the same arguments
 * (`tsportable eval ARGS` and `nix-instantiate --eval ARGS`, start-up
 * included), alternating the two tools so that the machine's load hits both
 * alike; a time is the median of several runs. The ratio is ours over Nix's.
 * A second ratio leaves start-up out: our evaluation timed inside the
 * big-stack worker, against Nix's time minus its time for `1`. The machine's
 * load average is reported, since other processes skew every figure.
 * Outputs are compared; a mismatch or failure is reported in the note.
 */
import path from 'node:path';
import { createEvaluator } from '../src/eval/index.js';
import { runOnBigStack } from '../src/eval/bigStack.js';
import { alternate, cli, loadAverage, median, outcome, root } from './measure.js';
import type { BenchRow } from './main.js';

const enum Runs {
  /** Runs per tool and input; the median is reported. */
  Count = 5,
}

/** An input: the arguments both tools get after `eval` / `--eval` (with `--strict`). */
interface Input { readonly args: readonly string[]; readonly expr?: string }

const expr = (e: string): Input => ({ args: ['-E', e], expr: e });

export const heavyInputs: Record<string, Input> = {
  'portable-service file (examples/demo, nix/pkgs; -A pname)': {
    args: ['-I', `nixpkgs=${path.join(root, 'nix/pkgs')}`, path.join(root, 'examples/demo'), '-A', 'pname'],
  },
  'typical file: lib functions (nix/lib)': expr(`import ${path.join(root, 'test/eval/fixtures/lib-usage.nix')}`),
  'deep recursion (9,000 calls)': expr('let f = n: if n == 0 then 0 else 1 + f (n - 1); in f 9000'),
  'list of 200k (genList/filter/map/foldl\')': expr(
    "builtins.foldl' (a: b: a + b) 0 (map (x: x * 2) (builtins.filter (x: x / 2 * 2 == x) (builtins.genList (x: x) 200000)))"),
  'set of 100k (listToAttrs, select all)': expr(
    'let s = builtins.listToAttrs (builtins.genList (i: { name = "a${toString i}"; value = i; }) 100000); '
    + "in builtins.foldl' (a: n: a + s.${n}) 0 (builtins.attrNames s)"),
  'string building (20k appends)': expr(
    "builtins.stringLength (builtins.foldl' (acc: i: acc + \"x${toString i}\") \"\" (builtins.genList (x: x) 20000))"),
  'fixed point with 5,000 overlays': expr(
    'let fix = f: let x = f x; in x; extends = o: f: self: let super = f self; in super // o self super; '
    + 'overlays = builtins.genList (i: self: super: { "p${toString i}" = i; sum = super.sum + self.one; }) 5000; '
    + "in (fix (builtins.foldl' (acc: o: extends o acc) (self: { sum = 0; one = 1; }) overlays)).sum"),
  'recursive attrsets and with (100k lets)': expr(
    'let mk = n: rec { a = n; b = a + 1; c = with { d = b; }; d * 2; }; '
    + "in builtins.foldl' (acc: i: acc + (mk i).c) 0 (builtins.genList (x: x) 100000)"),
};

interface Run { readonly ms: number; readonly out: string }

/** Both tools, alternating, `Runs.Count` times each: medians and the last outputs. */
async function both(input: Input): Promise<{ nix: Run; ours: Run }> {
  const [n, o] = await alternate([
    { file: 'nix-instantiate', args: ['--eval', '--strict', ...input.args] },
    { file: cli, args: ['eval', '--strict', ...input.args] },
  ], Runs.Count);
  return { nix: { ms: n!.ms, out: outcome(n!.last) }, ours: { ms: o!.ms, out: outcome(o!.last) } };
}

/** Runs in the worker: `eval -E expr --strict`, timed without start-up. */
export function timedEval(req: { expr: string; cwd: string }): Run {
  const t = performance.now();
  const ev = createEvaluator({ cwd: req.cwd });
  const out = ev.printValue(ev.evalExpr(req.expr, req.cwd), { strict: true });
  return { out, ms: performance.now() - t };
}

async function medianInWorker(e: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < Runs.Count; i++) {
    times.push((await runOnBigStack<Run>(import.meta.url, 'timedEval', { expr: e, cwd: root })).ms);
  }
  return median(times);
}

export async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const loadBefore = loadAverage();
  const base = await both(expr('1'));
  rows.push({ name: 'start-up: nix-instantiate --eval -E 1', value: base.nix.ms, unit: 'ms' });
  rows.push({ name: 'start-up: tsportable eval -E 1', value: base.ours.ms, unit: 'ms' });
  rows.push({ name: 'start-up: ratio', value: base.ours.ms / base.nix.ms, unit: 'x nix' });
  for (const [name, input] of Object.entries(heavyInputs)) {
    const r = await both(input);
    const same = r.ours.out === r.nix.out;
    const note = same ? undefined : `outputs differ: ours ${r.ours.out.slice(0, 80)} / nix ${r.nix.out.slice(0, 80)}`;
    rows.push({ name: `${name}: nix-instantiate`, value: r.nix.ms, unit: 'ms' });
    rows.push({ name: `${name}: tsportable eval`, value: r.ours.ms, unit: 'ms', note });
    rows.push({ name: `${name}: ratio end to end`, value: r.ours.ms / r.nix.ms, unit: 'x nix' });
    if (input.expr !== undefined && same) {
      const inner = await medianInWorker(input.expr);
      const nixEval = Math.max(r.nix.ms - base.nix.ms, 1);
      rows.push({ name: `${name}: evaluation only, tsportable`, value: inner, unit: 'ms' });
      rows.push({ name: `${name}: ratio evaluation only`, value: inner / nixEval, unit: 'x nix' });
    }
  }
  rows.push({ name: 'load average (1 min) before / after', value: Number(loadAverage()), unit: '', note: `before: ${loadBefore}` });
  return rows;
}
