/**
 * Builtins whose result only the Nix store or the network can give:
 * toFile, path, filterSource, storePath, fetchurl, fetchTarball, fetchGit
 * (derivations are in derivations.ts).
 *
 * Everything that can be checked without Nix is checked here, exactly as Nix
 * does and in Nix's order, so that a mistake is reported the same way whether
 * or not real Nix is there: argument types, store-path names, a path filter's
 * answers (the filter runs here, over the real
 * directory tree). Only then is the work handed to the bridge through optional
 * hooks on the evaluator's hook object; without the bridge, a clear "needs
 * Nix" error, never a made-up value.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { NixError } from '../errors.js';
import type { Span } from '../span.js';
import { NixAttrs, type Lazy, type Value } from '../value/index.js';
import {
  force, forceAttrs, forceBool, forceFunction, forceStringNoContext, forceStringValue,
} from '../value/force.js';
import { callFunction } from '../value/call.js';
import { StringBuilder, coerceInto, coerceToPath, stringContext, stringText } from '../value/string.js';
import { hooks, needsNix } from '../value/hooks.js';
import { defineBuiltin } from './registry.js';
import { argCtx } from './argContext.js';
import { missingPath } from '../fileErrors.js';
import { checkAccess } from '../access.js';
import { evalSettings } from '../settings.js';
import { isStorePath } from './context.js';
import { storeDir } from './system.js';
import { byteLength, decodeBytes, osPath } from '../value/bytes.js';
import { dependsOnTheWorld } from '../dependencies.js';

/**
 * The fetchers have no hook in value/hooks.ts; the bridge adds this one
 * (src/bridge/index.ts, BridgeExtraHooks) and gets the argument as written,
 * after the checks here.
 */
export interface FetchHook {
  fetch?(kind: FetchKind, arg: Lazy, span: Span | undefined): Value;
}

export type FetchKind = 'fetchurl' | 'fetchTarball' | 'fetchGit';

const fetchHook = hooks as unknown as FetchHook;

/** Nix's store-path name check; the reason, or undefined when valid. */
export function badStoreName(name: string): string | undefined {
  if (name === '') return 'name must not be empty';
  if (byteLength(name) > 211) return `name '${name}' must be no longer than 211 characters`;
  if (name === '.' || name === '..') return `name '${name}' is not valid`;
  if (name.startsWith('.-') || name.startsWith('..-')) {
    return `name '${name}' is not valid: first dash-separated component must not be '${name.startsWith('..') ? '..' : '.'}'`;
  }
  const bad = /[^0-9a-zA-Z+\-._?=]/.exec(name);
  if (bad) return `name '${name}' contains illegal character '${bad[0]}'`;
  return undefined;
}

// ------------------------------------------------------------------ paths

/**
 * Runs a path filter over a tree as Nix does while adding it: each entry is
 * offered as (path, type); a rejected directory is not entered. Its mistakes
 * (not a function of two arguments, not returning a Boolean) surface here,
 * whether or not the bridge then adds the path.
 */
function applyFilter(root: string, filter: Lazy, span: Span | undefined): string[] {
  const kept: string[] = [];
  const visit = (dir: string) => {
    const entries = readdirSync(osPath(dir), { withFileTypes: true, encoding: 'buffer' }).sort((a, b) => Buffer.compare(a.name, b.name));
    for (const entry of entries) {
      const p = join(dir, decodeBytes(entry.name));
      const type = entry.isDirectory() ? 'directory' : entry.isFile() ? 'regular' : entry.isSymbolicLink() ? 'symlink' : 'unknown';
      const keep = forceBool(callFunction(filter, [p, type], span), span, 'while evaluating the return value of the path filter function');
      if (!keep) continue;
      kept.push(p);
      if (entry.isDirectory()) visit(p);
    }
  };
  if (statSync(osPath(root)).isDirectory()) visit(root);
  return kept;
}

