/**
 * What every benchmark needs to time programs fairly on a shared machine:
 * a process's wall-clock time (and, where /usr/bin/time is installed, its
 * peak memory), the median of several runs, two tools run alternately so
 * that the machine's load hits both alike, and the load average to report
 * beside the figures (other processes skew every time).
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

/** The repository (bench/ compiles to dist/bench). */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * The CLI as users run it: the installed command is this file, run by its
 * #! line (which, unlike `node bin/tsportable.js`, spares Node reading
 * NODE_EXTRA_CA_CERTS: bin/tsportable.js says why).
 */
export const cli = path.join(root, 'bin/tsportable.js');

export interface ProcessRun {
  readonly ms: number;
  /** Peak resident memory in MB; undefined when /usr/bin/time is missing. */
  readonly peakMb?: number;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ProcessOptions {
  readonly cwd?: string;
  /** Added to an environment whose NIX_PATH is empty (both tools see the same search path: the arguments'). */
  readonly env?: Readonly<Record<string, string>>;
  /** Also measure peak memory (through GNU time). */
  readonly memory?: boolean;
}

const gnuTime = '/usr/bin/time';
const peakMarker = 'tsportable-bench-peak-kb=';

/** Whether peak memory can be measured (GNU time, Debian's `time` package). */
export function canMeasureMemory(): boolean {
  return existsSync(gnuTime);
}

/** Runs `file args` once: wall-clock time including process start and exit, output, exit code. */
export async function runProcess(file: string, args: readonly string[], options: ProcessOptions = {}): Promise<ProcessRun> {
  const memory = options.memory === true && canMeasureMemory();
  const [cmd, argv] = memory ? [gnuTime, ['-f', `${peakMarker}%M`, file, ...args]] : [file, [...args]];
  const t = performance.now();
  const r = await execa(cmd, argv, {
    reject: false, cwd: options.cwd ?? root, env: { NIX_PATH: '', ...options.env }, stdin: 'ignore', maxBuffer: 1024 * 1024 * 1024,
  });
  const ms = performance.now() - t;
  let stderr = String(r.stderr ?? '');
  let peakMb: number | undefined;
  if (memory) {
    const at = stderr.lastIndexOf(peakMarker);
    if (at >= 0) {
      peakMb = Number(stderr.slice(at + peakMarker.length).trim()) / 1024;
      stderr = stderr.slice(0, at);
    }
  }
  return { ms, peakMb, exitCode: r.exitCode ?? 1, stdout: String(r.stdout ?? ''), stderr };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Medians of several runs of one program, and its last run (for the output). */
export interface Timed {
  readonly ms: number;
  readonly peakMb?: number;
  readonly last: ProcessRun;
}

export interface Contender {
  readonly file: string;
  readonly args: readonly string[];
  readonly options?: ProcessOptions;
}

/**
 * Runs each contender `runs` times, taking turns (a, b, c, a, b, c, ...), so
 * that a burst of load elsewhere falls on all of them; the medians.
 */
export async function alternate(contenders: readonly Contender[], runs: number): Promise<Timed[]> {
  const times: number[][] = contenders.map(() => []);
  const peaks: number[][] = contenders.map(() => []);
  const last: ProcessRun[] = [];
  for (let i = 0; i < runs; i++) {
    for (const [k, c] of contenders.entries()) {
      const r = await runProcess(c.file, c.args, c.options);
      times[k]!.push(r.ms);
      if (r.peakMb !== undefined) peaks[k]!.push(r.peakMb);
      last[k] = r;
    }
  }
  return contenders.map((_, k) => ({
    ms: median(times[k]!),
    peakMb: peaks[k]!.length ? median(peaks[k]!) : undefined,
    last: last[k]!,
  }));
}

/** The one-minute load average, as text for a note. */
export function loadAverage(): string {
  return os.loadavg()[0]!.toFixed(1);
}

/** A run's output for comparisons, or why it failed. */
export function outcome(r: ProcessRun): string {
  return r.exitCode === 0 ? r.stdout.trimEnd() : `failed (exit ${r.exitCode}): ${r.stderr.trim().split('\n')[0] ?? ''}`;
}
