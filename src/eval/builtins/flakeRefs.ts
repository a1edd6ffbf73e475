/**
 * builtins.parseFlakeRef and builtins.flakeRefToString: the two pure flake
 * builtins (no fetching). A flake reference is written as a URL-like string
 * (`github:NixOS/nixpkgs/23.05?dir=lib`, `nixpkgs/nixos-24.05`, `path:/x`,
 * `git+https://host/repo?ref=main`) or as an attribute set of the fetcher's
 * input attributes plus `dir`. Both directions follow current Nix for the
 * input types flake files use: github, gitlab, sourcehut, indirect (registry
 * names), path, git, tarball and file. Attribute values are strings, integers
 * (never negative) and Booleans, as Nix's fetcher attributes.
 *
 * builtins.fetchTree takes the same two forms; its arguments are checked here
 * exactly as Nix checks them before the fetch, which needs Nix.
 *
 * Current Nix has these only with the `flakes` (fetchTree: `fetch-tree`)
 * experimental feature; here they are always present (the evaluator has no
 * experimental-feature switch yet).
 */
import { NixError } from '../errors.js';
import type { Span } from '../span.js';
import { force, forceAttrs, forceStringNoContext } from '../value/force.js';
import { attrsFromEntries } from '../value/attrs.js';
import { showType } from '../value/types.js';
import { isString, stringText } from '../value/string.js';
import type { Value } from '../value/index.js';
import { defineBuiltin } from './registry.js';
import { needsNix } from '../value/hooks.js';
import { dependsOnTheWorld } from '../dependencies.js';
import { NixAttrs } from '../value/index.js';

/** A fetcher input attribute's value. */
export type AttrValue = string | number | bigint | boolean;
export type InputAttrs = Map<string, AttrValue>;

const REV = /^[0-9a-f]{40}$/;
const REF = /^[a-zA-Z0-9@][a-zA-Z0-9_.\/@+-]*$/;
const FLAKE_ID = /^[a-zA-Z][a-zA-Z0-9_-]*$/;
const GIT_ARCHIVES = new Set(['github', 'gitlab', 'sourcehut']);
const ARCHIVE_EXTENSIONS = ['.zip', '.tar', '.tgz', '.tar.gz', '.tar.xz', '.tar.bz2', '.tar.zst'];
/** Query parameters that are numbers or Booleans in the input attributes. */
const INT_PARAMS = new Set(['revCount', 'lastModified']);
const BOOL_PARAMS = new Set(['submodules', 'shallow', 'exportIgnore', 'allRefs', 'lfs', 'verifyCommit', 'unpack']);

function badRef(message: string, span: Span | undefined): NixError {
  return new NixError('eval', message, span);
}

interface ParsedUrl {
  scheme: string;
  /** After `scheme:` and before `?`/`#`, `//authority` included. */
  rest: string;
  query: Map<string, string>;
  fragment: string;
}

function parseQuery(q: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of q.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    out.set(key, decodeURIComponent(eq < 0 ? '' : part.slice(eq + 1)));
  }
  return out;
}

function parseUrl(text: string): ParsedUrl | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(text);
  if (!m) return undefined;
  return { scheme: m[1]!, rest: m[2]!, query: parseQuery(m[3] ?? ''), fragment: decodeURIComponent(m[4] ?? '') };
}

/** A query value as the input attribute's type. */
function paramValue(name: string, value: string): AttrValue {
  if (INT_PARAMS.has(name) && /^[0-9]+$/.test(value)) return Number(value);
  if (BOOL_PARAMS.has(name)) return value === '1' || value === 'true';
  return value;
}

function refOrRev(attrs: InputAttrs, segment: string, url: string, span: Span | undefined): void {
  if (REV.test(segment)) attrs.set('rev', segment);
  else if (REF.test(segment)) attrs.set('ref', segment);
  else throw badRef(`in URL '${url}', '${segment}' is not a commit hash or branch/tag name`, span);
}

