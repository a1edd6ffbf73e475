/**
 * Runs the real Nix 2.8 tools for the nixside tests, always against the test
 * package set (`-I nixpkgs=test/fixtures/nixpkgs`, which is the stand-in set in
 * nix/pkgs plus a few test packages). Calls are batched: a test file evaluates
 * or builds everything it needs in one process, so the suite stays fast.
 */
import { execa } from 'execa';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';

export const fixtureNixpkgs = join(packageRoot, 'test', 'fixtures', 'nixpkgs');
export const nixsideDir = join(packageRoot, 'test', 'nixside', 'nix');

/** No binary cache: everything here is built locally, and the network may be absent. */
const noSubstituters = ['--option', 'substituters', ''];

const searchPath = ['-I', `nixpkgs=${fixtureNixpkgs}`];

/** What a failed Nix command printed, for error tests. */
export interface NixFailure {
  exitCode: number | undefined;
  stderr: string;
}

/** `nix-instantiate --eval --strict --json` of an expression; its value. */
export async function evalJson(expr: string): Promise<unknown> {
  const { stdout } = await execa('nix-instantiate', [...searchPath, '--eval', '--strict', '--json', '-E', expr], {
    cwd: nixsideDir,
  });
  return JSON.parse(stdout);
}

/** Evaluates an expression that must fail; what Nix printed. */
export async function evalFailure(expr: string): Promise<NixFailure> {
  const result = await execa('nix-instantiate', [...searchPath, '--eval', '--strict', '-E', expr], {
    cwd: nixsideDir,
    reject: false,
  });
  if (result.exitCode === 0) throw new Error(`expected evaluation to fail, got ${result.stdout}`);
  return { exitCode: result.exitCode, stderr: result.stderr };
}

/**
 * Builds the given attributes of a Nix file with one nix-build and returns each
 * attribute's default output path (evaluated first, so that multi-output
 * packages map to one path each).
 */
export async function buildAttrs(file: string, attrs: string[]): Promise<Record<string, string>> {
  const paths = (await evalJson(
    `let set = import ${JSON.stringify(file)}; in { ${attrs
      .map((a) => `${JSON.stringify(a)} = set.${a}.outPath;`)
      .join(' ')} }`,
  )) as Record<string, string>;
  await execa('nix-build', [...searchPath, ...noSubstituters, '--no-out-link', file, ...attrs.flatMap((a) => ['-A', a])], {
    cwd: nixsideDir,
  });
  return paths;
}

/** Builds an attribute that must fail to build; what Nix printed. */
export async function buildFailure(file: string, attr: string): Promise<NixFailure> {
  const result = await execa('nix-build', [...searchPath, ...noSubstituters, '--no-out-link', file, '-A', attr], {
    cwd: nixsideDir,
    reject: false,
  });
  if (result.exitCode === 0) throw new Error(`expected ${attr} to fail to build, got ${result.stdout}`);
  return { exitCode: result.exitCode, stderr: result.stderr };
}

/** nix-build of a whole file (its top-level value); the output path. */
export async function buildFile(file: string): Promise<string> {
  const { stdout } = await execa('nix-build', [...searchPath, ...noSubstituters, '--no-out-link', file], {
    cwd: nixsideDir,
  });
  return stdout.trim().split('\n').at(-1)!;
}
