/**
 * A flake.nix as Nix reads it before evaluating anything else: a set of
 * `description`, `inputs`, `outputs` and `nixConfig`, nothing more. Each input
 * is a reference (`url = "github:..."`, `url = ./sub`, or the fetcher's
 * attributes with `type`), or `follows = "a/b"`; `flake = false` marks plain
 * sources, and `inputs.x.inputs.y...` overrides the inputs of an input. The
 * formals of `outputs` name inputs too (`{ self, nixpkgs }:` without
 * `inputs.nixpkgs` means the registry's `nixpkgs`).
 */
import { NixError } from '../eval/errors.js';
import { formatPos, type Span } from '../eval/span.js';
import { type Lazy, type Value, Lambda, NixAttrs, NixPath, NixString, PrimOp, PrimOpApp } from '../eval/value/index.js';
import { force } from '../eval/value/force.js';
import { showType } from '../eval/value/types.js';
import { parseInputPath, parseInputUrl, type AttrValue, type InputAttrs } from './ref.js';

export interface FlakeInput {
  /** The reference, when the input names one (not for a pure `follows` or an override of nested inputs only). */
  readonly ref?: InputAttrs;
  /** `follows`: the input path it follows, from the root of the lock file. */
  readonly follows?: readonly string[];
  readonly isFlake: boolean;
  /** `inputs.<name>.inputs.<nested> = ...`: overrides of this input's own inputs. */
  readonly overrides: ReadonlyMap<string, FlakeInput>;
  readonly span?: Span;
}

export interface FlakeFile {
  readonly path: string;
  readonly description?: string;
  /** By input name, sorted as Nix sorts them. */
  readonly inputs: ReadonlyMap<string, FlakeInput>;
  /** The `outputs` function. */
  readonly outputs: Value;
  readonly outputsSpan?: Span;
}

const TOP_LEVEL = new Set(['description', 'inputs', 'outputs', 'nixConfig']);

function at(span: Span | undefined): string {
  return span ? `, at ${formatPos(span)}` : '';
}

function expectAttrs(v: Lazy, what: string, span: Span | undefined): NixAttrs {
  const x = force(v);
  if (!(x instanceof NixAttrs)) throw new NixError('eval', `expected a set but got ${showType(x)} for ${what}`, span);
  return x;
}

function text(v: Value): string | undefined {
  return typeof v === 'string' ? v : v instanceof NixString ? v.s : undefined;
}

/** One fetcher attribute of an input written as attributes (`type = "github"; owner = ...;`). */
function inputAttr(name: string, v: Value, span: Span | undefined): AttrValue {
  const s = text(v);
  if (s !== undefined) return s;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' || typeof v === 'bigint') {
    if (v < 0) throw new NixError('eval', `negative value given for flake input attribute ${name}: ${v}`, span);
    return v;
  }
  throw new NixError('eval', `flake input attribute '${name}' is ${showType(v)} while a string, Boolean, or integer is expected`, span);
}

/**
 * `flakeDir`: the directory of this flake.nix, for `url = ./sub`.
 * `lockRoot`: where this flake sits in the lock file (`follows` are relative to it).
 */