function gitArchiveInput(u: ParsedUrl, url: string, span: Span | undefined): InputAttrs {
  const path = u.rest.split('/').filter((s) => s !== '');
  if (path.length < 2) throw badRef(`URL '${url}' is invalid`, span);
  const attrs: InputAttrs = new Map([['type', u.scheme], ['owner', path[0]!], ['repo', path[1]!]]);
  if (path.length === 3) refOrRev(attrs, path[2]!, url, span);
  else if (path.length > 3) {
    const ref = path.slice(2).join('/');
    if (!REF.test(ref)) throw badRef(`in URL '${url}', '${ref}' is not a branch/tag name`, span);
    attrs.set('ref', ref);
  }
  for (const [name, value] of u.query) {
    if (name === 'rev' || name === 'ref') {
      if (attrs.has(name)) throw badRef(`URL '${url}' contains multiple ${name === 'rev' ? 'commit hashes' : 'branch/tag names'}`, span);
      refOrRev(attrs, value, url, span);
    } else if (name === 'host' || name === 'narHash') attrs.set(name, value);
    else if (name === 'lastModified') attrs.set(name, paramValue(name, value));
  }
  if (attrs.has('ref') && attrs.has('rev')) throw badRef(`URL '${url}' contains both a commit hash and a branch/tag name`, span);
  return attrs;
}

function indirectInput(path: string, url: string, span: Span | undefined): InputAttrs {
  const [id, ...more] = path.split('/');
  if (!id || !FLAKE_ID.test(id) || more.length > 2) throw badRef(`'${url}' is not a valid URL`, span);
  const attrs: InputAttrs = new Map([['type', 'indirect'], ['id', id]]);
  if (more.length === 1) refOrRev(attrs, more[0]!, url, span);
  if (more.length === 2) {
    if (!REF.test(more[0]!) || !REV.test(more[1]!)) throw badRef(`in flake URL '${url}', '${more.join('/')}' is not a branch/tag name and commit hash`, span);
    attrs.set('ref', more[0]!).set('rev', more[1]!);
  }
  return attrs;
}

/** Other query parameters become input attributes (git, path, tarball). */
function withParams(attrs: InputAttrs, query: Map<string, string>, skip: ReadonlySet<string> = new Set()): InputAttrs {
  for (const [name, value] of query) if (!skip.has(name)) attrs.set(name, paramValue(name, value));
  return attrs;
}

