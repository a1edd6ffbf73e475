/**
 * A large generated file, the shape of nixpkgs' generated package lists: one
 * attribute set of about 300,000 small sets (20 MB of Nix), every value
 * forced (`deepSeq`) and the names counted. tsportable's time and peak memory
 * against `nix-instantiate --eval` on the same file, as fresh processes,
 * alternating, median of a few runs; ours twice: with an empty cache (the
 * file parsed) and with a warm one (its syntax tree from the parse cache).
 * Goals: at most 1.0x Nix's time, at most 1.5x its peak memory.
 * Peak memory needs GNU time (/usr/bin/time, Debian's `time`).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { alternate, canMeasureMemory, cli, loadAverage, outcome, runProcess, type Timed } from './measure.js';
import type { BenchRow } from './main.js';

const enum Tuning {
  Runs = 3,
  /** Bytes of Nix source generated. */
  Bytes = 20_000_000,
  TimeGoal = 1,
  MemoryGoal = 1.5,
}

/** The file: `{ a0 = { pname = "a0"; version = "1.0.0"; deps = [ 0 0 ]; }; ... }`, deterministic. */
export function generateAttrset(bytes: number): { text: string; count: number } {
  const parts: string[] = ['{\n'];
  let size = 2;
  let i = 0;
  while (size < bytes) {
    const line = `  a${i} = { pname = "a${i}"; version = "1.${i % 100}.${i % 7}"; deps = [ ${i % 13} ${i % 17} ]; };\n`;
    parts.push(line);
    size += line.length;
    i++;
  }
  parts.push('}\n');
  return { text: parts.join(''), count: i };
}

export async function bench(): Promise<BenchRow[]> {
  const before = loadAverage();
  const work = await mkdtemp(path.join(tmpdir(), 'tsportable-bench-attrset-'));
  try {
    const { text, count } = generateAttrset(Tuning.Bytes);
    const file = path.join(work, 'big.nix');
    await writeFile(file, text);
    const expr = `let s = import ${file}; in builtins.deepSeq s (builtins.length (builtins.attrNames s))`;
    const memory = canMeasureMemory();
    const warmCache = path.join(work, 'warm-cache');
    // Each cold run gets a cache directory of its own, never used again.
    let coldRuns = 0;
    const cold = {
      file: cli, args: ['eval', '-E', expr],
      get options() { return { memory, env: { TSPORTABLE_CACHE_DIR: path.join(work, `cold-${coldRuns++}`) } }; },
    };
    const warm = { file: cli, args: ['eval', '-E', expr], options: { memory, env: { TSPORTABLE_CACHE_DIR: warmCache } } };
    const nix = { file: 'nix-instantiate', args: ['--eval', '-E', expr], options: { memory } };
    await runProcess(warm.file, warm.args, warm.options); // fills the warm cache
    const [n, c, w] = await alternate([nix, cold, warm], Tuning.Runs);
    const check = (t: Timed) => (outcome(t.last) === String(count) ? undefined : `wrong output: ${outcome(t.last).slice(0, 80)}`);
    const mb = (Buffer.byteLength(text) / 1e6).toFixed(1);
    const rows: BenchRow[] = [
      { name: 'nix-instantiate (baseline)', value: n!.ms, unit: 'ms', note: `${mb} MB, ${count} attributes; ${check(n!) ?? 'ok'}` },
      { name: 'tsportable, empty parse cache', value: c!.ms, unit: 'ms', note: check(c!) },
      { name: 'tsportable, empty parse cache / nix', value: c!.ms / n!.ms, unit: 'x', goal: Tuning.TimeGoal },
      { name: 'tsportable, warm parse cache', value: w!.ms, unit: 'ms', note: check(w!) },
      { name: 'tsportable, warm parse cache / nix', value: w!.ms / n!.ms, unit: 'x', goal: Tuning.TimeGoal },
    ];
    if (n!.peakMb !== undefined && c!.peakMb !== undefined && w!.peakMb !== undefined) {
      rows.push(
        { name: 'peak memory: nix-instantiate', value: n!.peakMb, unit: 'MB' },
        { name: 'peak memory: tsportable, empty parse cache', value: c!.peakMb, unit: 'MB' },
        { name: 'peak memory: empty parse cache / nix', value: c!.peakMb / n!.peakMb, unit: 'x', goal: Tuning.MemoryGoal },
        { name: 'peak memory: tsportable, warm parse cache', value: w!.peakMb, unit: 'MB' },
        { name: 'peak memory: warm parse cache / nix', value: w!.peakMb / n!.peakMb, unit: 'x', goal: Tuning.MemoryGoal },
      );
    } else {
      rows.push({ name: 'peak memory: skipped', value: 0, unit: 'runs', note: '/usr/bin/time (Debian package `time`) is not installed' });
    }
    rows.push({ name: 'load average (1 min), after', value: Number(loadAverage()), unit: '', note: `before: ${before}` });
    return rows;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
