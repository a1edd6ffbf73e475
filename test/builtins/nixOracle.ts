/**
 * Real Nix as the oracle for the builtins tests. Cases are batched: one
 * `nix-instantiate --eval --strict --json` evaluates a set of many named
 * expressions, so a test file costs one process, not one per case. Failing
 * expressions cannot share a batch (the first error stops Nix), so
 * `nixErrors` runs those one by one and returns the final `error:` line.
 * The source goes to Nix's stdin as bytes, so that cases may hold bytes that
 * are not UTF-8 (lone surrogates U+DC80–U+DCFF, src/eval/value/bytes.ts).
 */
import { execa } from 'execa';
import { decodeBytes, encodeBytes } from '../../src/eval/value/bytes.js';

/** Names a case by its index; Nix sorts attribute names, the index keeps them stable. */
const key = (i: number) => `c${String(i).padStart(4, '0')}`;

/** Evaluates each expression with Nix; returns their JSON values in order. */
export async function nixJsonBatch(exprs: readonly string[], extraArgs: readonly string[] = []): Promise<unknown[]> {
  const body = exprs.map((e, i) => `${key(i)} = (${e});`).join('\n');
  const r = await execa('nix-instantiate', [...extraArgs, '--eval', '--strict', '--json', '-'], {
    env: { NIX_PATH: '' },
    input: encodeBytes(`{\n${body}\n}`),
    encoding: 'buffer',
    reject: false,
  });
  if (r.exitCode !== 0) throw new Error(`nix-instantiate failed:\n${decodeBytes(r.stderr)}`);
  const stdout = decodeBytes(r.stdout);
  const obj = JSON.parse(stdout) as Record<string, unknown>;
  return exprs.map((_, i) => obj[key(i)]);
}

/** The raw JSON text Nix prints for one expression (to compare number and escape formatting). */
export async function nixJsonText(expr: string): Promise<string> {
  const { stdout } = await execa('nix-instantiate', ['--eval', '--strict', '--json', '-E', `builtins.toJSON (${expr})`]);
  return JSON.parse(stdout) as string;
}

/** The final "error: ..." line of Nix's output for each failing expression. */
export async function nixErrors(exprs: readonly string[]): Promise<string[]> {
  return Promise.all(exprs.map(async (e) => {
    const r = await execa('nix-instantiate', ['--eval', '--strict', '-'], { reject: false, input: encodeBytes(e), encoding: 'buffer' });
    if (r.exitCode === 0) return `(no error: ${decodeBytes(r.stdout)})`;
    const stderr = decodeBytes(r.stderr);
    const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('error:'));
    return lines[lines.length - 1] ?? stderr;
  }));
}
