/**
 * Derivation store paths computed as Nix computes them, without a store:
 * the ATerm text of a derivation, its "hash modulo" (the hash that makes an
 * output path depend on what is built, not on the .drv paths of its inputs),
 * the output paths and the .drv path. This is what `derivationStrict` does
 * against Nix's `dummy://` store; the bridge may use it to know paths before
 * asking Nix to write anything.
 *
 * What is hard:
 * - input-addressed outputs are computed from the derivation with its own
 *   output paths blanked, and with each input derivation replaced by the hex
 *   of *its* hash modulo (recursively; fixed-output inputs hash to their
 *   content address only, so changing how a source is fetched does not
 *   rebuild everything);
 * - the .drv path is a text-addressed path whose references are the inputs;
 * - depending on a whole derivation (`=drv` context) pulls in its closure.
 * Derivations instantiated here are remembered, as the store would.
 */
import { createHash } from 'node:crypto';
import { toNix32 } from './hashFormats.js';
import { storeDir } from './system.js';
import { compareBytes, encodeBytes } from '../value/bytes.js';

/** What derivationStrict has gathered from the attributes. */
export interface DerivationSpec {
  readonly name: string;
  readonly outputs: readonly string[];
  readonly builder: string;
  readonly system: string;
  readonly args: readonly string[];
  /** Environment (without outputs); for structured attrs, only what the builder also gets as env. */
  readonly env: ReadonlyMap<string, string>;
  /** The JSON of structured attrs (`__json`), when `__structuredAttrs = true`. */
  readonly json?: string;
  /** String context of every attribute (value/index.ts encoding). */
  readonly context: ReadonlySet<string>;
  /** Fixed-output: hash (any format), algorithm, `flat` or `recursive`. */
  readonly fixed?: { readonly hashHex: string; readonly algo: string; readonly recursive: boolean };
}

interface Output { path: string; hashAlgo: string; hash: string }

interface Derivation {
  readonly name: string;
  readonly outputs: Map<string, Output>;
  readonly inputDrvs: Map<string, Set<string>>;
  readonly inputSrcs: Set<string>;
  readonly system: string;
  readonly builder: string;
  readonly args: readonly string[];
  readonly env: Map<string, string>;
  readonly json?: string;
}

/** Every derivation instantiated in this process, by .drv path. */
const known = new Map<string, Derivation>();
const moduloCache = new Map<string, string>();

/** SHA-256 of a string's bytes (value/bytes.ts: derivation attributes are Nix strings). */
const sha256 = (s: string) => createHash('sha256').update(encodeBytes(s)).digest();

function compressHash(h: Buffer, size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < h.length; i++) out[i % size] ^= h[i];
  return out;
}

/** Nix's makeStorePath: `type` includes references (`text:/nix/store/a`). */
export function makeStorePath(type: string, hashHex: string, name: string): string {
  const fp = `${type}:sha256:${hashHex}:${storeDir()}:${name}`;
  return `${storeDir()}/${toNix32(compressHash(sha256(fp), 20))}-${name}`;
}

/** The path of content with a known hash: a fixed-output derivation's output, `builtins.path { sha256; }`. */
export function fixedOutputPath(name: string, ca: { readonly hashHex: string; readonly algo: string; readonly recursive: boolean }): string {
  return ca.recursive && ca.algo === 'sha256'
    ? makeStorePath('source', ca.hashHex, name)
    : makeStorePath('output:out', sha256(`fixed:out:${ca.recursive ? 'r:' : ''}${ca.algo}:${ca.hashHex}:`).toString('hex'), name);
}

