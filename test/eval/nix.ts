/**
 * Running the real nix-instantiate for the evaluator's differential tests,
 * batched: many expressions in one list, one process for the printed form and
 * one for --json; failing expressions one process each (in parallel), since
 * the first error stops Nix.
 */
import { execa } from 'execa';

const ENV = { NIX_PATH: '' };

export async function nixPrint(expr: string, cwd: string): Promise<string> {
  const { stdout } = await execa('nix-instantiate', ['--eval', '--strict', '-E', expr], { cwd, env: ENV });
  return stdout;
}

export async function nixJson(expr: string, cwd: string): Promise<unknown> {
  const { stdout } = await execa('nix-instantiate', ['--eval', '--strict', '--json', '-E', expr], { cwd, env: ENV });
  return JSON.parse(stdout);
}

/** For each expression: undefined if Nix evaluates it, else its last "error:" line. */
export async function nixFailures(exprs: readonly string[], cwd: string): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = [];
  const width = 8;
  for (let i = 0; i < exprs.length; i += width) {
    const batch = await Promise.all(exprs.slice(i, i + width).map(async (e) => {
      const r = await execa('nix-instantiate', ['--eval', '--strict', '-E', e], { cwd, env: ENV, reject: false });
      if (r.exitCode === 0) return undefined;
      const lines = r.stderr.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('error:'));
      return lines[lines.length - 1] ?? r.stderr;
    }));
    out.push(...batch);
  }
  return out;
}
