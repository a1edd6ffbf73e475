/**
 * Loads tree-sitter and the Nix grammar through the project's own N-API shim
 * (grammar/src/binding.c, compiled by node-gyp at install). Both are CommonJS
 * native modules, hence `createRequire`.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../../paths.js';

const require = createRequire(import.meta.url);

/**
 * tree-sitter's JS wrapper must be evaluated once per process: it patches the
 * native classes' prototypes, and a second evaluation (jest gives each test
 * file its own module registry) leaves `tree.rootNode` undefined for good.
 * The loaded wrapper and language are therefore kept, under a process-wide
 * symbol, on the `Buffer` constructor: jest's node environment hands every
 * test file the process's one real `Buffer`, while core modules such as
 * `node:module` are re-made per registry.
 */
const LOADED = Symbol.for('tsportable.treeSitter');
type Loaded = { Parser: typeof import('tree-sitter'); language: unknown };
type LookaheadLanguage = ConstructorParameters<typeof import('tree-sitter').LookaheadIterator>[0];
const holder = Buffer as unknown as { [LOADED]?: Loaded };

function loaded(): Loaded {
  let l = holder[LOADED];
  if (!l) {
    l = { Parser: require('tree-sitter') as typeof import('tree-sitter'), language: loadLanguage() };
    holder[LOADED] = l;
  }
  return l;
}

export type TSParser = import('tree-sitter');
export type TSNode = import('tree-sitter').SyntaxNode;
export type TSTree = import('tree-sitter').Tree;

let shared: TSParser | undefined;

function loadLanguage(): unknown {
  const binding = join(packageRoot, 'grammar', 'build', 'Release', 'tree_sitter_nix_napi.node');
  let language: { nodeTypeInfo?: unknown };
  try {
    language = require(binding);
  } catch (e) {
    throw new Error(`tsportable: the Nix grammar binding is not built (${binding}); run 'npm run setup'`, { cause: e });
  }
  language.nodeTypeInfo = require('tree-sitter-nix/src/node-types.json');
  return language;
}

/** The shared parser; tree-sitter parsers are reusable between parses. */
export function nixParser(): TSParser {
  if (!shared) {
    const { Parser, language } = loaded();
    shared = new Parser();
    shared.setLanguage(language as Parameters<TSParser['setLanguage']>[0]);
  }
  return shared;
}

/** The grammar's node-types.json: the named node types lowering must handle. */
export function grammarNodeTypes(): ReadonlyArray<{ type: string; named: boolean }> {
  return require('tree-sitter-nix/src/node-types.json');
}

/** The grammar symbols tree-sitter accepts in a parse state (for syntax-error messages). */
export function acceptedSymbols(state: number): Set<string> {
  const { Parser, language } = loaded();
  const out = new Set<string>();
  for (const symbol of new Parser.LookaheadIterator(language as LookaheadLanguage, state)) out.add(symbol);
  return out;
}
