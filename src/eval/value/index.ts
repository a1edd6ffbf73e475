/**
 * Nix values as the evaluator represents them. This file is the contract that
 * the evaluator, the builtins, the nixpkgs bridge and the builder plugins share;
 * the helpers that operate on values live beside it, one file per kind.
 *
 * Representation, chosen for speed on the common case:
 * - null, true, false: JS `null`, `true`, `false`.
 * - Integers (64-bit signed, exact): a JS `number` while the value is a safe
 *   integer, a `bigint` only outside that range. Every int operation keeps this
 *   invariant (`normInt` in int.ts), so `typeof v === 'number'` means "int".
 * - Floats: `NixFloat`, boxed, so that `1` and `1.0` stay different.
 * - Strings: a JS `string` when the context is empty (most strings), a
 *   `NixString` when it has a context. Nix strings are byte strings; the JS
 *   string is their canonical form of bytes.ts: valid UTF-8 as text, every
 *   other byte as one lone surrogate. Equal bytes are equal JS strings (`===`);
 *   concatenation goes through `concatBytes` (StringBuilder does it), and
 *   what counts, cuts, orders or hashes bytes goes through bytes.ts.
 * - Paths: `NixPath`, absolute and canonical.
 * - Lists: `NixList` of lazy elements; attribute sets: `NixAttrs`.
 * - Functions: `Lambda` (a closure), `PrimOp`, `PrimOpApp` (a partial application).
 * - `Foreign`: a value that stands for a Nix expression evaluated by real Nix
 *   (the nixpkgs bridge). The evaluator knows foreign values only through the
 *   `Foreign` interface.
 *
 * A lazy slot (list element, attribute, argument) holds `Lazy`: either a value
 * or a `Thunk`. `force` turns a `Lazy` into a `Value`.
 */
import type { Span } from '../span.js';
import { sortByBytes } from './bytes.js';

export type Value =
  | null | boolean | number | bigint
  | NixFloat | string | NixString | NixPath
  | NixList | NixAttrs
  | NixFunction
  | Foreign;

export type NixFunction = Lambda | PrimOp | PrimOpApp;

/** A value or a suspended computation of one. */
export type Lazy = Value | Thunk;

export class NixFloat {
  constructor(readonly value: number) {}
}

/**
 * A string context element, encoded as Nix encodes them internally:
 * - `/nix/store/...`: a plain store path (opaque);
 * - `=/nix/store/...drv`: a derivation and all its outputs (`builtins.storePath`
 *   of a .drv, `drvPath` coerced);
 * - `!out!/nix/store/...drv`: output `out` of a derivation;
 * - `@<id>` / `@<id>!<output>`: a foreign value not realised yet (bridge),
 *   `id` being `Foreign.id`. Its text in the string is `Foreign.placeholder`.
 */
export type ContextElem = string;
export type Context = ReadonlySet<ContextElem>;

export class NixString {
  constructor(readonly s: string, readonly context: Context) {}
}

export class NixPath {
  constructor(readonly path: string) {}
}

export class NixList {
  /** The deep walk that last visited it (see `deepWalk`). */
  walk = 0;
  constructor(readonly items: readonly Lazy[]) {}
}

let walks = 0;

/**
 * A new deep walk (`--strict`, `deepSeq`): such a walk visits each set and
 * list once, marking it with the walk's number rather than keeping a Set of
 * every one (which cost more than the walk itself on a file of 300,000 sets).
 * A walk started inside another may take a mark over: the outer one then
 * visits that value again, harmlessly.
 */
export function deepWalk(): number {
  return ++walks;
}

/**
 * An attribute set. `map` keeps insertion order; Nix's order (names sorted by
 * bytes) is `sortedNames()`, computed once and cached. `positions`
 * records where each attribute was defined, for `unsafeGetAttrPos` and messages.
 *
 * A set made by `//` from a large set and a small one is a layer (`top` over
 * `base`) until something needs its whole `map`: the overlay pattern of
 * nixpkgs (`super // { ... }`, thousands of times) then costs a lookup per
 * layer instead of a copy of the whole set per layer. A set written in the
 * source (`{ a = ...; b = ...; }`) is an `AttrShape` shared by every set that
 * expression makes plus an array of values: no Map per set. `get`/`has`/
 * `size` never build a Map; `map` builds it once when asked.
 */
