/**
 * The test files of a nixpkgs lib checkout that run as one evaluation each,
 * with the output that means "every test passed": nixpkgs' own CI
 * (lib/tests/test-with-nix.nix, lib/path/tests/default.nix) runs them with
 * `nix-instantiate --eval --strict` and compares against these outputs.
 * The shell-driven suites (modules.sh, filesystem.sh, ...) are not here.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LibEvalRequest } from './libEval.js';

export interface LibSuite {
  /** Path of the test file inside the checkout, e.g. `lib/tests/misc.nix`. */
  readonly file: string;
  /** Outputs of a passing run (they changed across lib versions). */
  readonly passing: readonly string[];
  /** `--argstr` values the file's top-level function takes. */
  argstr?(checkout: string): Record<string, string>;
}

export const libSuites: readonly LibSuite[] = [
  { file: 'lib/tests/misc.nix', passing: ['[ ]'] },
  { file: 'lib/tests/systems.nix', passing: ['[ ]'] },
  { file: 'lib/tests/fetchers.nix', passing: ['[ ]'] },
  // Until late 2025 a string; since then lib.debug.throwTestFailures, which returns null.
  { file: 'lib/path/tests/unit.nix', passing: ['"Unit tests successful"', 'null'], argstr: (c) => ({ libpath: path.join(c, 'lib') }) },
];

/** The suites present in this checkout (older lib versions lack some files). */
export function suitesIn(checkout: string): LibSuite[] {
  return libSuites.filter((s) => fs.existsSync(path.join(checkout, s.file)));
}

export function suiteRequest(checkout: string, suite: LibSuite): LibEvalRequest {
  return { file: path.join(checkout, suite.file), argstr: suite.argstr?.(checkout), strict: true };
}

/** The checkout's lib files among `files` (LibEvalResult.filesRead): relative to lib/, distinct, sorted. */
export function libFilesRead(checkout: string, files: readonly string[] | undefined): string[] {
  const lib = path.join(checkout, 'lib');
  return [...new Set((files ?? []).filter((f) => f.startsWith(lib + path.sep)).map((f) => path.relative(lib, f)))].sort();
}

/** A nixpkgs lib checkout has lib/default.nix. */
export function isLibCheckout(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'lib', 'default.nix'));
}

/**
 * The laziness probe: `import <nixpkgs/lib>` and three functions, against
 * every attribute of lib forced (which imports nearly every lib file).
 * Left out, as their failure is one `tryEval` cannot catch: `maintainers`
 * and `teams` import files of the whole nixpkgs tree, absent from
 * nixpkgs.lib; `parseFlakeRef` and `flakeRefToString` (newest lib) are
 * builtins only with Nix's experimental `flakes` feature.
 */
export const lazinessProbes = {
  threeFunctions:
    'let lib = import <nixpkgs/lib>; in '
    + 'lib.concatMapStringsSep "," (x: x + "!") (lib.optionals true [ "a" "b" ]) + lib.optionalString true "c"',
  allOfLib:
    'let lib = import <nixpkgs/lib>; in builtins.length (builtins.filter '
    + '(n: !builtins.elem n [ "maintainers" "teams" "parseFlakeRef" "flakeRefToString" ] '
    + '&& (builtins.tryEval (builtins.seq lib.${n} true)).success) '
    + '(builtins.attrNames lib))',
} as const;