function queryString(query: Map<string, string>): string {
  const keys = [...query.keys()].sort();
  return keys.map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(query.get(k)!).replace(/%2F/g, '/')}`).join('&');
}

/** The input attributes and `dir` of a flake reference string, as Nix's parseFlakeRef (paths must be absolute). */
export function parseFlakeRefString(text: string, span?: Span): InputAttrs {
  const fragmentAt = text.indexOf('#');
  if (fragmentAt >= 0) throw badRef(`unexpected fragment '${text.slice(fragmentAt + 1)}' in flake reference '${text}'`, span);
  let attrs: InputAttrs;
  let dir = '';
  const u = parseUrl(text);
  if (!u) {
    const [path, query = ''] = text.split('?', 2) as [string, string?];
    if (FLAKE_ID.test(path.split('/')[0] ?? '') && !path.startsWith('/') && !path.startsWith('.')) {
      attrs = indirectInput(path, text, span);
    } else {
      if (!path.startsWith('/')) throw badRef(`flake reference '${text}' is not an absolute path`, span);
      const q = parseQuery(query);
      dir = q.get('dir') ?? '';
      q.delete('dir');
      attrs = withParams(new Map([['type', 'path'], ['path', path]]), q);
    }
  } else {
    dir = u.query.get('dir') ?? '';
    u.query.delete('dir');
    if (GIT_ARCHIVES.has(u.scheme)) attrs = gitArchiveInput(u, text, span);
    else if (u.scheme === 'flake') attrs = indirectInput(u.rest, text, span);
    else if (u.scheme === 'path') {
      attrs = withParams(new Map([['type', 'path'], ['path', u.rest.replace(/^\/\//, '')]]), u.query);
    } else if (u.scheme.startsWith('git+')) {
      const q = new Map(u.query);
      attrs = new Map([['type', 'git']]);
      for (const name of ['ref', 'rev']) {
        const v = q.get(name);
        if (v !== undefined) { refOrRev(attrs, v, text, span); q.delete(name); }
      }
      const paramNames = new Set(['narHash', 'submodules', 'shallow', 'lfs', 'exportIgnore', 'allRefs', 'revCount', 'lastModified', 'verifyCommit', 'keytype', 'publicKey', 'publicKeys']);
      const urlQuery = new Map([...q].filter(([k]) => !paramNames.has(k)));
      const rest = urlQuery.size ? `?${queryString(urlQuery)}` : '';
      attrs.set('url', `${u.scheme.slice(4)}:${u.rest}${rest}`);
      withParams(attrs, new Map([...q].filter(([k]) => paramNames.has(k))));
    } else if (/^(tarball|file)\+/.test(u.scheme) || ['http', 'https', 'file'].includes(u.scheme)) {
      const [kind, scheme] = u.scheme.includes('+') ? u.scheme.split('+', 2) as [string, string] : ['', u.scheme];
      const q = new Map(u.query);
      const narHash = q.get('narHash');
      q.delete('narHash');
      const url = `${scheme}:${u.rest}${q.size ? `?${queryString(q)}` : ''}`;
      const isArchive = ARCHIVE_EXTENSIONS.some((e) => u.rest.endsWith(e));
      const type = kind || (isArchive ? 'tarball' : 'file');
      if (scheme === 'file' && !u.rest.startsWith('/')) {
        throw badRef(`${type} '${text}' must use an absolute path. The 'file' scheme does not support relative paths.`, span);
      }
      attrs = new Map([['type', type], ['url', url]]);
      if (narHash !== undefined) attrs.set('narHash', narHash);
    } else {
      throw badRef(`input '${text}' is unsupported`, span);
    }
  }
  if (dir !== '') attrs.set('dir', dir);
  return attrs;
}

function str(attrs: InputAttrs, name: string, span: Span | undefined): string {
  const v = attrs.get(name);
  if (v === undefined) throw badRef(`attribute '${name}' missing`, span);
  if (typeof v !== 'string') throw badRef(`attribute '${name}' must be a string`, span);
  return v;
}

function check(attrs: InputAttrs, allowed: readonly string[], span: Span | undefined): void {
  for (const name of attrs.keys()) {
    if (name !== 'type' && !allowed.includes(name)) throw badRef(`unsupported input attribute '${name}'`, span);
  }
}

function plainQuery(attrs: InputAttrs, names: readonly string[], dir: string): Map<string, string> {
  const q = new Map<string, string>();
  for (const n of names) {
    const v = attrs.get(n);
    if (v !== undefined) q.set(n, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  }
  if (dir !== '') q.set('dir', dir);
  return q;
}

function withQuery(base: string, q: Map<string, string>): string {
  return q.size ? `${base}?${queryString(q)}` : base;
}

/** The URL form of flake reference attributes (input attributes and `dir`), as Nix's flakeRefToString. */
export function flakeRefAttrsToString(all: InputAttrs, span?: Span): string {
  const attrs = new Map(all);
  const dirValue = attrs.get('dir');
  attrs.delete('dir');
  const dir = typeof dirValue === 'string' ? dirValue : '';
  const type = attrs.get('type');
  if (type === undefined) throw badRef("attribute 'type' missing", span);
  if (typeof type !== 'string') throw badRef("attribute 'type' must be a string", span);
  if (GIT_ARCHIVES.has(type)) {
    check(attrs, ['owner', 'repo', 'ref', 'rev', 'narHash', 'lastModified', 'host'], span);
    let path = `${str(attrs, 'owner', span)}/${str(attrs, 'repo', span)}`;
    if (attrs.has('ref')) path += `/${str(attrs, 'ref', span)}`;
    if (attrs.has('rev')) path += `/${str(attrs, 'rev', span)}`;
    return withQuery(`${type}:${path}`, plainQuery(attrs, ['host', 'narHash'], dir));
  }
  if (type === 'indirect') {
    check(attrs, ['id', 'ref', 'rev', 'narHash'], span);
    let path = str(attrs, 'id', span);
    if (attrs.has('ref')) path += `/${str(attrs, 'ref', span)}`;
    if (attrs.has('rev')) path += `/${str(attrs, 'rev', span)}`;
    return withQuery(`flake:${path}`, plainQuery(attrs, ['narHash'], dir));
  }
  if (type === 'path') {
    check(attrs, ['path', 'rev', 'revCount', 'lastModified', 'narHash'], span);
    return withQuery(`path:${str(attrs, 'path', span)}`, plainQuery(attrs, ['lastModified', 'narHash', 'rev', 'revCount'], dir));
  }
  if (type === 'git') {
    const params = ['ref', 'rev', 'narHash', 'submodules', 'shallow', 'lfs', 'exportIgnore', 'allRefs', 'revCount', 'lastModified', 'verifyCommit'];
    check(attrs, ['url', ...params], span);
    const url = str(attrs, 'url', span);
    const base = url.startsWith('/') ? `git+file://${url}` : `git+${url}`;
    return withQuery(base, plainQuery(attrs, params.filter((p) => p !== 'submodules' || attrs.get(p) === true), dir));
  }
  if (type === 'tarball' || type === 'file') {
    check(attrs, ['url', 'narHash', 'name', 'unpack', 'rev', 'revCount', 'lastModified'], span);
    const url = str(attrs, 'url', span);
    const isArchive = ARCHIVE_EXTENSIONS.some((e) => url.split('?')[0]!.endsWith(e));
    const base = (type === 'tarball') === isArchive ? url : `${type}+${url}`;
    return withQuery(base, plainQuery(attrs, ['narHash'], dir));
  }
  throw badRef(`input '${type}' is unsupported`, span);
}

