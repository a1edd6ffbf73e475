/**
 * What `eval`, `build` and `show` share: where the expression comes from (a
 * file, `-E`, or a flake installable `FLAKE#attr`), the attribute paths
 * (`-A`), the automatic arguments (`--arg`, `--argstr`) and the search path
 * (`-I`, then NIX_PATH), read with the rules of nix-instantiate and nix-build,
 * and for flakes those of `nix build` (`--override-input`, `--impure`).
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { isUrl, splitNixPath } from '../eval/searchPath.js';
import { isFlakeArgument, parseInstallable, type FlakeInstallable } from '../flake/index.js';
import { io } from './command.js';
import type { OptionSpec, ParsedArgs } from './options.js';
import { optFlag, optString, optStrings, optTuples, usageError } from './options.js';

const attrOption: OptionSpec = {
  long: '--attr', short: '-A', values: ['ATTRPATH'], repeatable: true,
  description: 'Select an attribute from the top-level value (a.b.c; list elements by index).',
};
const argOption: OptionSpec = {
  long: '--arg', values: ['NAME', 'EXPR'], repeatable: true,
  description: 'Pass the Nix expression EXPR as argument NAME when the top-level value is a function.',
};
const argstrOption: OptionSpec = {
  long: '--argstr', values: ['NAME', 'STRING'], repeatable: true,
  description: 'Pass the string STRING as argument NAME when the top-level value is a function.',
};
export const includeOption: OptionSpec = {
  long: '--include', short: '-I', values: ['PATH'], repeatable: true,
  description: 'Add PATH (or NAME=PATH) to the search path for <...> lookups, before NIX_PATH.',
};
const showTraceOption: OptionSpec = {
  long: '--show-trace', description: 'Show the whole trace of what was being evaluated when an error occurs.',
};
export const overrideInputOption: OptionSpec = {
  long: '--override-input', values: ['INPUT', 'FLAKEREF'], repeatable: true,
  description: "Flakes: use FLAKEREF (a directory, or path:DIR) for input INPUT ('a/b': input b of input a) instead of the lock file's.",
};
const impureOption: OptionSpec = {
  long: '--impure', description: 'Flakes: evaluate impurely (NIX_PATH, builtins.currentSystem, getEnv), as nix build --impure.',
};
export const jsonOption: OptionSpec = { long: '--json', description: 'Print the result as JSON.' };
/** What `--json` does with an error, for the commands whose spec sets `jsonErrors`. */
export const jsonErrorsNote = 'An error is rendered on stderr and also printed on stdout as {"error": ...} (docs/error.schema.json).';

export const evalInputOptions: readonly OptionSpec[] = [
  attrOption, argOption, argstrOption, includeOption, showTraceOption, overrideInputOption, impureOption,
];

export type AutoArg = { readonly name: string; readonly expr: string } | { readonly name: string; readonly str: string };

export interface EvalInput {
  /** Absolute path of the file to evaluate, when not `-E` nor a flake. */
  readonly file?: string;
  /** The flake installable (`.#attr`, `path:DIR#attr`, a directory holding flake.nix). */
  readonly flake?: FlakeInstallable;
  /** `--override-input INPUT FLAKEREF`, in order. */
  readonly overrideInputs: readonly (readonly [string, string])[];
  /** `--impure`: a flake is evaluated in pure mode unless it is given. */
  readonly impure: boolean;
  /** The expression given with `-E`. */
  readonly expr?: string;
  readonly attrPaths: readonly string[];
  readonly autoArgs: readonly AutoArg[];
  /** `-I` entries, then NIX_PATH's, each `PATH` or `NAME=PATH`, relative paths made absolute. */
  readonly searchPath: readonly string[];
  readonly showTrace: boolean;
  readonly cwd: string;
}

/** Makes the path part of a search-path entry absolute (URLs are left alone). */
function absoluteEntry(entry: string, cwd: string): string {
  const eq = entry.indexOf('=');
  const [prefix, path] = eq >= 0 ? [entry.slice(0, eq + 1), entry.slice(eq + 1)] : ['', entry];
  if (path === '' || isUrl(path) || isAbsolute(path)) return entry;
  return prefix + resolve(cwd, path);
}

export { splitNixPath };

export function searchPathFrom(includes: readonly string[], nixPath: string | undefined, cwd: string): string[] {
  return [...includes, ...splitNixPath(nixPath)].map((e) => absoluteEntry(e, cwd));
}

export interface InputRules {
  /** nix-build and nix-instantiate read ./default.nix when no file is named. */
  readonly defaultFile: boolean;
}

export function readEvalInput(args: ParsedArgs, rules: InputRules, cwd = process.cwd()): EvalInput {
  const expr = optString(args, 'expr');
  const [first] = args.positional;
  if (expr !== undefined && first !== undefined) throw usageError(`'-E' takes the expression; unexpected argument '${first}'`);
  let file: string | undefined;
  let flake: FlakeInstallable | undefined;
  const notice = (m: string) => io.stderr(`${m}\n`);
  if (expr === undefined) {
    if (first !== undefined && isFlakeArgument(first, cwd)) flake = parseInstallable(first, cwd, notice);
    else if (first !== undefined) file = resolve(cwd, first);
    // Without a file, ./default.nix as nix-build reads it; a flake's directory without one is that flake.
    else if (rules.defaultFile && !existsSync(join(cwd, 'default.nix')) && existsSync(join(cwd, 'flake.nix'))) flake = parseInstallable('.', cwd, notice);
    else if (rules.defaultFile) file = resolve(cwd, 'default.nix');
    else throw usageError('no file or expression given');
  }
  const autoArgs: AutoArg[] = [
    ...optTuples(args, 'arg').map(([name, e]) => ({ name: name!, expr: e! })),
    ...optTuples(args, 'argstr').map(([name, s]) => ({ name: name!, str: s! })),
  ];
  const overrideInputs = optTuples(args, 'override-input').map(([name, ref]) => [name!, ref!] as const);
  if (flake) {
    // As nix build refuses them: a flake's outputs take no arguments.
    if (autoArgs.length) throw usageError("'--arg' and '--argstr' are incompatible with flakes");
    if (optStrings(args, 'attr').length) throw usageError(`'-A' does not apply to a flake: name the attribute after '#' (e.g. '.#a.b')`);
  } else if (overrideInputs.length) {
    throw usageError("'--override-input' applies to flakes only (FLAKE#ATTR, e.g. '.#default')");
  }
  return {
    file,
    flake,
    overrideInputs,
    impure: optFlag(args, 'impure'),
    expr,
    attrPaths: optStrings(args, 'attr'),
    autoArgs,
    searchPath: searchPathFrom(optStrings(args, 'include'), process.env.NIX_PATH, cwd),
    showTrace: optFlag(args, 'show-trace'),
    cwd,
  };
}
