/** `tsportable eval`: evaluates a Nix file or expression as `nix-instantiate --eval` does. */
import { printExpr } from '../../eval/syntax/print.js';
import { evalRoot } from '../autoArgs.js';
import { io, type Command } from '../command.js';
import { isTerminal } from '../../stdio.js';
import { openSession, selectFlakeOutput, type Session } from '../session.js';
import { nixEvalOutput } from '../../flake/index.js';
import { evalInputOptions, jsonOption, readEvalInput, type EvalInput } from '../evalInput.js';
import { showRealPaths, withRealPaths, withRealPathsEach } from '../realPaths.js';
import { optFlag, optString, usageError, type OptionSpec, type ParsedArgs } from '../options.js';
import { LINT_NAMES, lintSettings } from '../../eval/syntax/lint.js';
import { applyNixOptions, optionOption, parseDiagnose } from '../nixOptions.js';

const LINT_DESCRIPTIONS: Record<(typeof LINT_NAMES)[number], string> = {
  'lint-url-literals': 'Unquoted URLs (http://x): ignore (default), warn or fatal.',
  'lint-short-path-literals': "Relative paths without './' (foo/bar): ignore (default), warn or fatal.",
  'lint-absolute-path-literals': 'Absolute and ~/ path literals: ignore (default), warn or fatal.',
};

/** Current Nix's parser lint settings, as options taking ignore|warn|fatal. */
const lintOptions: OptionSpec[] = LINT_NAMES.map((name) => ({ long: `--${name}`, values: ['LEVEL'], description: LINT_DESCRIPTIONS[name] }));

/** Applies the lint options (process-wide, as Nix's settings; after `--option`, which they override). */
function setUpDiagnostics(args: ParsedArgs): void {
  for (const name of LINT_NAMES) {
    const level = optString(args, name);
    if (level === undefined) continue;
    try {
      lintSettings[name] = parseDiagnose(name, level);
    } catch (e) {
      throw usageError((e as Error).message);
    }
  }
}

export const evalCommand: Command = {
  spec: {
    name: 'eval',
    summary: 'Evaluate a Nix file or expression and print the result, as nix-instantiate --eval does.',
    positional: '[FILE | FLAKE#ATTR]',
    maxPositional: 1,
    description: [
      'FILE defaults to ./default.nix. A top-level function is called only when --arg/--argstr',
      'are given or an -A path goes through it; its defaults fill the other arguments.',
      'Paths in --arg expressions and -I entries are relative to the working directory.',
      'A flake installable (.#attr, DIR#attr, path:DIR#attr) is evaluated as nix eval does (in full).',
    ].join('\n'),
    options: [
      { long: '--expr', short: '-E', values: ['EXPR'], description: 'Evaluate EXPR instead of a file.' },
      ...evalInputOptions,
      { long: '--strict', description: 'Evaluate the result deeply (lists and attribute sets included).' },
      { ...jsonOption, description: 'Print the result as JSON, as nix-instantiate --eval --json does (an error goes to stderr only).' },
      { long: '--parse', description: 'Only parse: print the expression as nix-instantiate --parse does.' },
      ...lintOptions,
      optionOption,
    ],
  },
  async run(args) {
    const input = readEvalInput(args, { defaultFile: true });
    const nix = applyNixOptions(args);
    setUpDiagnostics(args);
    if (input.flake && optFlag(args, 'parse')) throw usageError("'--parse' takes a Nix file, not a flake");
    // The bridge too: `import <nixpkgs> {}` and store paths work as with nix-instantiate.
    const session = openSession(input, { progress: isTerminal('stderr') && !optFlag(args, 'json'), nix });
    // The printed value, errors, traces and warnings name derivations by their real paths, as Nix's do.
    const realPaths = showRealPaths(session.bridge);
    try {
      printResults(args, input, session);
      return 0;
    } catch (e) {
      throw realPaths.inError(e);
    } finally {
      realPaths.end();
    }
  },
};

/** The value (or the values of the -A paths) printed, one a line. */
function printResults(args: ParsedArgs, input: EvalInput, session: Session): void {
  const { ev, autoArgs } = session;
  if (input.flake) {
    // As `nix eval FLAKE#attr`: the output the fragment names, printed in full.
    const { value } = selectFlakeOutput(session, input);
    io.stdout(withRealPaths(session.bridge, nixEvalOutput(ev, value, optFlag(args, 'json'))) + '\n');
    return;
  }
  if (optFlag(args, 'parse')) {
    const expr = input.file !== undefined ? ev.parseFile(input.file) : ev.parse(input.expr!, '«string»', input.cwd);
    io.stdout(printExpr(expr) + '\n');
    return;
  }
  const root = evalRoot(ev, input);
  const json = optFlag(args, 'json');
  const strict = optFlag(args, 'strict');
  for (const attrPath of input.attrPaths.length ? input.attrPaths : ['']) {
    let v = attrPath === '' ? root : ev.selectAttrPath(root, attrPath, autoArgs);
    if (autoArgs.size > 0) v = ev.autoCall(v, autoArgs);
    if (json) {
      io.stdout(withRealPaths(session.bridge, ev.toJSON(v)) + '\n');
      continue;
    }
    // Written chunk by chunk: a large value (a generated file prints 20 MB) is never joined into one text.
    for (const chunk of withRealPathsEach(session.bridge, ev.printValueChunks(v, { strict }))) io.stdout(chunk);
    io.stdout('\n');
  }
}

