/**
 * Lowered syntax trees kept on disk, so that a file read again (nixpkgs' lib
 * on every run, the user's own files on every rebuild) is neither parsed nor
 * lowered again: its tree is decoded (astCodec.ts), several times faster.
 *
 * A tree is found by a key over everything it depends on: the source text
 * (hashed exactly, lone surrogates included), the file's path (spans name
 * it), the directory relative paths resolve against, $HOME (for `~/` paths),
 * and the code that lowered it (a hash of the compiled modules of the parser,
 * lowering and scope rules, taken when the bundle is made, or at run time
 * where tsc's output runs unbundled, so a changed parser never meets an old
 * tree, nor changed scope rules an old `.compiles` record). A changed file has
 * another key: its old tree is never used. The hashes are src/fastHash.ts's:
 * loading node:crypto would cost more than all the hashing.
 *
 * A file parsed for the cache has its sets of literals lowered straight into
 * the cache's form (lowerLiterals.ts), and the tree handed out is the one
 * decoded from the entry, as the next run reads it: the sets' trees are never
 * made (for a generated file, most of the time and memory of its first run).
 *
 * What is not cached: a tree whose lowering warned (the cursed `or`), so that
 * the warning is given again on every run, and anything parsed while a lint
 * setting is on (its findings are warnings or errors of each run).
 *
 * Beside a tree, `<key>.compiles` lists the sets of global names it has
 * compiled under (compiles.ts): read back with it, the tree's functions are
 * compiled when first called, and their bodies decoded then. (A tree just
 * parsed gets the free names of the lowered one, compile/freeNames.ts, so
 * that finding out whether it compiles decodes none of its bodies either.)
 *
 * The cache may be missing, unreadable, unwritable or damaged: each of those
 * falls back to parsing, silently. Entries are written to a temporary name
 * and renamed, so that a reader never sees half of one.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Expr } from './ast.js';
import { decodeTree, encodeTreeParts, LiteralEncoder, type EncodedTree } from './astCodec.js';
import { knownToCompile, whenCompiled } from './compiles.js';
import { sameFreeNames } from '../compile/freeNames.js';
import { lintSettings, LINT_NAMES, parserWarnings } from './lint.js';
import { parseNix, type ParseOptions } from './parse.js';
import { PositionTable } from './positions.js';
import { hashBytes, hashText } from '../../fastHash.js';
import { replaceFile } from '../../replaceFile.js';

/** Parsing through the cache (the CLI gives it to the evaluator as its `parseFile`: src/cli/session.ts). */
export interface ParseCache {
  /** As parseNix, from the cache when it can. */
  parse(text: string, sourcePath: string, opts: ParseOptions): Expr;
}

/** `loweringCodeIn` of the evaluator's modules, computed when the bundle was made (scripts/bundle.mjs defines it there). */
declare const TSPORTABLE_LOWERING_CODE: string | undefined;

let codeVersion: string | undefined;

/**
 * The directories of src/eval whose code a cache entry depends on: the
 * parser and lowering (the tree), and the scope rules (the `.compiles`
 * record: which names a tree leaves to the globals).
 */
const CODE_DIRS = ['syntax', 'compile', 'interp'];

/** A hash of the compiled modules of `CODE_DIRS` in `evalDir` (dist/src/eval): the code a cached entry was made by. */
export function loweringCodeIn(evalDir: string): string {
  const files = CODE_DIRS.flatMap((sub) => readdirSync(join(evalDir, sub)).filter((n) => n.endsWith('.js')).sort().map((n) => join(sub, n)));
  return hashText(files.map((name) => `${name}\0${hashBytes(readFileSync(join(evalDir, name)))}`).join('\0'));
}

function loweringCode(): string {
  codeVersion ??= typeof TSPORTABLE_LOWERING_CODE === 'string'
    ? TSPORTABLE_LOWERING_CODE
    : loweringCodeIn(fileURLToPath(new URL('..', import.meta.url)));
  return codeVersion;
}

/** The suffix of the file listing the global-name sets a tree compiles under. */
const COMPILES = '.compiles';

function readCompiles(file: string): string[] {
  try {
    return readFileSync(`${file}${COMPILES}`, 'utf8').split('\n').filter((line) => /^[0-9a-f]{16}$/.test(line));
  } catch {
    return [];
  }
}

/** Adds a global-name set to a tree's list (written whole, then renamed: readers see the old list or the new). */
function addCompiles(file: string, known: readonly string[], key: string): void {
  if (known.includes(key)) return;
  replaceFile(`${file}${COMPILES}`, [...known, key].join('\n') + '\n');
}

/** A parse cache in `dir` (created when first written to). */
export function diskParseCache(dir: string): ParseCache {
  let madeDir = false;
  const keyOf = (text: string, sourcePath: string, opts: ParseOptions): string => {
    // The text exactly: its UTF-16 units, lone surrogates included.
    const context = JSON.stringify([loweringCode(), sourcePath, opts.baseDir, opts.home ?? process.env.HOME ?? '/']);
    return hashText(`${context}\0${hashText(text)}`);
  };

  /** Writes the entry; whether it was written. */
  const store = (file: string, bytes: readonly Uint8Array[]): boolean => {
    try {
      if (!madeDir) {
        mkdirSync(dir, { recursive: true });
        madeDir = true;
      }
    } catch {
      return false;
    }
    return replaceFile(file, bytes);
  };

  return {
    parse(text, sourcePath, opts) {
      if (LINT_NAMES.some((name) => lintSettings[name] !== 'ignore')) return parseNix(text, sourcePath, opts);
      let file: string;
      try {
        file = join(dir, keyOf(text, sourcePath, opts));
      } catch {
        return parseNix(text, sourcePath, opts);
      }
      let cached: Uint8Array | undefined;
      try {
        cached = readFileSync(file);
      } catch {
        // not cached yet
      }
      if (cached !== undefined) {
        try {
          const expr = decodeTree(cached, new PositionTable({ path: sourcePath, text }));
          const compiles = readCompiles(file);
          knownToCompile(expr, compiles);
          whenCompiled(expr, (key) => addCompiles(file, compiles, key));
          return expr;
        } catch {
          // damaged, or too deep to decode here: parsed below (and written again)
        }
      }
      const warnings = parserWarnings();
      const literals = new LiteralEncoder(text.length);
      const lowered = parseNix(text, sourcePath, opts, literals);
      if (parserWarnings() !== warnings) return lowered;
      let encoded: EncodedTree;
      try {
        encoded = encodeTreeParts(lowered, literals);
      } catch {
        return lowered; // a tree too deep to encode here: parsed again next time
      }
      const written = store(file, encoded.parts);
      if (written) rmSync(`${file}${COMPILES}`, { force: true });
      // The tree as the next run will read it: its sets of literals are never decoded, and the
      // lowered tree can go at once (for a large generated file, most of the memory).
      let expr: Expr;
      try {
        expr = encoded.decode(new PositionTable({ path: sourcePath, text }));
      } catch {
        return lowered;
      }
      if (written) whenCompiled(expr, (key) => addCompiles(file, [], key));
      sameFreeNames(lowered, expr);
      return expr;
    },
  };
}
