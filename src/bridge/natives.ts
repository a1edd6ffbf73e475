/**
 * The evaluator's hooks (value/hooks.ts), filled by the bridge: the places
 * where Nix's semantics need the store. Each is exact even when called alone;
 * none starts a Nix process except where Nix itself must build during
 * evaluation (reading a file of a built path):
 * - "${./file}" and `builtins.path` without a filter: the store path is
 *   computed natively; Nix adds the file in the next batch.
 * - `builtins.toFile`: computed natively as well.
 * - `derivationStrict`: a foreign value for Nix's own `derivationStrict` of the
 *   attributes written back; its outputs are placeholders.
 * - `builtins.storePath`: checked against the store, no process.
 */
import { existsSync } from 'node:fs';
import { NixError } from '../eval/errors.js';
import type { Span } from '../eval/span.js';
import { type Lazy, type Value, NixAttrs, NixList, NixString, NixPath } from '../eval/value/index.js';
import { force, forceList, forceString, forceStringValue, forceBool, lazy } from '../eval/value/force.js';
import { derivationSpec } from '../eval/builtins/derivations.js';
import { instantiate } from '../eval/builtins/derivationPaths.js';
import { ForeignHandle } from './foreign.js';
import type { PendingStore } from './pendingStore.js';
import { storeDir } from './storePath.js';

/**
 * One handle per distinct derivation: the same attributes (as Nix sees them,
 * `__ignoreNulls` and all) give the same handle, so equal derivations have
 * equal placeholder paths, as they have equal paths in Nix. The key is the
 * .drv path computed natively, placeholders of foreign inputs included.
 */
const derivations = new Map<string, ForeignHandle>();

/** Forgets the handles of earlier evaluations' derivations (with foreign.ts resetForeignHandles). */
export function forgetDerivationHandles(): void {
  derivations.clear();
}

function derivationKey(attrs: NixAttrs, span: Span | undefined): string | undefined {
  try {
    return instantiate(derivationSpec(attrs, span)).drvPath;
  } catch (e) {
    if (e instanceof NixError) return undefined; // Nix reports it when it instantiates
    throw e;
  }
}

/** `builtins.derivationStrict attrs`: `{ drvPath; <output> = path; ... }` as placeholders of one foreign value. */
export function derivationStrict(attrs: NixAttrs, span: Span | undefined): Value {
  const name = forceString(attrs.get('name') ?? missing('name', span), span, 'while evaluating the derivation attribute \'name\'');
  const outputs = outputNames(attrs, span);
  const key = derivationKey(attrs, span);
  let h = key === undefined ? undefined : derivations.get(key);
  if (h === undefined) {
    h = new ForeignHandle({ kind: 'call', source: 'builtins.derivationStrict', args: [attrs] }, span,
      `derivation ${JSON.stringify(name)}`);
    if (key !== undefined) derivations.set(key, h);
  }
  const handle = h;
  const result = new Map<string, Lazy>();
  result.set('drvPath', handle.child('drvPath', span, `${name}.drv`).coerceToString(span));
  for (const o of outputs) result.set(o, handle.child(o, span, o === 'out' ? name : `${name}-${o}`).coerceToString(span));
  return new NixAttrs(result);
}

/** The derivation's `outputs` (default `[ "out" ]`). */
function outputNames(attrs: NixAttrs, span: Span | undefined): string[] {
  const outputs = attrs.get('outputs');
  if (outputs === undefined) return ['out'];
  return forceList(outputs, span).items.map((o) => forceString(o, span, 'while evaluating an output name'));
}

function missing(attr: string, span: Span | undefined): never {
  throw new NixError('eval', `required attribute '${attr}' missing`, span);
}

/** `builtins.toFile name contents`: only plain store paths may be referenced, as in Nix. */
export function toFile(store: PendingStore, nameV: Lazy, contentsV: Lazy, span: Span | undefined): Value {
  const name = forceString(nameV, span, 'while evaluating the first argument passed to builtins.toFile');
  const contents = forceStringValue(contentsV, span, 'while evaluating the second argument passed to builtins.toFile');
  const refs: string[] = [];
  for (const c of contents instanceof NixString ? contents.context : []) {
    if (c.startsWith('@') || c.startsWith('=') || c.startsWith('!')) {
      throw new NixError('eval',
        `files created by builtins.toFile may not reference derivations, but ${name} references ${describeContext(c)}`, span);
    }
    refs.push(c);
  }
  const path = store.addText(name, contents, refs, span);
  return new NixString(path, new Set([path]));
}

function describeContext(c: string): string {
  if (c.startsWith('@')) return 'a package only Nix can build';
  return c.replace(/^=|^![^!]*!/, '');
}

