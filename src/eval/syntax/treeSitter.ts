/**
 * Loads tree-sitter and the Nix grammar through the project's own N-API shim
 * (grammar/src/binding.c, compiled by node-gyp at install). Both are CommonJS
 * native modules, hence `createRequire`.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../../paths.js';

const require = createRequire(import.meta.url);

export type TSParser = import('tree-sitter');
export type TSNode = import('tree-sitter').SyntaxNode;
export type TSTree = import('tree-sitter').Tree;

let parser: TSParser | undefined;

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
  if (!parser) {
    const Parser = require('tree-sitter') as typeof import('tree-sitter');
    parser = new Parser();
    parser.setLanguage(loadLanguage() as Parameters<TSParser['setLanguage']>[0]);
  }
  return parser;
}

/** The grammar's node-types.json: the named node types lowering must handle. */
export function grammarNodeTypes(): ReadonlyArray<{ type: string; named: boolean }> {
  return require('tree-sitter-nix/src/node-types.json');
}
