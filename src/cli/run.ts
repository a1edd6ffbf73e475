/**
 * Runs one `tsportable` command: finds it, parses its options from its
 * declaration, runs it, and turns a NixError into Nix-style output and
 * nix-build's exit codes (1, or 100 for a failed build). Any other exception
 * is a bug in tsportable and is reported as such, with its stack.
 *
 * Only the named command's module is loaded (commands/load.ts): loading every
 * command (the bridge, image building, execa) doubled the start-up time of
 * `tsportable eval`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isNixError, NixError } from '../eval/errors.js';
import { packageRoot } from '../paths.js';
import { io } from './command.js';
import { loadCommand } from './commands/load.js';
import { parseArgs, renderHelp, type ParsedArgs } from './options.js';
import { diagnostics } from '../eval/diagnostics.js';
import { errorToJSON, exitCodeFor, renderError, renderWarning } from './render.js';

function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

function report(err: NixError, args: ParsedArgs | undefined): number {
  if (args?.options.has('json')) io.stdout(JSON.stringify({ error: errorToJSON(err) }, null, 2) + '\n');
  else io.stderr(renderError(err, { showTrace: args?.options.has('show-trace') ?? false }));
  return exitCodeFor(err);
}

export async function main(argv: readonly string[]): Promise<number> {
  // Evaluation warnings (builtins.warn, lints, deprecations) with their code frames, as Nix shows them.
  diagnostics.warn = (w) => io.stderr(renderWarning(w, {}));
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout((await import('./main.js')).mainHelp());
    return name === undefined ? 1 : 0;
  }
  if (name === '--version') {
    io.stdout(`tsportable ${version()}\n`);
    return 0;
  }
  const command = await loadCommand(name);
  if (!command) return report(new NixError('usage', `unknown command '${name}'; see 'tsportable --help'`), undefined);
  let args: ParsedArgs | undefined;
  try {
    args = parseArgs(command.spec, rest);
    if (args.options.has('help')) {
      io.stdout(renderHelp(command.spec));
      return 0;
    }
    return await command.run(args);
  } catch (e) {
    if (isNixError(e)) return report(e, args);
    io.stderr(`tsportable: internal error (a bug in tsportable, please report it):\n${(e as Error)?.stack ?? String(e)}\n`);
    return 2;
  }
}

