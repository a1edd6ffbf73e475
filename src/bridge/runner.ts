/**
 * Runs Nix's programs, with argv arrays (never a shell), synchronously: the
 * evaluator is synchronous, and some operations must finish during evaluation
 * (`builtins.readFile` of a built path builds it first, as Nix does). Every
 * run is counted, so tests can check that a build takes a small, constant
 * number of Nix processes.
 */
import { execaSync } from 'execa';
import { decodeBytes } from '../eval/value/bytes.js';

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
      try {
        const r = execaSync(program, [...args], {
          reject: false,
          env,
          stdin: 'ignore',
          stderr: options.progress ? ['pipe', 'inherit'] : 'pipe',
          maxBuffer: 1024 * 1024 * 1024,
          // Nix writes strings' bytes as they are: decoded as Nix strings are (value/bytes.ts).
          encoding: 'buffer',
        });
        const text = (b: unknown) => (b instanceof Uint8Array ? decodeBytes(b) : '');
        return { stdout: text(r.stdout), stderr: text(r.stderr), exitCode: r.exitCode ?? 1, signal: r.signal ?? undefined };
      } catch (e) {
        return { stdout: '', stderr: `error: cannot run ${program}: ${(e as Error).message}`, exitCode: 127 };
      }
    },
  };
}
