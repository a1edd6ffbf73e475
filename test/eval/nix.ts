/**
 * Running the real nix-instantiate for the evaluator's differential tests,
 * batched: many expressions in one list, one process for the printed form and
 * one for --json; failing expressions one process each (in parallel), since
 * the first error stops Nix.
 *
 * Expressions are Nix strings' canonical form (src/eval/value/bytes.ts): a
 * lone surrogate U+DC80–U+DCFF is a byte that is not UTF-8. So that such
 * bytes reach Nix, the source goes to Nix's stdin (`-` reads it, relative
 * paths still meaning the working directory) as bytes, and Nix's output is
 * decoded the same way.
 */
import { execa } from 'execa';
import { decodeBytes, encodeBytes } from '../../src/eval/value/bytes.js';

const ENV = { NIX_PATH: '' };

async function instantiate(args: readonly string[], expr: string, cwd: string, reject = true) {
  const r = await execa('nix-instantiate', [...args, '-'], { cwd, env: ENV, input: encodeBytes(expr), encoding: 'buffer', reject });
  return { exitCode: r.exitCode, stdout: decodeBytes(r.stdout).trimEnd(), stderr: decodeBytes(r.stderr) };
}

export async function nixPrint(expr: string, cwd: string): Promise<string> {
  return (await instantiate(['--eval', '--strict'], expr, cwd)).stdout;
}

export async function nixJson(expr: string, cwd: string): Promise<unknown> {
  return JSON.parse((await instantiate(['--eval', '--strict', '--json'], expr, cwd)).stdout);
}

/** For each expression: undefined if Nix evaluates it, else its last "error:" line. */
export async function nixFailures(exprs: readonly string[], cwd: string): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = [];
  const width = 8;
  for (let i = 0; i < exprs.length; i += width) {
    const batch = await Promise.all(exprs.slice(i, i + width).map(async (e) => {
      const r = await instantiate(['--eval', '--strict'], e, cwd, false);
      if (r.exitCode === 0) return undefined;
      const lines = r.stderr.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('error:'));
      return lines[lines.length - 1] ?? r.stderr;
    }));
    out.push(...batch);
  }
  return out;
}