export class NixAttrs {
  /** The deep walk that last visited it (see `deepWalk`). */
  walk = 0;
  private sorted?: readonly string[];
  private pos?: Map<string, Span> | (() => Map<string, Span> | undefined);
  private flat: Map<string, Lazy> | undefined;
  private shape: AttrShape | undefined = undefined;
  private vals: readonly Lazy[] | undefined = undefined;
  private base: NixAttrs | undefined;
  private top: Map<string, Lazy> | undefined;
  private count: number;
  private layers: number;

  /**
   * `positions` may be given as a function, computed on first use: `//` on
   * large sets would otherwise copy every position map eagerly.
   */
  constructor(
    map: Map<string, Lazy>,
    positions?: Map<string, Span> | (() => Map<string, Span> | undefined),
  ) {
    this.flat = map;
    this.pos = positions;
    this.base = undefined;
    this.top = undefined;
    this.count = 0;
    this.layers = 0;
  }

  /** How many layers this set has over a flat one. */
  get depth(): number {
    return this.base === undefined || this.flat !== undefined ? 0 : this.layers;
  }

  /** `base // top` without copying `base`; `size` is the size of the result. */
  static layer(
    base: NixAttrs, top: Map<string, Lazy>, size: number,
    positions?: () => Map<string, Span> | undefined,
  ): NixAttrs {
    // Thin layers are merged into the new top while the layer below is not
    // more than twice as big: layer sizes then grow geometrically toward the
    // base, so a chain of n `//` has O(log n) layers and copies each
    // attribute O(log n) times (flattening every few layers copied the
    // whole set each time: quadratic over thousands of overlays).
    while (base.flat === undefined && base.shape === undefined && base.top!.size <= 2 * top.size) {
      const merged = new Map(base.top!);
      top.forEach((v, k) => merged.set(k, v));
      top = merged;
      base = base.base!;
    }
    const s = new NixAttrs(EMPTY_MAP, positions);
    s.flat = undefined;
    s.base = base;
    s.top = top;
    s.count = size;
    s.layers = base.depth + 1;
    return s;
  }

  /** A set of the names of `shape` with the values `vals` (same order; not copied, not to be changed). */
  static shaped(shape: AttrShape, vals: readonly Lazy[], positions?: Map<string, Span> | (() => Map<string, Span> | undefined)): NixAttrs {
    const s = new NixAttrs(EMPTY_MAP, positions);
    s.flat = undefined;
    s.shape = shape;
    s.vals = vals;
    return s;
  }

  /** Every attribute, in insertion order (built once for layered and shaped sets). */
  get map(): Map<string, Lazy> {
    return (this.flat ??= this.addTo(new Map()));
  }

  /** A new Map of every attribute, without caching one on this set (for building a larger set). */
  toMap(): Map<string, Lazy> {
    return this.flat ? new Map(this.flat) : this.addTo(new Map());
  }

  /**
   * Sets every attribute of this set in `into` (replacing what it has of
   * those names), without building this set's own Map. Map loops here are
   * `forEach`: `for (const [k, v] of map)` makes an entry array per
   * attribute and runs the iterator protocol, several times slower until
   * the engine has optimised the loop.
   */
  addTo(into: Map<string, Lazy>): Map<string, Lazy> {
    if (this.flat) {
      this.flat.forEach((v, k) => into.set(k, v));
    } else if (this.shape) {
      const names = this.shape.names;
      const vals = this.vals!;
      for (let i = 0; i < names.length; i++) into.set(names[i], vals[i]);
    } else {
      this.base!.addTo(into);
      this.top!.forEach((v, k) => into.set(k, v));
    }
    return into;
  }

  get positions(): Map<string, Span> | undefined {
    const p = this.pos;
    if (typeof p === 'function') return (this.pos = p());
    return p;
  }

  sortedNames(): readonly string[] {
    if (this.sorted) return this.sorted;
    if (this.shape && !this.flat) return (this.sorted = this.shape.sortedNames());
    return (this.sorted = sortByBytes([...this.map.keys()]));
  }