function nameOrBase(path: string, name: string | undefined, span: Span | undefined): string {
  const n = name ?? basename(path);
  const bad = badStoreName(n);
  if (bad) throw new NixError('eval', `invalid store path name: ${bad}`, span);
  return n;
}

defineBuiltin({
  name: 'filterSource',
  arity: 2,
  doc: 'Adds a path to the store, keeping only the entries for which a filter (path, type) returns true.',
  fn: ([filter, p], span) => {
    const { path } = coerceToPath(p, span, "while evaluating the second argument (the path to filter) passed to 'builtins.filterSource'");
    forceFunction(filter, span, argCtx('filterSource', 0));
    checkAccess(path, span);
    if (!existsSync(osPath(path))) throw missingPath(path, span);
    nameOrBase(path, undefined, span);
    applyFilter(path, filter, span);
    return hooks.filterSource(filter, path, span);
  },
});

defineBuiltin({
  name: 'path',
  arity: 1,
  doc: 'Adds a path to the store: { path; name ? baseNameOf path; filter ? ...; recursive ? true; sha256 ? ...; }.',
  fn: ([arg], span) => {
    const args = forceAttrs(arg, span, "while evaluating the argument passed to 'builtins.path'");
    let path: string | undefined;
    let name: string | undefined;
    let filter: Lazy | undefined;
    for (const n of args.sortedNames()) {
      const v = args.get(n)!;
      const at = args.positions?.get(n) ?? span;
      if (n === 'path') path = coerceToPath(v, at, "while evaluating the 'path' attribute passed to 'builtins.path'").path;
      else if (n === 'name') name = forceStringNoContext(v, at, "while evaluating the `name` attribute passed to builtins.path");
      else if (n === 'filter') { forceFunction(v, at, "while evaluating the `filter` parameter passed to builtins.path"); filter = v; }
      else if (n === 'recursive') forceBool(v, at, 'while evaluating the `recursive` attribute passed to builtins.path');
      else if (n === 'sha256') forceStringNoContext(v, at, 'while evaluating the `sha256` attribute passed to builtins.path');
      else throw new NixError('eval', `unsupported argument '${n}' to 'builtins.path'`, at);
    }
    if (path === undefined) throw new NixError('eval', "missing required 'path' attribute in the first argument to 'builtins.path'", span);
    checkAccess(path, span);
    if (!existsSync(osPath(path))) throw missingPath(path, span);
    nameOrBase(path, name, span);
    if (filter !== undefined) applyFilter(path, filter, span);
    return hooks.addPath(args, span);
  },
});

defineBuiltin({
  name: 'toFile',
  arity: 2,
  doc: 'Writes a string to a file in the store and returns its path.',
  fn: ([n, c], span) => {
    const name = forceStringNoContext(n, span, 'while evaluating the first argument passed to builtins.toFile');
    const contents = forceStringValue(c, span, 'while evaluating the second argument passed to builtins.toFile');
    for (const e of stringContext(contents)) {
      if (e.startsWith('=') || e.startsWith('!')) {
        throw new NixError('eval', `files created by builtins.toFile may not reference derivations, but ${name} references ${e}`, span);
      }
    }
    const bad = badStoreName(name);
    if (bad) throw new NixError('eval', `invalid store path name: ${bad}`, span);
    return hooks.toFile(name, contents, span);
  },
});

defineBuiltin({
  name: 'storePath',
  arity: 1,
  doc: 'A store path as a string with itself as context (the path must be valid in the store).',
  fn: ([p], span) => {
    if (evalSettings.pureEval) throw new NixError('eval', "'builtins.storePath' is not allowed in pure evaluation mode", span);
    const { path } = coerceToPath(p, span, "while evaluating the first argument passed to 'builtins.storePath'");
    const dir = storeDir();
    const top = path.startsWith(dir + '/') ? path.slice(0, dir.length + 1 + path.slice(dir.length + 1).split('/')[0].length) : '';
    if (!isStorePath(top)) throw new NixError('eval', `path '${path}' is not in the Nix store`, span);
    return hooks.storePath(path, span);
  },
});

