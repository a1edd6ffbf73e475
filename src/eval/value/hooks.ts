/**
 * The places where evaluation needs real Nix: copying a path to the store
 * ("${./file}"), derivations, and the bridge's interception of `import` of
 * nixpkgs. The bridge fills these in; until then each default throws a clear
 * NixError saying the operation needs Nix, never a wrong value.
 */
import { NixError } from '../errors.js';
import type { Span } from '../span.js';
import { existsSync } from 'node:fs';
import type { Value, Lazy, NixAttrs, NixString, Context, Foreign } from './index.js';
import { osPath } from './bytes.js';
import { missingPath } from '../fileErrors.js';

export interface EvalHooks {
  /** Adds a file or directory to the store, returns its store path ("${./file}"). */
  copyPathToStore(path: string, span: Span | undefined): string;
  /** `builtins.derivationStrict attrs`: the set of output paths and drvPath. */
  derivationStrict(attrs: NixAttrs, span: Span | undefined): Value;
  /**
   * `derivation attrs`: the derivation set (outPath, drvPath, ...). Unset, `derivation`
   * is Nix's derivation.nix over `derivationStrict` (builtins/derivations.ts).
   */
  derivation?(attrs: NixAttrs, span: Span | undefined): Value;
  /** `builtins.toFile name contents`. */
  toFile(name: string, contents: string | NixString, span: Span | undefined): Value;
  /** `builtins.storePath path`. */
  storePath(path: string, span: Span | undefined): Value;
  /** `builtins.path { path, name?, filter?, recursive?, sha256? }`. */
  addPath(args: NixAttrs, span: Span | undefined): Value;
  /** `builtins.filterSource filter path`. */
  filterSource(filter: Lazy, path: string, span: Span | undefined): Value;
  /**
   * A path string with a context, about to be read (readFile, import, ...):
   * builds what the context needs (import from derivation) and returns the
   * real path. Called only when the context is not empty.
   */
  realisePath(text: string, context: Context, span: Span | undefined): string;
  /**
   * The references of a store path (`nix-store --query --references`), for
   * `builtins.readFile` of a file in the store: Nix gives the text those
   * references as context. Empty when the path is not valid in the store.
   */
  storeReferences(storePath: string, span: Span | undefined): readonly string[];
  /** Called before `import path`; a value replaces the import (nixpkgs), undefined continues. */
  importHook(path: string, span: Span | undefined): Value | undefined;
  /**
   * Foreign values as `nix-instantiate --eval [--strict]` prints them, met in
   * this order in one printed value (so Nix's `«repeated»` spans them).
   * Without Nix, each is `«describe()»`.
   */
  printForeign(values: readonly Foreign[], strict: boolean): string[];
}

export function needsNix(what: string, span: Span | undefined): NixError {
  return new NixError('eval', `${what} needs Nix (the nixpkgs bridge), which is not available here`, span);
}

const defaults: EvalHooks = {
  copyPathToStore(path, span) {
    if (!existsSync(osPath(path))) throw missingPath(path, span);
    throw needsNix(`copying the path '${path}' to the store`, span);
  },
  derivationStrict(_attrs, span) {
    throw needsNix('building a derivation', span);
  },
  toFile(name, _contents, span) {
    throw needsNix(`builtins.toFile '${name}'`, span);
  },
  storePath(path, span) {
    throw needsNix(`builtins.storePath '${path}'`, span);
  },
  addPath(_args, span) {
    throw needsNix('builtins.path', span);
  },
  filterSource(_filter, path, span) {
    throw needsNix(`builtins.filterSource on '${path}'`, span);
  },
  realisePath(text, _context, span) {
    throw needsNix(`reading '${text}', which refers to a store path that must be built,`, span);
  },
  // Without the bridge nothing was built here and the store cannot be asked: a file read from the
  // store carries no references (only the bridge builds images, where they matter).
  storeReferences() {
    return [];
  },
  importHook() {
    return undefined;
  },
  printForeign(values) {
    return values.map(describedForeign);
  },
};

/** How a foreign value Nix cannot print (or without Nix) is printed: what it stands for. */
export function describedForeign(v: Foreign): string {
  return `«${v.describe()}»`;
}

/** The current hooks; the bridge replaces members with `setHooks`. */
export const hooks: EvalHooks = { ...defaults };

export function setHooks(h: Partial<EvalHooks>): void {
  Object.assign(hooks, h);
}

export function resetHooks(): void {
  delete hooks.derivation;
  Object.assign(hooks, defaults);
}