  get(name: string): Lazy | undefined {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let s: NixAttrs = this;
    for (;;) {
      if (s.flat !== undefined) return s.flat.get(name);
      if (s.shape !== undefined) {
        const i = s.shape.index.get(name);
        return i === undefined ? undefined : s.vals![i];
      }
      const v = s.top!.get(name);
      if (v !== undefined) return v;
      s = s.base!;
    }
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** This set without the attributes named in `drop`. Its sorted names are this set's, less those, when they are known. */
  without(drop: ReadonlySet<string>): NixAttrs {
    const map = this.toMap();
    drop.forEach((name) => map.delete(name));
    // Positions are only looked at by unsafeGetAttrPos and messages: shared, lazily.
    const s = new NixAttrs(map, () => this.positions);
    const sorted = this.sorted ?? (this.shape !== undefined && this.flat === undefined ? this.shape.sortedNames() : undefined);
    if (sorted !== undefined) s.sorted = sorted.filter((name) => !drop.has(name));
    return s;
  }

  /**
   * A set of the same names whose values are `f(name, value)`, without
   * positions. It shares this set's names: its shape (a set written in the
   * source), or its sorted names.
   */
  mapValues(f: (name: string, v: Lazy) => Lazy): NixAttrs {
    if (this.shape !== undefined && this.flat === undefined) {
      const names = this.shape.names;
      const vals = this.vals!;
      const out = new Array<Lazy>(names.length);
      for (let i = 0; i < names.length; i++) out[i] = f(names[i], vals[i]);
      return NixAttrs.shaped(this.shape, out);
    }
    const map = new Map<string, Lazy>();
    this.map.forEach((v, k) => map.set(k, f(k, v)));
    const s = new NixAttrs(map);
    s.sorted = this.sorted;
    return s;
  }

  get size(): number {
    if (this.flat !== undefined) return this.flat.size;
    if (this.shape !== undefined) return this.shape.names.length;
    return this.count;
  }

  /**
   * The value of the `i`-th name of `sortedNames()`: a set written in the
   * source reads it by its shape's order, without looking the name up (deep
   * walks and printing visit every attribute in that order).
   */
  sortedValue(i: number): Lazy {
    if (this.shape !== undefined) return this.vals![this.shape.sortedOrder()[i]];
    return this.get(this.sortedNames()[i])!;
  }

  static readonly empty = new NixAttrs(new Map());
}

const EMPTY_MAP = new Map<string, Lazy>();

/** The names of a set expression, shared by every set it evaluates to (see NixAttrs). */
export class AttrShape {
  readonly index: ReadonlyMap<string, number>;
  private sorted?: readonly string[];
  /** Where each of `sortedNames()` is in `names`. */
  private order?: Int32Array;
  constructor(readonly names: readonly string[]) {
    const index = new Map<string, number>();
    for (let i = 0; i < names.length; i++) index.set(names[i], i);
    this.index = index;
  }

  sortedNames(): readonly string[] {
    return (this.sorted ??= sortByBytes([...this.names]));
  }

  /** For each of `sortedNames()`, its index in `names`. */
  sortedOrder(): Int32Array {
    if (this.order === undefined) {
      const sorted = this.sortedNames();
      const order = new Int32Array(sorted.length);
      for (let i = 0; i < sorted.length; i++) order[i] = this.index.get(sorted[i])!;
      this.order = order;
    }
    return this.order;
  }
}

/**
 * A suspended computation, forced at most once; forcing it while it is being
 * forced is Nix's "infinite recursion encountered". The interpreter creates
 * thunks over compiled code and an environment, builtins over closures (a
 * closure is code that ignores its `env`). Lists of 100k lazy elements are
 * common, so a thunk is three fields: the state (being forced, failed) is
 * encoded in `code` instead of more fields.
 */
export class Thunk {
  /** Undefined until forced. */
  value: Value | undefined = undefined;
  /**
   * What computes the value (called with `env`); `BLACKHOLE` while forcing,
   * `FAILED` once it threw a NixError (then `env` is the error: forcing it
   * again rethrows it without evaluating again, as current Nix memoizes
   * errors), undefined once forced.
   */
  code: ((env: never) => Value) | undefined;
  env: unknown;
  constructor(compute: ((env: never) => Value) | undefined, env?: unknown) {
    this.code = compute;
    this.env = env;
  }

