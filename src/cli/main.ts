/**
 * The `tsportable` command line's help and reference: every command's
 * declaration, loaded at once. Running a command goes through run.ts, which
 * loads only that command's module (start-up time of `tsportable eval`).
 */
import { commands } from './commands/index.js';
import { renderHelp } from './options.js';

export { main } from './run.js';

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

/** docs/cli.md: every command's --help, so the docs are the help. */
export function cliReference(): string {
  const parts = ['# tsportable command reference', '', 'Generated from the commands\' own `--help` (test/cli/docs.test.ts keeps it current).', '', '```', mainHelp().trimEnd(), '```'];
  for (const c of commands) parts.push('', `## tsportable ${c.spec.name}`, '', '```', renderHelp(c.spec).trimEnd(), '```');
  return parts.join('\n') + '\n';
}
