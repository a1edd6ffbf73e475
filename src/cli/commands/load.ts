/**
 * Loads a single command's module by name, so that running one command does
 * not load the others' dependencies. index.ts lists the same commands eagerly
 * (for `--help` and docs/cli.md); test/cli/commands.test.ts keeps the two in step.
 */
import type { Command } from '../command.js';

const loaders: Readonly<Record<string, () => Promise<Command>>> = {
  build: async () => (await import('./build.js')).buildCommand,
  show: async () => (await import('./show.js')).showCommand,
  inspect: async () => (await import('./inspect.js')).inspectCommand,
  eval: async () => (await import('./eval.js')).evalCommand,
  gc: async () => (await import('./gc.js')).gcCommand,
  lsp: async () => (await import('./lsp.js')).lspCommand,
};

export const commandNames: readonly string[] = Object.keys(loaders);

export async function loadCommand(name: string): Promise<Command | undefined> {
  return Object.hasOwn(loaders, name) ? loaders[name]() : undefined;
}