  /** A thunk evaluating `code(env)`. */
  static of<E>(code: (env: E) => Value, env: E): Thunk {
    return new Thunk(code as (env: never) => Value, env);
  }

  /** Whether it is being forced now. */
  get forcing(): boolean {
    return this.code === BLACKHOLE;
  }

  /** The error its evaluation threw, if it did. */
  get failed(): Error | undefined {
    return this.code === FAILED ? (this.env as Error) : undefined;
  }
}

/** Thunk states kept in `Thunk.code` (see there); never called. */
export const BLACKHOLE = (): Value => { throw new Error('BLACKHOLE called'); };
export const FAILED = (): Value => { throw new Error('FAILED called'); };

/** A Nix function defined in Nix source; `env` is the interpreter's environment. */
export class Lambda {
  constructor(
    readonly expr: import('../syntax/ast.js').Lambda,
    readonly env: unknown,
    /** The interpreter's compiled form of `expr` (interp/code.ts LambdaCode). */
    readonly code?: unknown,
  ) {}
}

/**
 * A builtin. `fn` receives exactly `arity` arguments, unforced, and the span of
 * the call for errors. Builtins are declared with `defineBuiltin` in
 * src/eval/builtins/, one file per family. The hot builtins of one or two
 * arguments also have `fn1`/`fn2`, the same without the argument array, for
 * calls that give exactly those arguments (value/call.ts).
 */
export class PrimOp {
  constructor(
    readonly name: string,
    readonly arity: number,
    readonly fn: (args: Lazy[], span: Span | undefined) => Value,
    readonly doc: string,
    readonly fn1?: (a: Lazy, span: Span | undefined) => Value,
    readonly fn2?: (a: Lazy, b: Lazy, span: Span | undefined) => Value,
  ) {}
}

/** A builtin applied to fewer arguments than its arity. */
export class PrimOpApp {
  constructor(readonly op: PrimOp, readonly args: Lazy[]) {}
}

/**
 * A value computed by real Nix (the nixpkgs bridge). The evaluator treats it
 * as opaque: selecting an attribute, applying it or coercing it to a string
 * builds a larger foreign value or a placeholder string, without running Nix.
 * When a build needs it, the bridge resolves every foreign value in one batch.
 */
export interface Foreign {
  readonly foreign: true;
  /** Unique id, used in string contexts (`@<id>`). */
  readonly id: number;
  /** How it prints in messages and `show`: `pkgs.hello`, `pkgs.php.withExtensions (...)`. */
  describe(): string;
  /** `v.name`, or `undefined` when it is known not to exist. */
  select(name: string, span: Span | undefined): Lazy | undefined;
  /** `v ? name`, where the bridge can answer without Nix; `undefined` when unknown. */
  hasAttr(name: string): boolean | undefined;
  /** `v arg`. */
  apply(arg: Lazy, span: Span | undefined): Value;
  /**
   * `"${v}"`: a placeholder string whose context is `@<id>`. `opts`: the
   * coercion's strength (string.ts CoerceOptions), for a value the bridge
   * reads back as data (`toString pkgs.hello.meta.platforms`).
   */
  coerceToString(span: Span | undefined, opts?: { readonly coerceMore?: boolean; readonly copyToStore?: boolean }): NixString;
  /**
   * The value as native data, computed by real Nix now, one level
   * deep (its parts stay foreign; a derivation stays foreign). For where the
   * evaluator needs the content: `if`, arithmetic, `attrNames`, `length`...
   */
  materialize?(span: Span | undefined): Value;
  /**
   * The attributes of a foreign set that stays foreign when
   * materialized (a derivation), as a native set whose values select from it:
   * what `//`, `attrNames`, `mapAttrs`... need (`drv // { override = ...; }`).
   */
  attrsView?(span: Span | undefined): NixAttrs;
}

export function isForeign(v: Value): v is Foreign {
  return typeof v === 'object' && v !== null && (v as Foreign).foreign === true;
}
