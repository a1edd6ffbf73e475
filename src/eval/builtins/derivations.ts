/**
 * Derivations: `derivationStrict` and Nix's `derivation` wrapper.
 *
 * derivationStrict checks the attributes exactly as Nix does, attribute by
 * attribute in name order (so the first error reported is Nix's first error),
 * coercing each value as the builder will see it and collecting the string
 * contexts that become the derivation's inputs. Writing the .drv is the
 * bridge's job (hooks.derivationStrict); `instantiateWithoutStore` computes the
 * same paths without a store (derivationPaths.ts), as Nix's dummy store does.
 */
import { NixError } from '../errors.js';
import type { Span } from '../span.js';
import { NixAttrs, NixList, type Lazy, type Value } from '../value/index.js';
import {
  force, forceAttrs, forceBool, forceList, forceStringNoContext, forceStringValue, lazy,
} from '../value/force.js';
import { getAttr } from '../value/attrs.js';
import { StringBuilder, coerceInto, mkString, stringText } from '../value/string.js';
import { hooks } from '../value/hooks.js';
import { defineBuiltin } from './registry.js';
import { diagnostics } from '../diagnostics.js';
import { instantiate, type DerivationSpec } from './derivationPaths.js';
import { jsonString } from './jsonText.js';
import { valueToJSON } from './json.js';
import { BadHash, parseAnyHash } from './hashFormats.js';
import { badStoreName } from './store.js';

const OUTPUT_HASH_MODES = new Set(['flat', 'recursive', 'nar', 'text', 'git']);

function experimental(feature: string, span: Span | undefined): NixError {
  return new NixError('eval', `experimental Nix feature '${feature}' is disabled; add '--extra-experimental-features ${feature}' to enable it`, span);
}

/**
 * Checks a derivation's attributes as Nix's derivationStrict does, attribute
 * by attribute in name order (so the first error is Nix's first error), and
 * gathers what the .drv will contain: every value coerced as the builder will
 * see it, with the string contexts that become the inputs. Remembered per
 * attribute set, so the bridge's hook can ask again for free.
 */
const specs = new WeakMap<NixAttrs, DerivationSpec>();