function toValue(v: AttrValue): Value {
  return v;
}

defineBuiltin({
  name: 'parseFlakeRef',
  arity: 1,
  doc: 'Parses a flake reference string into its attribute-set form.',
  fn: ([ref], span) => {
    const text = forceStringNoContext(ref, span, 'while evaluating the argument passed to builtins.parseFlakeRef');
    const attrs = parseFlakeRefString(text, span);
    return attrsFromEntries([...attrs].map(([k, v]) => [k, toValue(v)] as [string, Value]));
  },
});

defineBuiltin({
  name: 'flakeRefToString',
  arity: 1,
  doc: 'Writes a flake reference given as attributes in its URL form.',
  fn: ([arg], span) => {
    const set = forceAttrs(arg, span, 'while evaluating the argument passed to builtins.flakeRefToString');
    const attrs: InputAttrs = new Map();
    for (const name of set.sortedNames()) {
      const v = force(set.get(name)!);
      if (typeof v === 'number' || typeof v === 'bigint') {
        if (v < 0) throw badRef(`negative value given for flake ref attr ${name}: ${v}`, span);
        attrs.set(name, v);
      } else if (typeof v === 'boolean') attrs.set(name, v);
      else if (isString(v)) attrs.set(name, stringText(v));
      else {
        throw badRef(`flake reference attribute sets may only contain integers, Booleans, and strings, but attribute '${name}' is ${showType(v)}`, span);
      }
    }
    return flakeRefAttrsToString(attrs, span);
  },
});

defineBuiltin({
  name: 'fetchTree',
  arity: 1,
  global: true,
  doc: 'Fetches a source tree given as a flake reference (string or attributes); needs Nix.',
  fn: ([arg], span) => {
    dependsOnTheWorld('builtins.fetchTree');
    const v = force(arg);
    let shown: string;
    if (v instanceof NixAttrs) {
      const attrs: InputAttrs = new Map();
      for (const name of v.sortedNames()) {
        const x = force(v.get(name)!);
        if (typeof x === 'number' || typeof x === 'bigint') {
          if (x < 0) throw badRef(`negative value given for 'fetchTree' argument '${name}': ${x}`, span);
          attrs.set(name, x);
        } else if (typeof x === 'boolean') attrs.set(name, x);
        else if (isString(x)) attrs.set(name, stringText(x));
        else if (name === 'path' || name === 'url') attrs.set(name, forceStringNoContext(x, span));
        else {
          throw badRef(`argument '${name}' to 'fetchTree' is ${showType(x)} while a string, Boolean or integer is expected`, span);
        }
      }
      if (!attrs.has('type')) throw badRef("attribute 'type' is missing in call to 'fetchTree'", span);
      shown = flakeRefAttrsToString(attrs, span);
    } else {
      shown = forceStringNoContext(v, span, 'while evaluating the first argument passed to the fetcher');
      try {
        parseFlakeRefString(shown, span);
      } catch (e) {
        if (e instanceof NixError) e.addTrace(`while fetching the input '${shown}'`);
        throw e;
      }
    }
    throw needsNix(`builtins.fetchTree (fetching '${shown}')`, span);
  },
});
