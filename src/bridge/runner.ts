/**
 * Runs Nix's programs, with argv arrays (never a shell). Synchronously for
 * what evaluation needs at once (the evaluator is synchronous: a
 * `builtins.readFile` of a built path builds it first, as Nix does), and
 * asynchronously for the steps a command awaits (a build's realisation):
 * those can show Nix's output line by line as it comes and be interrupted.
 * Every run is counted, so tests can check that a build takes a small,
 * constant number of Nix processes. The user's `--option NAME VALUE`s
 * (src/cli/nixOptions.ts) are given to every run, as nix-build gives its own
 * to the store it talks to. Synchronous runs use Node's spawnSync, not
 * execa: loading execa costs more than a cached rebuild's whole evaluation,
 * and a synchronous run can show Nix's output only once it has ended anyway.
 */
import { spawnSync } from 'node:child_process';
import { execa, type Options } from 'execa';
import { decodeBytes } from '../eval/value/bytes.js';
import { writeOutput } from '../stdio.js';

export type NixProgramName = 'nix-instantiate' | 'nix-store';

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  /** The signal that ended the process, if one did (`SIGKILL`). */
  readonly signal?: string;
  /** True when the run was stopped by its AbortSignal. */
  readonly canceled?: boolean;
}

export interface RunOptions {
  /** Also show the program's stderr on the terminal while it runs. */
  readonly progress?: boolean;
  /**
   * The program's standard input (none without it): the programs the bridge
   * and the flake code write for `nix-instantiate --eval -`, which leave no
   * file behind when the run is cut short.
   */
  readonly input?: Uint8Array;
}

export interface AsyncRunOptions extends RunOptions {
  /** Each line of stderr as it comes; stderr is then not shown directly. */
  readonly onStderrLine?: (line: string) => void;
  /** Stops the program (SIGTERM: Nix then stops its builds and cleans up). */
  readonly signal?: AbortSignal;
}

export interface NixRunner {
  run(program: NixProgramName, args: readonly string[], options?: RunOptions): RunResult;
  /** Optional: a runner without it (the language server's) serves asynchronous steps with `run`. */
  runAsync?(program: NixProgramName, args: readonly string[], options?: AsyncRunOptions): Promise<RunResult>;
  /** How many processes were started, per program. */
  readonly counts: Readonly<Record<NixProgramName, number>>;
}

const maxBuffer = 1024 * 1024 * 1024;

/**
 * `env`: added to the environment of every run; `commonArgs`: put before the
 * arguments of every run (`--option NAME VALUE`, which every Nix program takes).
 */
export function createNixRunner(env: Record<string, string | undefined> = {}, commonArgs: readonly string[] = []): NixRunner {
  const counts: Record<NixProgramName, number> = { 'nix-instantiate': 0, 'nix-store': 0 };
  const cannotRun = (program: string, e: unknown): RunResult => ({ stdout: '', stderr: `error: cannot run ${program}: ${(e as Error).message}`, exitCode: 127 });
  return {
    counts,
    run(program, args, options = {}) {
      counts[program]++;
      const r = spawnSync(program, [...commonArgs, ...args], {
        env: { ...process.env, ...env },
        stdio: [options.input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
        input: options.input,
        maxBuffer,
      });
      if (r.error !== undefined && r.status === null && r.signal === null) return cannotRun(program, r.error);
      // Nix writes strings' bytes as they are: decoded as Nix strings are (value/bytes.ts).
      const stdout = decodeBytes(withoutFinalNewline(r.stdout));
      const stderr = decodeBytes(withoutFinalNewline(r.stderr));
      // Nix's own output, on the terminal too.
      if (options.progress && stderr) writeOutput('stderr', `${stderr}\n`);
      return { stdout, stderr, exitCode: r.status ?? 1, signal: r.signal ?? undefined };
    },
    async runAsync(program, args, options = {}) {
      counts[program]++;
      const onLine = options.onStderrLine;
      // Each line to onLine as it comes (execa's line transform), and kept for the error message.
      const stderr: Options['stderr'] = onLine
        ? [function* (line: unknown) { onLine(String(line)); yield line; }, 'pipe']
        : options.progress ? ['pipe', 'inherit'] : 'pipe';
      try {
        const child = execa(program, [...commonArgs, ...args], {
          reject: false,
          env,
          ...(options.input ? { input: options.input } : { stdin: 'ignore' as const }),
          stderr,
          maxBuffer,
          cancelSignal: options.signal,
        });
        const r = await child;
        if (r.failed && r.exitCode === undefined && !r.isCanceled && !r.signal) return cannotRun(program, new Error(r.shortMessage));
        return {
          stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? 1,
          signal: r.signal ?? undefined, canceled: r.isCanceled,
        };
      } catch (e) {
        return cannotRun(program, e);
      }
    },
  };
}

/** Without one final line ending (LF or CR LF), as execa gives output. */
function withoutFinalNewline(b: Buffer): Buffer {
  if (b.at(-1) !== 0x0a) return b;
  return b.subarray(0, b.at(-2) === 0x0d ? -2 : -1);
}
