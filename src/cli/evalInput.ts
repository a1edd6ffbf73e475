/**
 * What `eval`, `build` and `show` share: where the expression comes from (a
 * file or `-E`), the attribute paths (`-A`), the automatic arguments (`--arg`,
 * `--argstr`) and the search path (`-I`, then NIX_PATH), read with the rules
 * of nix-instantiate and nix-build.
 */
import { isAbsolute, resolve } from 'node:path';
import { isUrl, splitNixPath } from '../eval/searchPath.js';
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
const includeOption: OptionSpec = {
  long: '--include', short: '-I', values: ['PATH'], repeatable: true,
  description: 'Add PATH (or NAME=PATH) to the search path for <...> lookups, before NIX_PATH.',
};
const showTraceOption: OptionSpec = {
  long: '--show-trace', description: 'Show the whole trace of what was being evaluated when an error occurs.',
};
export const jsonOption: OptionSpec = { long: '--json', description: 'Print the result as JSON.' };
/** What `--json` does with an error, for the commands whose spec sets `jsonErrors`. */
export const jsonErrorsNote = 'An error is rendered on stderr and also printed on stdout as {"error": ...} (docs/error.schema.json).';

export const evalInputOptions: readonly OptionSpec[] = [attrOption, argOption, argstrOption, includeOption, showTraceOption];

export type AutoArg = { readonly name: string; readonly expr: string } | { readonly name: string; readonly str: string };

export interface EvalInput {
  /** Absolute path of the file to evaluate, when not `-E`. */
  readonly file?: string;
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
  if (expr === undefined) {
    if (first !== undefined) file = resolve(cwd, first);
    else if (rules.defaultFile) file = resolve(cwd, 'default.nix');
    else throw usageError('no file or expression given');
  }
  const autoArgs: AutoArg[] = [
    ...optTuples(args, 'arg').map(([name, e]) => ({ name: name!, expr: e! })),
    ...optTuples(args, 'argstr').map(([name, s]) => ({ name: name!, str: s! })),
  ];
  return {
    file,
    expr,
    attrPaths: optStrings(args, 'attr'),
    autoArgs,
    searchPath: searchPathFrom(optStrings(args, 'include'), process.env.NIX_PATH, cwd),
    showTrace: optFlag(args, 'show-trace'),
    cwd,
  };
}
