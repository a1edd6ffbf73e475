/**
 * The `tsportable` command line's help and reference: every command's
 * declaration, loaded at once. Running a command goes through run.ts, which
 * loads only that command's module (start-up time of `tsportable eval`).
 */
import { commands } from './commands/index.js';
import { renderHelp } from './options.js';

export { main } from './run.js';

/** What each exit code means, for every command (nix-build's 1 and 100, and the usual 2 and 130). */
export const exitCodes: readonly (readonly [number, string])[] = [
  [0, 'success'],
  [1, 'an evaluation error or a usage error (and inspect: an image that fails a check)'],
  [2, 'an internal error: a bug in tsportable (the message says so and shows its stack)'],
  [100, 'a failed build (a Nix build or mksquashfs)'],
  [104, 'build --check: the rebuilt image differs from the one built before'],
  [130, 'interrupted (Ctrl-C, SIGINT or SIGTERM)'],
];

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
    `  ${'help'.padEnd(width)}Show this help, or a command's (tsportable help build is tsportable build --help).`,
    `  ${'version'.padEnd(width)}Print the version.`,
    '',
    'Options:',
    '  -h, --help     Show this help and exit.',
    '  -V, --version  Print the version and exit.',
    '',
    "Run 'tsportable <command> --help' for a command's options.",
    '',
    'Exit codes:',
    ...exitCodes.map(([code, meaning]) => `  ${String(code).padEnd(5)}${meaning}`),
    '',
    'Environment:',
    '  NIX_PATH              The search path after the -I entries, as for Nix.',
    '  NO_COLOR              Set and not empty: no colour, even on a terminal.',
    '  FORCE_COLOR           Colour even off a terminal (0: never); wins over NO_COLOR.',
    "  TSPORTABLE_CACHE_DIR  Where finished images are kept (default $XDG_CACHE_HOME/tsportable).",
    '',
  ].join('\n');
}

/** docs/cli.md: every command's --help, so the docs are the help. */
export function cliReference(): string {
  const parts = ['# tsportable command reference', '', 'Generated from the commands\' own `--help` (test/cli/docs.test.ts keeps it current).', '', '```', mainHelp().trimEnd(), '```'];
  for (const c of commands) parts.push('', `## tsportable ${c.spec.name}`, '', '```', renderHelp(c.spec).trimEnd(), '```');
  return parts.join('\n') + '\n';
}