export function derivationSpec(attrs: NixAttrs, span: Span | undefined): DerivationSpec {
  const done = specs.get(attrs);
  if (done) return done;
  const nameV = getAttr(attrs, 'name', span, 'in the attrset passed as argument to builtins.derivationStrict');
  let drvName: string;
  try {
    drvName = forceStringNoContext(nameV, span, 'while evaluating the `name` attribute passed to builtins.derivationStrict');
  } catch (e) {
    if (e instanceof NixError) e.addTrace("while evaluating the derivation attribute 'name'", attrs.positions?.get('name'));
    throw e;
  }
  try {
    const bad = badStoreName(drvName);
    if (bad) throw new NixError('eval', `invalid derivation name: ${bad}. Please pass a different 'name'.`, span);
    const structured = attrs.has('__structuredAttrs')
      && forceBool(attrs.get('__structuredAttrs')!, span, 'while evaluating the `__structuredAttrs` attribute passed to builtins.derivationStrict');
    const ignoreNulls = attrs.has('__ignoreNulls')
      && forceBool(attrs.get('__ignoreNulls')!, span, 'while evaluating the `__ignoreNulls` attribute passed to builtins.derivationStrict');
    const context = new Set<string>();
    const env = new Map<string, string>();
    const json: string[] = [];
    const args: string[] = [];
    let builder = '';
    let system = '';
    let outputs = ['out'];
    let outputHash: string | undefined;
    let outputHashAlgo: string | undefined;
    let recursive = false;
    let contentAddressed = false;
    let impure = false;
    const coerce = (v: Lazy, at: Span | undefined, ctx?: string): string => {
      const b = new StringBuilder();
      coerceInto(b, v, at, { coerceMore: true, copyToStore: true }, ctx);
      if (b.context) for (const c of b.context) context.add(c);
      return b.text;
    };
    const handleOutputs = (names: string[]) => {
      const seen = new Set<string>();
      for (const o of names) {
        if (seen.has(o)) throw new NixError('eval', `duplicate derivation output '${o}'`, span);
        if (o === 'drvPath') throw new NixError('eval', "invalid derivation output name 'drvPath'", span);
        seen.add(o);
      }
      if (seen.size === 0) throw new NixError('eval', 'derivation cannot have an empty set of outputs', span);
      outputs = names;
    };
    const handleHashMode = (m: string) => {
      if (!OUTPUT_HASH_MODES.has(m)) throw new NixError('eval', `invalid value '${m}' for 'outputHashMode' attribute`, span);
      if (m === 'text') throw experimental('dynamic-derivations', span);
      if (m === 'git') throw experimental('git-hashing', span);
      recursive = m === 'recursive' || m === 'nar';
    };
    for (const key of attrs.sortedNames()) {
      if (key === '__ignoreNulls') continue;
      const v = attrs.get(key)!;
      const at = attrs.positions?.get(key) ?? span;
      try {
        if (ignoreNulls && force(v) === null) continue;
        if (key === '__contentAddressed') {
          if (forceBool(v, at)) { contentAddressed = true; throw experimental('ca-derivations', at); }
        } else if (key === '__impure') {
          if (forceBool(v, at)) { impure = true; throw experimental('impure-derivations', at); }
        } else if (key === 'args') {
          for (const item of forceList(v, at).items) args.push(coerce(item, at, 'while evaluating an element of the argument list'));
        } else if (structured) {
          if (key === '__structuredAttrs') continue;
          json.push(`${jsonString(key)}:${valueToJSON(v, at, context)}`);
          if (key === 'builder') builder = stringText(forceStringValue(v, at));
          else if (key === 'system') system = forceStringNoContext(v, at);
          else if (key === 'outputHash') outputHash = forceStringNoContext(v, at);
          else if (key === 'outputHashAlgo') outputHashAlgo = forceStringNoContext(v, at);
          else if (key === 'outputHashMode') handleHashMode(forceStringNoContext(v, at));
          else if (key === 'outputs') handleOutputs(forceList(v, at).items.map((o) => forceStringNoContext(o, at)));
          else if (STRUCTURED_IGNORED.has(key)) {
            diagnostics.warn({
              message: `'structuredAttrs' disables the effect of the derivation attribute '${key}'; use 'outputChecks.<output>.${key}' instead`,
              span: at,
              trace: [{ message: `while evaluating derivation '${drvName}'` }],
            });
          }
        } else {
          const text = coerce(v, at);
          env.set(key, text);
          if (key === 'builder') builder = text;
          else if (key === 'system') system = text;
          else if (key === 'outputHash') outputHash = text;
          else if (key === 'outputHashAlgo') outputHashAlgo = text;
          else if (key === 'outputHashMode') handleHashMode(text);
          else if (key === 'outputs') handleOutputs(text.split(/[ \t\n\r]+/).filter(Boolean));
        }
      } catch (e) {
        if (e instanceof NixError) e.addTrace(`while evaluating attribute '${key}' of derivation '${drvName}'`, at);
        throw e;
      }
    }
    if (builder === '') throw new NixError('eval', "required attribute 'builder' missing", span);
    if (system === '') throw new NixError('eval', "required attribute 'system' missing", span);
    if (contentAddressed && impure) throw new NixError('eval', 'derivation cannot be both content-addressed and impure', span);
    let fixed: DerivationSpec['fixed'];
    if (outputHash !== undefined) {
      if (outputs.length !== 1 || outputs[0] !== 'out') {
        throw new NixError('eval', 'multiple outputs are not supported in fixed-output derivations', span);
      }
      try {
        const h = parseAnyHash(outputHash, outputHashAlgo === '' ? undefined : outputHashAlgo);
        fixed = { hashHex: h.bytes.toString('hex'), algo: h.algo, recursive };
      } catch (e) {
        if (e instanceof BadHash) throw new NixError('eval', e.message, span);
        throw e;
      }
    }
    const spec: DerivationSpec = {
      name: drvName, outputs, builder, system, args, env, context, fixed,
      json: structured ? `{${json.join(',')}}` : undefined,
    };
    specs.set(attrs, spec);
    return spec;
  } catch (e) {
    if (e instanceof NixError) {
      const pos = attrs.positions?.get('name');
      e.addTrace(`while evaluating derivation '${drvName}'\n  whose name attribute is located at ${pos ? `${pos.source.path}:${pos.line}:${pos.column}` : '«unknown»'}`);
    }
    throw e;
  }
}

