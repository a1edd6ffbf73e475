/**
 * Test support for the builder plugins: real Nix source evaluated by the
 * native evaluator (so values and attribute spans are the real ones), and a
 * small stand-in for the bridge's package set: each registered plugin is a
 * builtin of its arity that calls `toSpec` and returns a foreign value with
 * `builder` attached, as src/bridge does; any other attribute is an opaque
 * foreign value (`pkgs.hello`). Placeholders have the bridge's shape
 * (`/nix/store/<32 chars>-<name>`, context `@<id>`).
 */
import { createEvaluator, type Evaluator } from '../../src/eval/index.js';
import { NixError } from '../../src/eval/errors.js';
import type { Span } from '../../src/eval/span.js';
import { type Foreign, type Lazy, type Value, NixAttrs, NixString, PrimOp } from '../../src/eval/value/index.js';
import { lazy } from '../../src/eval/value/force.js';
import { callFunction } from '../../src/eval/value/call.js';
import { getBuilder, builderAttrPaths } from '../../src/builders/registry.js';
import type { BuiltBy, NixText, PreviewEnv } from '../../src/builders/types.js';

let nextId = 1;
const handles = new Map<number, TestForeign>();

export class TestForeign implements Foreign {
  readonly foreign = true as const;
  readonly id = nextId++;
  readonly placeholder: string;
  constructor(readonly expr: string, readonly builder?: BuiltBy) {
    handles.set(this.id, this);
    const name = builder ? builder.plugin.preview(builder.spec).name : expr.replace(/.*\./, '');
    this.placeholder = `/nix/store/${String(this.id).padStart(32, '0')}-${name}`;
  }
  describe(): string {
    return this.expr;
  }
  select(name: string): Lazy | undefined {
    if (name === 'name' && this.builder) return this.builder.plugin.preview(this.builder.spec).name;
    return new TestForeign(`${this.expr}.${name}`);
  }
  hasAttr(): boolean | undefined {
    return undefined;
  }
  apply(_arg: Lazy): Value {
    return new TestForeign(`${this.expr} (...)`);
  }
  coerceToString(): NixString {
    return new NixString(this.placeholder, new Set([`@${this.id}`]));
  }
}

/** The package set the tests hand to `pkgs: ...` expressions. */
export function testPkgs(): NixAttrs {
  const map = new Map<string, Lazy>();
  for (const attr of builderAttrPaths()) {
    const plugin = getBuilder(attr)!;
    map.set(attr, new PrimOp(attr, plugin.arity, (args: Lazy[], span: Span | undefined) => {
      const spec = plugin.toSpec(args, span);
      return new TestForeign(`pkgs.${attr} (...)`, { plugin, spec });
    }, `test ${attr}`));
  }
  for (const name of ['hello', 'bash', 'cacert', 'squashfs-tools', 'squashfsTools', 'runtimeShell']) {
    map.set(name, new TestForeign(`pkgs.${name}`));
  }
  return new NixAttrs(map);
}

/** Renders placeholders as `${pkgs.hello}`, as the bridge's renderText does. */
export const testPreviewEnv: PreviewEnv = {
  renderText(t: NixText): string {
    let text = t.text;
    for (const c of t.context) {
      if (!c.startsWith('@')) continue;
      const h = handles.get(Number(c.slice(1).split('!')[0]));
      if (h) text = text.split(h.placeholder).join(`\${${h.expr}}`);
    }
    return text;
  },
};

export const evaluator: Evaluator = createEvaluator({ cwd: '/tmp' });

/** Evaluates `pkgs: <body>` with the test package set; `file` is the pseudo file name in spans. */
export function evalWithPkgs(body: string, baseDir = '/tmp', file = '/tmp/test.nix'): Value {
  const fn = evaluator.evalExpr(`pkgs: ${body}`, baseDir, file);
  return evaluator.force(lazy(() => callFunction(fn, [testPkgs()], undefined)));
}

/** The spec a plugin call evaluated to. */
export function specOf<S>(v: Value): S {
  const b = (v as TestForeign).builder;
  if (!b) throw new Error('not a builder result');
  return b.spec as S;
}

/** Evaluates and returns the NixError it throws (fails the test when none). */
export function errorOf(body: string, baseDir = '/tmp'): NixError {
  try {
    evaluator.forceDeep(evalWithPkgs(body, baseDir));
  } catch (e) {
    if (e instanceof NixError) return e;
    throw e;
  }
  throw new Error(`expected an error from: ${body}`);
}

/** `line:column` of an error, for asserting spans. */
export function at(e: NixError): string {
  return e.span ? `${e.span.line}:${e.span.column}` : 'no span';
}
