/**
 * tsportable's own N-API module (grammar/src/binding.c, compiled by node-gyp
 * at install): the Nix grammar's parser and flat-tree copy
 * (src/eval/syntax/treeSitter.ts), the caches' hash (src/fastHash.ts), the
 * file mappings bin/tsportable.js loads the CLI's bundle with (it loads the
 * module itself, by the same path), and isatty (src/stdio.ts).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from './paths.js';

const require = createRequire(import.meta.url);

/** What grammar/src/binding.c exports. */
export interface NativeModule {
  /** The grammar's language, for the `tree-sitter` package. */
  readonly language: unknown;
  /** The flat tree of `text` (flatTree.ts); `pieceLength` (tests) parses a file in pieces of that length where it can. */
  parse(text: string, pieceLength?: number): ArrayBuffer;
  /** How many pieces the last parse on this thread was made of (1: parsed whole). */
  lastPieces(): number;
  /** Node type names by grammar symbol. */
  symbols(): string[];
  /** 32 hex digits: the hash of a text's UTF-16 units (as little-endian bytes). */
  hashText(text: string, seed: number): string;
  /** 32 hex digits: the hash of bytes. */
  hashBytes(bytes: Uint8Array, seed: number): string;
  /** hashBytes of the parts joined. */
  hashParts(parts: readonly Uint8Array[], seed: number): string;
  /** A file's bytes over a private mapping of it (writes stay in this process), or undefined when it is missing, empty or not a regular file. */
  mapFile(path: string): Uint8Array | undefined;
  /** The same as a Latin-1 string V8 reads from the mapping (bin/tsportable.js loads its bundle so). */
  mapFileLatin1(path: string): string | undefined;
  /** Whether the file descriptor is a terminal (isatty(3), as node:tty asks it). */
  isTerminal(fd: number): boolean;
}

let loaded: NativeModule | undefined;

/** Its functions: a module built before one of them was added is out of date. */
const FUNCTIONS = ['parse', 'lastPieces', 'symbols', 'hashText', 'hashBytes', 'hashParts', 'mapFile', 'mapFileLatin1', 'isTerminal'] as const;

export function nativeModule(): NativeModule {
  if (loaded) return loaded;
  const file = join(packageRoot, 'grammar', 'build', 'Release', 'tree_sitter_nix_napi.node');
  let module: NativeModule;
  try {
    module = require(file) as NativeModule;
  } catch (e) {
    throw new Error(`tsportable: the Nix grammar binding is not built (${file}); run 'npm run setup'`, { cause: e });
  }
  if (FUNCTIONS.some((name) => typeof module[name] !== 'function')) {
    throw new Error(`tsportable: the Nix grammar binding (${file}) is out of date; run 'npm run setup'`);
  }
  loaded = module;
  return module;
}