/** Attributes that structured attrs replace by `outputChecks` (Nix warns). */
const STRUCTURED_IGNORED = new Set(['allowedReferences', 'allowedRequisites', 'disallowedReferences', 'disallowedRequisites', 'maxSize', 'maxClosureSize']);

/**
 * derivationStrict without Nix, as against Nix's `dummy://` store: the paths
 * are computed (derivationPaths.ts), nothing is written. The language tests
 * use it; the bridge decides whether the CLI does.
 */
export function instantiateWithoutStore(attrs: NixAttrs, span: Span | undefined): Value {
  const { drvPath, outputs } = instantiate(derivationSpec(attrs, span));
  const map = new Map<string, Lazy>([['drvPath', mkString(drvPath, new Set(['=' + drvPath]))]]);
  for (const [o, p] of outputs) map.set(o, mkString(p, new Set([`!${o}!${drvPath}`])));
  return new NixAttrs(map);
}

const derivationStrictOp = defineBuiltin({
  name: 'derivationStrict',
  arity: 1,
  global: true,
  doc: 'Instantiates a derivation: checks its attributes, then has Nix write the .drv; returns { drvPath; <output>Path...; }.',
  fn: ([a], span) => {
    const attrs = forceAttrs(a, span, 'while evaluating the argument passed to builtins.derivationStrict');
    derivationSpec(attrs, span);
    return hooks.derivationStrict(attrs, span);
  },
});

/**
 * Nix's `derivation` (its derivation.nix), over derivationStrict: the result
 * is the first output's set, each output set being the attributes given plus
 * every output by name, `all`, `drvAttrs`, and its own `outPath`, `drvPath`,
 * `outputName` and `type = "derivation"`. Everything from derivationStrict is
 * lazy, so `drv.name` costs no instantiation.
 */
export function derivationValue(drvAttrs: NixAttrs, span: Span | undefined): Value {
  const outputsV = drvAttrs.get('outputs');
  const outputs = outputsV === undefined ? ['out']
    : forceList(outputsV, span, 'while evaluating the `outputs` attribute of a derivation').items
      .map((o) => stringText(forceStringValue(o, span, 'while evaluating an output name of a derivation')));
  const strict = lazy(() => derivationStrictOp.fn([drvAttrs], span));
  const fromStrict = (name: string) => lazy(() => force(getAttr(forceAttrs(strict, span), name, span)));
  const sets = new Map<string, NixAttrs>();
  const common = new Map<string, Lazy>(drvAttrs.map);
  for (const o of outputs) common.set(o, lazy(() => sets.get(o)!));
  common.set('all', new NixList(outputs.map((o) => lazy(() => sets.get(o)!))));
  common.set('drvAttrs', drvAttrs);
  const drvPath = fromStrict('drvPath');
  for (const o of outputs) {
    const m = new Map(common);
    m.set('outPath', fromStrict(o));
    m.set('drvPath', drvPath);
    m.set('type', 'derivation');
    m.set('outputName', o);
    sets.set(o, new NixAttrs(m, () => drvAttrs.positions));
  }
  return sets.get(outputs[0])!;
}
