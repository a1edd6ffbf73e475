/**
 * The definitions of a set of literals read back from the parse cache
 * (astCodec.ts), decoded only when something asks for them.
 *
 * A generated file is one set of a few hundred thousand sets of literals:
 * decoding its syntax tree made millions of objects that lived only until the
 * evaluator had built the values from them, and collecting them cost more
 * than anything else. A `LiteralAttrs` is the `attrs` map of such a set: it
 * behaves as the map lowering makes (its first use decodes it), and the
 * evaluator, which only wants the set's value, builds that straight from the
 * cached form instead (`build`), the tree never made.
 */
import type { AttrDef } from './ast.js';
import type { Span } from '../span.js';

/** Makes the value of a literal set (or list) from its cached form: the evaluator's side (interp/constants.ts). */
export interface LiteralBuilder<V> {
  int(value: number | bigint): V;
  /** A float, from its source text (as lowering reads it). */
  float(text: string): V;
  string(s: string): V;
  /** An absolute, canonical path (lowering made it so). */
  path(p: string): V;
  list(items: V[]): V;
  /**
   * `names` may be the array of an earlier set with the same names (not to
   * be changed); `positions` gives where each name is defined, when asked for.
   */
  attrs(names: readonly string[], values: V[], positions: () => Map<string, Span>): V;
  /** A list or set inside another: `buildAt(at)` makes it, when (and if) it is needed. */
  lazy(at: number, buildAt: (at: number) => V): V;
}

/** Where a LiteralAttrs' content comes from. */
export interface LiteralSource {
  decode(): Map<string, AttrDef>;
  build<V>(builder: LiteralBuilder<V>): V;
}

export class LiteralAttrs extends Map<string, AttrDef> {
  private source: LiteralSource | undefined;

  constructor(source: LiteralSource) {
    super();
    this.source = source;
  }

  /** Where the definitions come from while they are not decoded (astCodec.ts copies a set lowered straight into its form). */
  get undecoded(): LiteralSource | undefined {
    return this.source;
  }

  /** The set's value, made by `builder` from the cached form; undefined once the definitions were decoded. */
  build<V>(builder: LiteralBuilder<V>): V | undefined {
    return this.source?.build(builder);
  }

  private fill(): void {
    const source = this.source;
    if (source === undefined) return;
    this.source = undefined;
    for (const [name, def] of source.decode()) super.set(name, def);
  }

  override get size(): number {
    this.fill();
    return super.size;
  }

  override get(name: string): AttrDef | undefined {
    this.fill();
    return super.get(name);
  }

  override has(name: string): boolean {
    this.fill();
    return super.has(name);
  }

  override set(name: string, def: AttrDef): this {
    this.fill();
    return super.set(name, def);
  }

  override delete(name: string): boolean {
    this.fill();
    return super.delete(name);
  }

  override clear(): void {
    this.source = undefined;
    super.clear();
  }

  override forEach(f: (def: AttrDef, name: string, map: Map<string, AttrDef>) => void, self?: unknown): void {
    this.fill();
    super.forEach(f, self);
  }

  override keys(): MapIterator<string> {
    this.fill();
    return super.keys();
  }

  override values(): MapIterator<AttrDef> {
    this.fill();
    return super.values();
  }

  override entries(): MapIterator<[string, AttrDef]> {
    this.fill();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[string, AttrDef]> {
    return this.entries();
  }
}