function parseInput(value: Lazy, span: Span | undefined, flakeDir: string, lockRoot: readonly string[]): FlakeInput {
  const set = expectAttrs(value, 'a flake input', span);
  let isFlake = true;
  let follows: string[] | undefined;
  let url: string | undefined;
  let overrides = new Map<string, FlakeInput>();
  const attrs: InputAttrs = new Map();
  for (const name of set.sortedNames()) {
    const pos = set.positions?.get(name) ?? span;
    try {
      const v = force(set.get(name)!);
      if (name === 'url') {
        if (v instanceof NixPath) {
          if (v.path !== flakeDir && !v.path.startsWith(`${flakeDir}/`)) {
            throw new NixError('eval', `input attribute path '${v.path}' must be in the same source tree as ${flakeDir}`, pos);
          }
          url = `path:./${v.path.slice(flakeDir.length + 1)}`;
        } else if (text(v) !== undefined) url = text(v)!;
        else throw new NixError('eval', `expected a string or a path but got ${showType(v)}`, pos);
        attrs.set('url', url);
      } else if (name === 'flake') {
        if (typeof v !== 'boolean') throw new NixError('eval', `expected a Boolean but got ${showType(v)}`, pos);
        isFlake = v;
      } else if (name === 'inputs') {
        overrides = parseInputs(v, pos, flakeDir, lockRoot);
      } else if (name === 'follows') {
        const t = text(v);
        if (t === undefined) throw new NixError('eval', `expected a string but got ${showType(v)}`, pos);
        follows = [...lockRoot, ...parseInputPath(t)];
      } else {
        attrs.set(name, inputAttr(name, v, pos));
      }
    } catch (e) {
      if (e instanceof NixError) e.addTrace(`while evaluating flake attribute '${name}'`, pos);
      throw e;
    }
  }
  let ref: InputAttrs | undefined;
  if (attrs.has('type')) ref = attrs;
  else {
    attrs.delete('url');
    const [unexpected] = attrs.keys();
    if (unexpected !== undefined) throw new NixError('eval', `unexpected flake input attribute '${unexpected}'${at(span)}`, span);
    if (url !== undefined) ref = parseInputUrl(url, span);
  }
  if (ref && follows) throw new NixError('eval', `flake input has both a flake reference and a follows attribute${at(span)}`, span);
  return { ref, follows, isFlake, overrides, span };
}

function parseInputs(value: Lazy, span: Span | undefined, flakeDir: string, lockRoot: readonly string[]): Map<string, FlakeInput> {
  const set = expectAttrs(value, "the flake's inputs", span);
  const out = new Map<string, FlakeInput>();
  for (const name of set.sortedNames()) {
    if (name === 'self') continue; // `inputs.self.submodules`: options of the flake's own fetch
    out.set(name, parseInput(set.get(name)!, set.positions?.get(name) ?? span, flakeDir, lockRoot));
  }
  return out;
}

/**
 * Reads the flake.nix at `path` (already evaluated to `value` by the caller's
 * evaluator). `name` is how messages name the flake (`path:/x`).
 */
export function readFlakeFile(path: string, value: Value, name: string, lockRoot: readonly string[] = []): FlakeFile {
  if (!(value instanceof NixAttrs)) {
    throw new NixError('eval', `file '${path}' must be an attribute set, but it is ${showType(value)}`);
  }
  for (const attr of value.sortedNames()) {
    if (!TOP_LEVEL.has(attr)) {
      const pos = value.positions?.get(attr);
      throw new NixError('eval', `flake '${name}' has an unsupported attribute '${attr}'${at(pos)}`, pos);
    }
  }
  const flakeDir = path.slice(0, path.lastIndexOf('/'));
  let description: string | undefined;
  const d = value.get('description');
  if (d !== undefined) {
    const v = force(d);
    const s = text(v);
    const pos = value.positions?.get('description');
    if (s === undefined) throw new NixError('eval', `expected a string but got ${showType(v)}${at(pos)}`, pos);
    description = s;
  }
  const inputsValue = value.get('inputs');
  const inputs = inputsValue === undefined ? new Map<string, FlakeInput>()
    : parseInputs(inputsValue, value.positions?.get('inputs'), flakeDir, lockRoot);
  const outputs = value.get('outputs');
  if (outputs === undefined) throw new NixError('eval', `flake '${name}' lacks attribute 'outputs'`);
  const outputsSpan = value.positions?.get('outputs');
  const fn = force(outputs);
  if (!(fn instanceof Lambda || fn instanceof PrimOp || fn instanceof PrimOpApp)) {
    throw new NixError('eval', `expected a function but got ${showType(fn)}${at(outputsSpan)}`, outputsSpan);
  }
  // `outputs = { self, nixpkgs }:` names the inputs it takes; those not declared are the registry's.
  if (fn instanceof Lambda) {
    for (const formal of fn.expr.formals?.entries ?? []) {
      if (formal.name === 'self' || inputs.has(formal.name)) continue;
      inputs.set(formal.name, { ref: new Map([['type', 'indirect'], ['id', formal.name]]), isFlake: true, overrides: new Map(), span: formal.span });
    }
  }
  const sorted = new Map([...inputs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { path, description, inputs: sorted, outputs: fn, outputsSpan };
}