function quote(s: string): string {
  return '"' + s.replace(/[\\"\n\r\t]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!) + '"';
}

const byBytes = compareBytes;

/** The ATerm text of a derivation; `inputs` overrides the input derivations (hash modulo form). */
function unparse(drv: Derivation, maskOutputs: boolean, inputs: Map<string, Set<string>> = drv.inputDrvs): string {
  const outs = [...drv.outputs].sort(([a], [b]) => byBytes(a, b))
    .map(([n, o]) => `(${quote(n)},${quote(maskOutputs ? '' : o.path)},${quote(o.hashAlgo)},${quote(o.hash)})`);
  const ins = [...inputs].sort(([a], [b]) => byBytes(a, b))
    .map(([p, os]) => `(${quote(p)},[${[...os].sort(byBytes).map(quote).join(',')}])`);
  const srcs = [...drv.inputSrcs].sort(byBytes).map(quote);
  const env = new Map(drv.env);
  if (maskOutputs) for (const o of drv.outputs.keys()) env.set(o, '');
  if (drv.json !== undefined) env.set('__json', drv.json);
  const envs = [...env].sort(([a], [b]) => byBytes(a, b)).map(([k, v]) => `(${quote(k)},${quote(v)})`);
  return `Derive([${outs.join(',')}],[${ins.join(',')}],[${srcs.join(',')}],${quote(drv.system)},${quote(drv.builder)},[${drv.args.map(quote).join(',')}],[${envs.join(',')}])`;
}

/** Hex of a derivation's hash modulo: what input-addressed output paths hash. */
function hashModulo(drv: Derivation, maskOutputs: boolean): string {
  const out = drv.outputs.get('out');
  if (drv.outputs.size === 1 && out && out.hash !== '') {
    return sha256(`fixed:out:${out.hashAlgo}:${out.hash}:${out.path}`).toString('hex');
  }
  const inputs = new Map<string, Set<string>>();
  for (const [p, os] of drv.inputDrvs) {
    const key = moduloOf(p);
    const set = inputs.get(key) ?? new Set<string>();
    for (const o of os) set.add(o);
    inputs.set(key, set);
  }
  return sha256(unparse(drv, maskOutputs, inputs)).toString('hex');
}

function moduloOf(drvPath: string): string {
  let h = moduloCache.get(drvPath);
  if (h === undefined) {
    const d = known.get(drvPath);
    // A .drv not made here (from the store): only its path is known.
    h = d ? hashModulo(d, false) : sha256(drvPath).toString('hex');
    moduloCache.set(drvPath, h);
  }
  return h;
}

/** The store paths a derivation refers to, itself included (its closure in the store). */
function closure(drvPath: string, into: Set<string>): void {
  if (into.has(drvPath)) return;
  into.add(drvPath);
  const d = known.get(drvPath);
  if (!d) return;
  for (const s of d.inputSrcs) into.add(s);
  for (const p of d.inputDrvs.keys()) closure(p, into);
}

/** Instantiates a derivation: its .drv path and output paths, as Nix's derivationStrict returns them. */
export function instantiate(spec: DerivationSpec): { drvPath: string; outputs: Map<string, string> } {
  const inputDrvs = new Map<string, Set<string>>();
  const inputSrcs = new Set<string>();
  const addDrvOutput = (drv: string, out: string) => {
    const s = inputDrvs.get(drv) ?? new Set<string>();
    s.add(out);
    inputDrvs.set(drv, s);
  };
  for (const c of spec.context) {
    if (c.startsWith('=')) {
      const refs = new Set<string>();
      closure(c.slice(1), refs);
      for (const r of refs) {
        inputSrcs.add(r);
        const d = known.get(r);
        if (d) for (const o of d.outputs.keys()) addDrvOutput(r, o);
      }
    } else if (c.startsWith('!')) {
      const j = c.indexOf('!', 1);
      addDrvOutput(c.slice(j + 1), c.slice(1, j));
    } else if (!c.startsWith('@')) {
      inputSrcs.add(c);
    }
  }
  const env = new Map(spec.env);
  const outputs = new Map<string, Output>();
  if (spec.fixed) {
    const { hashHex, algo, recursive } = spec.fixed;
    const path = fixedOutputPath(spec.name, spec.fixed);
    outputs.set('out', { path, hashAlgo: (recursive ? 'r:' : '') + algo, hash: hashHex });
    env.set('out', path);
  } else {
    for (const o of spec.outputs) outputs.set(o, { path: '', hashAlgo: '', hash: '' });
  }
  const drv: Derivation = {
    name: spec.name, outputs, inputDrvs, inputSrcs, system: spec.system, builder: spec.builder,
    args: spec.args, env, json: spec.json,
  };
  if (!spec.fixed) {
    const h = hashModulo(drv, true);
    for (const o of spec.outputs) {
      const path = makeStorePath(`output:${o}`, h, o === 'out' ? spec.name : `${spec.name}-${o}`);
      outputs.set(o, { path, hashAlgo: '', hash: '' });
      env.set(o, path);
    }
  }
  const text = unparse(drv, false);
  const refs = [...inputSrcs, ...inputDrvs.keys()].sort(byBytes);
  const drvPath = makeStorePath(['text', ...refs].join(':'), sha256(text).toString('hex'), `${spec.name}.drv`);
  known.set(drvPath, drv);
  return { drvPath, outputs: new Map([...outputs].map(([n, o]) => [n, o.path])) };
}
