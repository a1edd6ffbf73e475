/**
 * The Nix grammar: the N-API module's `parse` (src/native.ts) is how every
 * file is parsed (see flatTree.ts). The `tree-sitter` package, which needs
 * the module's language, is loaded only when a file has syntax errors, to
 * describe them: loading it costs more than parsing a small file. It is a
 * CommonJS native module, hence `createRequire`.
 */
import { createRequire } from 'node:module';
import { nativeModule } from '../../native.js';

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
let symbolNames: string[] | undefined;

function loadLanguage(): unknown {
  // The package's language object: the shim's, with the grammar's node types.
  const language = nativeModule() as unknown as { nodeTypeInfo?: unknown };
  language.nodeTypeInfo = require('tree-sitter-nix/src/node-types.json');
  return language;
}

/**
 * The flat tree of `text` (see flatTree.ts). A large file that is one
 * attribute set is parsed in pieces (binding.c says how); `pieceLength`, for
 * tests, makes pieces of that many UTF-16 units of any file.
 */
export function parseFlat(text: string, pieceLength?: number): ArrayBuffer {
  return nativeModule().parse(text, pieceLength);
}

/** How many pieces the last parseFlat was made of (1: parsed whole), for tests. */
export function lastParsePieces(): number {
  return nativeModule().lastPieces();
}

/** Node type names by grammar symbol (the `type` field of flat trees). */
export function grammarSymbols(): readonly string[] {
  symbolNames ??= nativeModule().symbols();
  return symbolNames;
}

/** The `tree-sitter` package's parser (for syntax errors); tree-sitter parsers are reusable between parses. */
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
