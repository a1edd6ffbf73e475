/**
 * Programs put first in PATH to watch what the CLI runs: each shim appends
 * one line (its name and arguments) to a log, then either runs the real
 * program (to count processes without changing behaviour) or fails (to prove
 * a command needs no Nix at all). The real program is found on PATH when the
 * shim is made, so the shim never calls itself.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';

export const nixPrograms = ['nix', 'nix-build', 'nix-instantiate', 'nix-store', 'nix-env', 'nix-hash', 'nix-prefetch-url', 'nix-shell'] as const;

export interface Shims {
  readonly dir: string;
  /** PATH with the shims first. */
  readonly path: string;
  /** One entry per call: the program's name followed by its arguments. */
  calls(): Promise<string[][]>;
}

async function realProgram(name: string): Promise<string> {
  const { stdout } = await execa('sh', ['-c', 'command -v "$1"', 'sh', name]);
  return stdout.trim();
}

/** Writes shims for `programs` into `dir` (which must exist), logging to dir/calls.log. */
export async function makeShims(dir: string, programs: readonly string[], behaviour: 'pass-through' | 'fail'): Promise<Shims> {
  const log = join(dir, 'calls.log');
  await writeFile(log, '');
  for (const name of programs) {
    const tail = behaviour === 'fail'
      ? `echo "${name}: not allowed in this test" >&2\nexit 99\n`
      : `exec '${await realProgram(name)}' "$@"\n`;
    // Arguments are written tab-separated so the test can split them back.
    const script = `#!/bin/sh\n{ printf '%s' '${name}'; for a in "$@"; do printf '\\t%s' "$a"; done; printf '\\n'; } >> '${log}'\n${tail}`;
    const file = join(dir, name);
    await writeFile(file, script);
    await chmod(file, 0o755);
  }
  return {
    dir,
    path: `${dir}${delimiter}${process.env.PATH ?? ''}`,
    async calls() {
      const text = await readFile(log, 'utf8');
      return text.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
    },
  };
}