// ------------------------------------------------------------------ fetchers

/** fetchurl / fetchTarball: a URL string or { url; name?; sha256?; }; the name must make a store path. */
function fetchUrlLike(kind: 'fetchurl' | 'fetchTarball', arg: Lazy, span: Span | undefined): Value {
  const v = force(arg);
  let url: string | undefined;
  let name = '';
  let nameGiven = false;
  let hashGiven = false;
  if (v instanceof NixAttrs) {
    for (const n of v.sortedNames()) {
      const x = v.get(n)!;
      if (n === 'url') url = forceStringNoContext(x, span, 'while evaluating the url we should fetch');
      else if (n === 'sha256') {
        forceStringNoContext(x, span, 'while evaluating the sha256 of the content we should fetch');
        hashGiven = true;
      }
      else if (n === 'name') {
        nameGiven = true;
        name = forceStringNoContext(x, span, 'while evaluating the name of the content we should fetch');
      } else throw new NixError('eval', `unsupported argument '${n}' to '${kind}'`, span);
    }
    if (url === undefined) throw new NixError('eval', "'url' argument required", span);
  } else {
    url = forceStringNoContext(v, span, 'while evaluating the url we should fetch');
  }
  if (url.startsWith('channel:')) url = `https://nixos.org/channels/${url.slice(8)}/nixexprs.tar.xz`;
  if (name === '') {
    const trimmed = url.replace(/\/+$/, '');
    name = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  }
  const bad = badStoreName(name);
  if (bad) {
    const advice = nameGiven
      ? `Please change the value for the 'name' attribute passed to '${kind}', so that it can create a valid store path.`
      : v instanceof NixAttrs
        ? `Please add a valid 'name' attribute to the argument for '${kind}', so that it can create a valid store path.`
        : `Please pass an attribute set with 'url' and 'name' attributes to '${kind}',  so that it can create a valid store path.`;
    throw new NixError('eval', `invalid store path name when fetching URL '${url}': ${bad}. ${advice}`, span);
  }
  if (evalSettings.pureEval && !hashGiven) throw new NixError('eval', `in pure evaluation mode, '${kind}' requires a 'sha256' argument`, span);
  if (!hashGiven) dependsOnTheWorld(`builtins.${kind} without a hash`);
  const h = fetchHook.fetch;
  if (!h) throw needsNix(`builtins.${kind} (fetching '${url}')`, span);
  return h(kind, arg, span);
}

defineBuiltin({
  name: 'fetchurl',
  arity: 1,
  doc: 'Downloads a file into the store (needs Nix).',
  fn: ([arg], span) => fetchUrlLike('fetchurl', arg, span),
});

defineBuiltin({
  name: 'fetchTarball',
  arity: 1,
  global: true,
  doc: 'Downloads and unpacks a tarball into the store (needs Nix).',
  fn: ([arg], span) => fetchUrlLike('fetchTarball', arg, span),
});

defineBuiltin({
  name: 'fetchGit',
  arity: 1,
  global: true,
  doc: 'Fetches a Git repository into the store (needs Nix).',
  fn: ([arg], span) => {
    const v = force(arg);
    let url: string;
    if (v instanceof NixAttrs) {
      const u = v.get('url');
      if (u === undefined) throw new NixError('eval', "'url' argument required", span);
      url = stringText(coerceToPathOrString(u, span));
    } else {
      url = stringText(coerceToPathOrString(v, span));
    }
    dependsOnTheWorld('builtins.fetchGit');
    const h = fetchHook.fetch;
    if (!h) throw needsNix(`builtins.fetchGit (fetching '${url}')`, span);
    return h('fetchGit', arg, span);
  },
});

function coerceToPathOrString(v: Lazy, span: Span | undefined) {
  const b = new StringBuilder();
  coerceInto(b, v, span, { copyToStore: false }, 'while evaluating the URL passed to builtins.fetchGit');
  return b.toValue();
}
