/**
 * Flake references as the flake code handles them: the fetcher's input
 * attributes (`type`, `path`, `url`, `owner`, `rev`, `narHash`, ...) with the
 * flake's subdirectory `dir` among them, as lock files write them. Parsing and
 * printing the URL forms is the builtins' (parseFlakeRef, flakeRefToString);
 * this adds what flake inputs allow beyond them: relative paths
 * (`path:./sub`, `./sub`), and the comparisons locking needs.
 */
import { NixError } from '../eval/errors.js';
import type { Span } from '../eval/span.js';
import { flakeRefAttrsToString, parseFlakeRefString, type AttrValue, type InputAttrs } from '../eval/builtins/flakeRefs.js';

export type { AttrValue, InputAttrs };

/** A flake input attribute path (`["nixops", "nixpkgs"]`), written `nixops/nixpkgs`. */
export type InputPath = readonly string[];

export function showInputPath(path: InputPath): string {
  return path.join('/');
}

const INPUT_NAME = /^[a-zA-Z][a-zA-Z0-9_-]*$/;

/** `a/b` as an input path (Nix's parseInputAttrPath: each element a flake id). */
export function parseInputPath(text: string): string[] {
  const path = text.split('/').filter((s) => s !== '');
  for (const elem of path) {
    if (!INPUT_NAME.test(elem)) throw new NixError('usage', `invalid flake input attribute path element '${elem}'`);
  }
  return path;
}

/**
 * The attributes of a flake input's URL as flake.nix writes it. Relative
 * paths stay relative (`./sub`, `path:../x`): they are resolved against the
 * flake that names them, by the lock step.
 */
export function parseInputUrl(url: string, span?: Span): InputAttrs {
  const m = /^(\.{1,2}(?:\/[^?#]*)?|\.)(?:\?([^#]*))?$/.exec(url);
  if (m) return withQuery(new Map<string, AttrValue>([['type', 'path'], ['path', m[1]!]]), m[2]);
  return parseFlakeRefString(url, span);
}

function withQuery(attrs: InputAttrs, query: string | undefined): InputAttrs {
  for (const part of (query ?? '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    attrs.set(decodeURIComponent(eq < 0 ? part : part.slice(0, eq)), decodeURIComponent(eq < 0 ? '' : part.slice(eq + 1)));
  }
  return attrs;
}

/** The URL form, for messages (`github:NixOS/nixpkgs/nixos-23.11`, `path:./sub`). */
export function refToString(attrs: InputAttrs): string {
  const path = attrs.get('path');
  if (attrs.get('type') === 'path' && typeof path === 'string' && !path.startsWith('/')) {
    const dir = attrs.get('dir');
    return `path:${path}${typeof dir === 'string' && dir !== '' ? `?dir=${dir}` : ''}`;
  }
  try {
    return flakeRefAttrsToString(new Map(attrs));
  } catch {
    return JSON.stringify(Object.fromEntries(attrs));
  }
}

export function strAttr(attrs: InputAttrs, name: string): string | undefined {
  const v = attrs.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function intAttr(attrs: InputAttrs, name: string): number | undefined {
  const v = attrs.get(name);
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
}

/** A `path:` reference relative to the flake naming it (resolved inside that flake's source tree). */
export function isRelativePath(attrs: InputAttrs): boolean {
  const path = strAttr(attrs, 'path');
  return attrs.get('type') === 'path' && path !== undefined && !path.startsWith('/');
}

/**
 * Nix's comparison of a lock entry's `original` with the input flake.nix now
 * names: the same attributes, where an old `?dir=` left in a Git URL counts
 * as the `dir` it also is (FlakeRef::canonicalize).
 */
export function sameRef(a: InputAttrs, b: InputAttrs): boolean {
  const ca = canonical(a);
  const cb = canonical(b);
  if (ca.size !== cb.size) return false;
  for (const [k, v] of ca) if (String(cb.get(k)) !== String(v)) return false;
  return true;
}

function canonical(attrs: InputAttrs): InputAttrs {
  const out = new Map(attrs);
  const url = strAttr(out, 'url');
  const dir = strAttr(out, 'dir');
  if (url !== undefined && dir !== undefined && dir !== '') {
    const q = url.indexOf('?');
    if (q >= 0) {
      const params = url.slice(q + 1).split('&').filter((p) => p !== `dir=${encodeURIComponent(dir)}` && p !== `dir=${dir}`);
      out.set('url', params.length ? `${url.slice(0, q)}?${params.join('&')}` : url.slice(0, q));
    }
  }
  if (out.get('dir') === '') out.delete('dir');
  return out;
}
