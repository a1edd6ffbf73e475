/**
 * Runs Nix's programs, with argv arrays (never a shell), synchronously: the
 * evaluator is synchronous, and some operations must finish during evaluation
 * (`builtins.readFile` of a built path builds it first, as Nix does). Every
 * run is counted, so tests can check that a build takes a small, constant
 * number of Nix processes. The user's `--option NAME VALUE`s (src/cli/
 * nixOptions.ts) are given to every run, as nix-build gives its own to the
 * store it talks to.
 */
import { execaSync } from 'execa';

export type NixProgramName = 'nix-instantiate' | 'nix-store';

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  /** The signal that ended the process, if one did (`SIGKILL`). */
  readonly signal?: string;
}

export interface NixRunner {
  /** `progress`: also show the program's stderr on the terminal while it runs. */
  run(program: NixProgramName, args: readonly string[], options?: { progress?: boolean }): RunResult;
  /** How many processes were started, per program. */
  readonly counts: Readonly<Record<NixProgramName, number>>;
}

/**
 * `env`: added to the environment of every run; `commonArgs`: put before the
 * arguments of every run (`--option NAME VALUE`, which every Nix program takes).
 */
export function createNixRunner(env: Record<string, string | undefined> = {}, commonArgs: readonly string[] = []): NixRunner {
  const counts: Record<NixProgramName, number> = { 'nix-instantiate': 0, 'nix-store': 0 };
  return {
    counts,
    run(program, args, options = {}) {
      counts[program]++;
      try {
        const r = execaSync(program, [...commonArgs, ...args], {
          reject: false,
          env,
          stdin: 'ignore',
          stderr: options.progress ? ['pipe', 'inherit'] : 'pipe',
          maxBuffer: 1024 * 1024 * 1024,
        });
        return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? 1, signal: r.signal ?? undefined };
      } catch (e) {
        return { stdout: '', stderr: `error: cannot run ${program}: ${(e as Error).message}`, exitCode: 127 };
      }
    },
  };
}
