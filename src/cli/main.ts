/**
 * The `tsportable` command line: finds the command, parses its options from
 * its declaration, runs it, and turns a NixError into Nix-style output and
 * nix-build's exit codes (1, or 100 for a failed build). Any other exception
 * is a bug in tsportable and is reported as such, with its stack.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isNixError, NixError } from '../eval/errors.js';
import { packageRoot } from '../paths.js';
import { io } from './command.js';
import { commands } from './commands/index.js';
import { parseArgs, renderHelp, type ParsedArgs } from './options.js';
import { errorToJSON, exitCodeFor, renderError } from './render.js';

function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The top-level `--help`; also the head of docs/cli.md. */
export function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.spec.name.length)) + 2;
  return [
    'Usage: tsportable <command> [options]',
    '',
    "Builds systemd portable-service images from Nix files written for nixpkgs' pkgs.portableService.",
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.spec.name.padEnd(width)}${c.spec.summary}`),
    '',
    'Options:',
    '  -h, --help     Show this help and exit.',
    '  --version      Print the version and exit.',
    '',
    "Run 'tsportable <command> --help' for a command's options.",
    '',
  ].join('\n');
}

function report(err: NixError, args: ParsedArgs | undefined): number {
  if (args?.options.has('json')) io.stdout(JSON.stringify({ error: errorToJSON(err) }, null, 2) + '\n');
  else io.stderr(renderError(err, { showTrace: args?.options.has('show-trace') ?? false }));
  return exitCodeFor(err);
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainHelp());
    return name === undefined ? 1 : 0;
  }
  if (name === '--version') {
    io.stdout(`tsportable ${version()}\n`);
    return 0;
  }
  const command = commands.find((c) => c.spec.name === name);
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

/** docs/cli.md: every command's --help, so the docs are the help. */
export function cliReference(): string {
  const parts = ['# tsportable command reference', '', 'Generated from the commands\' own `--help` (test/cli/docs.test.ts keeps it current).', '', '```', mainHelp().trimEnd(), '```'];
  for (const c of commands) parts.push('', `## tsportable ${c.spec.name}`, '', '```', renderHelp(c.spec).trimEnd(), '```');
  return parts.join('\n') + '\n';
}
