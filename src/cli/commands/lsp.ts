/**
 * `tsportable lsp`: the language server, for editors (src/lsp). It speaks
 * LSP over stdin and stdout and runs until the editor ends it; it evaluates
 * on every edit and never builds unless asked to (the "Build image" command).
 * Unlike the other commands it runs on the main thread (cli/launch.ts): its
 * evaluations have a worker thread of their own.
 */
import { resolve } from 'node:path';
import { optStrings, optTuples } from '../options.js';
import { includeOption, overrideInputOption } from '../evalInput.js';
import type { Command } from '../command.js';

export const lspCommand: Command = {
  spec: {
    name: 'lsp',
    summary: 'Run the language server for editors (LSP over stdin and stdout).',
    positional: '',
    maxPositional: 0,
    description: [
      'Diagnostics as you type (syntax and evaluation errors, the checks of `show`), hovers showing the',
      'image, its units and values, completion of portableService\'s arguments and of package names, go to',
      'definition, document symbols, and code lenses with "Show image" and "Build image". Nothing is built',
      'unless "Build image" is run. A flake.nix gets its flake\'s images, a callPackage-style file the image',
      'pkgs.callPackage makes of it, as `tsportable build` builds them. Settings come from the client\'s',
      'initializationOptions (searchPath, overrideInputs, debounceMs, timeLimitMs, nixTimeoutMs,',
      'memoryLimitMb); docs/lsp.md describes the protocol and docs/editors.md the set-up of Neovim, VS Code,',
      'Helix and Emacs.',
    ].join('\n'),
    options: [
      includeOption,
      overrideInputOption,
      { long: '--stdio', description: 'Talk over stdin and stdout (the only transport; accepted because clients pass it).' },
      { long: '--clientProcessId', values: ['PID'], description: 'Exit when process PID does (clients pass it).' },
    ],
  },
  async run(args) {
    const { defaultConfig } = await import('../../lsp/protocol.js');
    const { Engine } = await import('../../lsp/engine.js');
    // A plain directory is the server's working directory's (the flakes analysed are elsewhere).
    const overrideInputs = optTuples(args, 'override-input').map(([name, ref]) => [name!, /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(ref!) ? ref! : resolve(ref!)] as const);
    const config = { ...defaultConfig, searchPath: optStrings(args, 'include'), overrideInputs };
    // The analysis worker loads the evaluator while this thread loads the protocol library.
    const engine = new Engine(config);
    engine.warm();
    const { startServer } = await import('../../lsp/server.js');
    startServer(config, engine);
    // The connection ends the process when the editor says `exit` or closes stdin.
    return new Promise<number>(() => {});
  },
};