/** `builtins.storePath p`: p must be (inside) an existing store path; the context names that path. */
export function storePath(pathV: Lazy, span: Span | undefined): Value {
  const v = force(pathV);
  const text = v instanceof NixPath ? v.path : forceString(v, span, 'while evaluating the first argument passed to builtins.storePath');
  const m = new RegExp(`^${storeDir}/[0-9a-z]{32}-[^/]+`).exec(text);
  if (!m) throw new NixError('eval', `path '${text}' is not in the Nix store`, span);
  if (!existsSync(m[0])) throw new NixError('eval', `path '${m[0]}' is not valid`, span);
  return new NixString(text, new Set([m[0]]));
}

/** `builtins.path { path; name ? ; filter ? ; recursive ? true; sha256 ? }`. */
export function addPath(store: PendingStore, args: NixAttrs, span: Span | undefined): Value {
  const pathV = args.get('path');
  if (pathV === undefined) throw new NixError('eval', "attribute 'path' is missing in the argument of builtins.path", span);
  const p = force(pathV);
  const path = p instanceof NixPath ? p.path : forceString(p, span);
  const nameV = args.get('name');
  const name = nameV === undefined ? undefined : forceString(nameV, span, "while evaluating the 'name' attribute passed to builtins.path");
  const recursive = args.get('recursive') === undefined ? true : forceBool(args.get('recursive')!, span);
  if (args.get('filter') !== undefined || args.get('sha256') !== undefined || !recursive) {
    // Filters call back into a native function; let Nix do all of it.
    const h = new ForeignHandle({ kind: 'call', source: 'builtins.path', args: [args] }, span, 'builtins.path { ... }',
      { storeName: name ?? path.split('/').pop() });
    return h.coerceToString(span);
  }
  const sp = store.addSource(path, span, name);
  return new NixString(sp, new Set([sp]));
}

/** `builtins.filterSource filter path` = `builtins.path { inherit filter path; name = baseNameOf path; }`. */
export function filterSource(filter: Lazy, path: Lazy, span: Span | undefined): Value {
  const h = new ForeignHandle({ kind: 'call', source: 'builtins.filterSource', args: [filter, path] }, span,
    'builtins.filterSource ...');
  return h.coerceToString(span);
}

/**
 * `derivation attrs`, as Nix's derivation.nix builds it from derivationStrict:
 * the attributes, one set per output (`outPath`, `drvPath`, `type`,
 * `outputName`), each output reachable from the others, `all`, `drvAttrs`;
 * the value is the first output's set.
 */
export function derivation(attrs: NixAttrs, span: Span | undefined): Value {
  const strict = lazy(() => derivationStrict(attrs, span));
  const outputs = outputNames(attrs, span);
  const perOutput = new Map<string, NixAttrs>();
  const common = new Map<string, Lazy>(attrs.map);
  for (const o of outputs) {
    const own = new Map<string, Lazy>(common);
    own.set('outPath', lazy(() => force((force(strict) as NixAttrs).get(o)!)));
    own.set('drvPath', lazy(() => force((force(strict) as NixAttrs).get('drvPath')!)));
    own.set('type', 'derivation');
    own.set('outputName', o);
    // The attributes given keep their positions, as `drvAttrs // { ... }` keeps them in derivation.nix.
    perOutput.set(o, new NixAttrs(own, () => attrs.positions));
  }
  // Every output set sees every output and `all`; they are filled in after all exist. As in
  // derivation.nix, each is one value, unevaluated until used (printed without --strict: <CODE>),
  // but for the first output: the derivation's value is that one.
  const all = lazy(() => new NixList(outputs.map((o) => perOutput.get(o)!)));
  const outputValues = outputs.map((o, i) => (i === 0 ? perOutput.get(o)! : lazy(() => perOutput.get(o)!)));
  for (const set of perOutput.values()) {
    outputs.forEach((o, i) => set.map.set(o, outputValues[i]));
    set.map.set('all', all);
    set.map.set('drvAttrs', attrs);
  }
  return perOutput.get(outputs[0])!;
}

/**
 * The fetchers: only Nix can fetch (and it must, for the hash to be checked).
 * `fetchurl` and `fetchTarball` give a store path string; the others a set
 * (outPath, rev, ...), which stays a foreign value.
 */
export function fetch(kind: string, arg: Lazy, span: Span | undefined): Value {
  const h = new ForeignHandle({ kind: 'call', source: `builtins.${kind}`, args: [arg] }, span, `builtins.${kind} ...`,
    { storeName: 'source' });
  return kind === 'fetchurl' || kind === 'fetchTarball' ? h.coerceToString(span) : h;
}
