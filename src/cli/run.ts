/**
 * Runs one `tsportable` command: finds it, parses its options from its
 * declaration, runs it, and turns a NixError into Nix-style output on stderr
 * and nix-build's exit codes (1, or 100 for a failed build). Usage errors end
 * with Nix's pointer to `--help`. Any other exception is a bug in tsportable
 * and is reported as such, with its stack (exit 2).
 *
 * Only the named command's module is loaded (commands/load.ts): loading every
 * command (the bridge, image building, execa) doubled the start-up time of
 * `tsportable eval`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isNixError, NixError } from '../eval/errors.js';
import { didYouMean } from '../eval/value/attrs.js';
import { packageRoot } from '../paths.js';
import { io } from './command.js';
import { commandNames, loadCommand } from './commands/load.js';
import { isCommandLineError, parseArgs, renderHelp, usageError, type CommandSpec, type ParsedArgs } from './options.js';
import { diagnostics } from '../eval/diagnostics.js';
import { errorToJSON, exitCodeFor, renderError, renderWarning } from './render.js';

function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The error on stderr as Nix renders it, whatever the flags; with `--json`,
 * commands that declare `jsonErrors` also print it on stdout as data.
 */
function report(err: NixError, spec: CommandSpec | undefined, argv: readonly string[], args: ParsedArgs | undefined): number {
  io.stderr(renderError(err, { showTrace: args?.options.has('show-trace') ?? false }));
  if (isCommandLineError(err)) io.stderr(`Try 'tsportable${spec ? ` ${spec.name}` : ''} --help' for more information.\n`);
  // Asked of the words too: a command line that does not parse still asked for JSON.
  const end = argv.indexOf('--');
  const json = args ? args.options.has('json') : (end < 0 ? argv : argv.slice(0, end)).includes('--json');
  if (spec?.jsonErrors && json) io.stdout(JSON.stringify({ error: errorToJSON(err) }, null, 2) + '\n');
  return exitCodeFor(err);
}

function unknownCommand(name: string): NixError {
  const err = usageError(`'${name}' is not a recognised command`);
  const hint = didYouMean(name, [...commandNames, 'help', 'version'].sort());
  if (hint) err.hints.push(hint);
  return err;
}

export async function main(argv: readonly string[]): Promise<number> {
  // Evaluation warnings (builtins.warn, lints, deprecations) with their code frames, as Nix shows them.
  diagnostics.warn = (w) => io.stderr(renderWarning(w, {}));
  const [name, ...rest] = argv;
  const mainHelp = async () => (await import('./main.js')).mainHelp();
  // Alone, tsportable says how to use it where errors go, and fails: it was not asked for anything.
  if (name === undefined) {
    io.stderr(await mainHelp());
    return 1;
  }
  if (name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    io.stdout(await mainHelp());
    return 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout(`tsportable ${version()}\n`);
    return 0;
  }
  // `tsportable help build` is `tsportable build --help`.
  const [commandName, commandArgs] = name === 'help' ? [rest[0]!, ['--help']] : [name, rest];
  const command = await loadCommand(commandName);
  if (!command) return report(unknownCommand(commandName), undefined, [], undefined);
  let args: ParsedArgs | undefined;
  try {
    args = parseArgs(command.spec, commandArgs);
    if (args.options.has('help')) {
      io.stdout(renderHelp(command.spec));
      return 0;
    }
    return await command.run(args);
  } catch (e) {
    if (isNixError(e)) return report(e, command.spec, commandArgs, args);
    io.stderr(`tsportable: internal error (a bug in tsportable, please report it):\n${(e as Error)?.stack ?? String(e)}\n`);
    return 2;
  }
}
