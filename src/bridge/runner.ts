/**
 * Runs Nix's programs, with argv arrays (never a shell), synchronously: the
 * evaluator is synchronous, and some operations must finish during evaluation
 * (`builtins.readFile` of a built path builds it first, as Nix does). Every
 * run is counted, so tests can check that a build takes a small, constant
 * number of Nix processes. Node's spawnSync, not execa: loading execa costs
 * more than a cached rebuild's whole evaluation, and a synchronous run can
 * show Nix's progress only once it has ended anyway.
 */
import { spawnSync } from 'node:child_process';

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

export function createNixRunner(env: Record<string, string | undefined> = {}): NixRunner {
  const counts: Record<NixProgramName, number> = { 'nix-instantiate': 0, 'nix-store': 0 };
  return {
    counts,
    run(program, args, options = {}) {
      counts[program]++;
      const r = spawnSync(program, [...args], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 1024 * 1024 * 1024,
      });
      if (r.error !== undefined && r.status === null) {
        return { stdout: '', stderr: `error: cannot run ${program}: ${r.error.message}`, exitCode: 127 };
      }
      const stdout = withoutFinalNewline(r.stdout.toString('utf8'));
      const stderr = withoutFinalNewline(r.stderr.toString('utf8'));
      // Nix's own progress and messages, on the terminal too.
      if (options.progress && stderr) process.stderr.write(`${stderr}\n`);
      return { stdout, stderr, exitCode: r.status ?? 1, signal: r.signal ?? undefined };
    },
  };
}

function withoutFinalNewline(s: string): string {
  return s.endsWith('\r\n') ? s.slice(0, -2) : s.endsWith('\n') ? s.slice(0, -1) : s;
}
