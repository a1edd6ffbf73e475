/**
 * The Nix search path: `-I` entries first, then `NIX_PATH`'s, each either
 * `prefix=path` or a plain `path`. `<nixpkgs/lib>` is found by trying each
 * entry in order: a plain entry `P` gives `P/nixpkgs/lib`; an entry
 * `nixpkgs=P` gives `P/lib` (the prefix must match whole components). The
 * first candidate that exists wins. An entry whose path does not exist is
 * skipped with Nix's warning, once per evaluator (a typo in `-I` must not go
 * unnoticed). URL entries need Nix to fetch them and are reported as such.
 * `<nix/fetchurl.nix>` is Nix's own file when no entry provides it.
 */
import { existsSync } from 'node:fs';
import { join, normalize, resolve } from 'node:path';
import { NixError } from './errors.js';
import type { Span } from './span.js';
import { diagnostics } from './diagnostics.js';
import { currentState } from './interp/state.js';
import { evalSettings } from './settings.js';
import { packageRoot } from '../paths.js';

/** Where tsportable keeps its own version of Nix's corepkgs (readable in pure evaluation too, as Nix's are). */
export const COREPKGS = join(packageRoot, 'src', 'eval', 'builtins', 'corepkgs');

export interface SearchPathEntry {
  readonly prefix: string;
  readonly path: string;
}

/** Parses entries (`name=path` or `path`); relative paths are resolved against `cwd`. */
export function parseSearchPath(entries: readonly string[], cwd: string): SearchPathEntry[] {
  return entries.filter((e) => e !== '').map((e) => {
    const eq = e.indexOf('=');
    const prefix = eq >= 0 ? e.slice(0, eq) : '';
    const p = eq >= 0 ? e.slice(eq + 1) : e;
    return { prefix, path: isUrl(p) ? p : resolve(cwd, p) };
  });
}

/** Splits NIX_PATH (colon-separated, but not inside URLs such as `https://`). */
export function splitNixPath(value: string | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  let cur = '';
  const parts = value.split(':');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (cur !== '' && /^\/\//.test(part) && /(^|=)[a-z][a-z0-9+.-]*$/i.test(cur)) {
      cur += ':' + part;
      continue;
    }
    if (cur !== '') out.push(cur);
    cur = part;
  }
  if (cur !== '') out.push(cur);
  return out;
}

/** A search-path entry Nix fetches rather than reads (`https://…`, `channel:…`, `flake:…`). */
export function isUrl(p: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || p.startsWith('channel:') || p.startsWith('flake:');
}

/** Entry paths already warned about, per evaluator: Nix resolves each entry once per evaluation. */
const warnedMissing = new WeakMap<object, Set<string>>();

function warnMissingEntry(entryPath: string): void {
  let warned: Set<string> | undefined;
  try {
    const state = currentState();
    warned = warnedMissing.get(state) ?? new Set();
    warnedMissing.set(state, warned);
  } catch {
    // Outside an evaluation (a unit test): every lookup warns.
  }
  if (warned?.has(entryPath)) return;
  warned?.add(entryPath);
  diagnostics.warn({ message: `Nix search path entry '${entryPath}' does not exist, ignoring`, trace: [] });
}

export function findInSearchPath(entries: readonly SearchPathEntry[], name: string, span: Span | undefined): string {
  for (const entry of entries) {
    let rest: string;
    if (entry.prefix === '') rest = name;
    else if (name === entry.prefix) rest = '';
    else if (name.startsWith(entry.prefix + '/')) rest = name.slice(entry.prefix.length + 1);
    else continue;
    if (isUrl(entry.path)) {
      throw new NixError('eval', `the search path entry '${entry.prefix ? entry.prefix + '=' : ''}${entry.path}' needs Nix to fetch it`, span);
    }
    if (!existsSync(entry.path)) {
      warnMissingEntry(entry.path);
      continue;
    }
    const candidate = rest === '' ? entry.path : join(entry.path, rest);
    if (existsSync(candidate)) return normalize(candidate).replace(/(.)\/$/, '$1');
  }
  // Nix's own files (`<nix/fetchurl.nix>`) come last, and are no entry of __nixPath.
  if (name.startsWith('nix/')) {
    const core = join(COREPKGS, name.slice(4));
    if (existsSync(core)) return core;
  }
  // A `throw` in Nix (tryEval catches it).
  throw new NixError('throw', evalSettings.pureEval
    ? `cannot look up '<${name}>' in pure evaluation mode (use '--impure' to override)`
    : `file '${name}' was not found in the Nix search path (add it using $NIX_PATH or -I)`, span);
}
