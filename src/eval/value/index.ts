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
 *   `NixString` when it has a context. Nix strings are byte strings; here they
 *   are JS strings of the UTF-8 text, and operations that count bytes
 *   (stringLength, substring) convert.
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
  constructor(readonly items: Lazy[]) {}
}

/**
 * An attribute set. `map` keeps insertion order; Nix's order (names sorted by
 * UTF-8 bytes) is `sortedNames()`, computed once and cached. `positions`
 * records where each attribute was defined, for `unsafeGetAttrPos` and messages.
 */
export class NixAttrs {
  private sorted?: readonly string[];
  constructor(
    readonly map: Map<string, Lazy>,
    readonly positions?: Map<string, Span>,
  ) {}

  sortedNames(): readonly string[] {
    return (this.sorted ??= [...this.map.keys()].sort(compareNames));
  }

  get(name: string): Lazy | undefined {
    return this.map.get(name);
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  get size(): number {
    return this.map.size;
  }

  static readonly empty = new NixAttrs(new Map());
}

/** Compares attribute names (and strings) as Nix does: by UTF-8 bytes. */
export function compareNames(a: string, b: string): number {
  // For strings without surrogates, UTF-16 code unit order equals code point
  // order, which equals UTF-8 byte order. Surrogates (code points above
  // U+FFFF) sort below U+E000..U+FFFF in UTF-16 but above them in UTF-8.
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      const cx = a.codePointAt(i)!;
      const cy = b.codePointAt(i)!;
      return cx < cy ? -1 : cx > cy ? 1 : 0;
    }
    return x - y;
  }
  return a.length - b.length;
}

/**
 * A suspended computation, forced at most once. `compute` is set while the
 * thunk is unevaluated; forcing it while it is being forced is Nix's
 * "infinite recursion encountered". The interpreter creates thunks over an
 * expression and environment; builtins create them over closures.
 */
export class Thunk {
  /** Undefined until forced. */
  value: Value | undefined = undefined;
  /** Set while forcing, to detect infinite recursion. */
  forcing = false;
  constructor(public compute: (() => Value) | undefined) {}
}

/** A Nix function defined in Nix source; `env` is the interpreter's environment. */
export class Lambda {
  constructor(
    readonly expr: import('../syntax/ast.js').Lambda,
    readonly env: unknown,
  ) {}
}

/**
 * A builtin. `fn` receives exactly `arity` arguments, unforced, and the span of
 * the call for errors. Builtins are declared with `defineBuiltin` in
 * src/eval/builtins/, one file per family.
 */
export class PrimOp {
  constructor(
    readonly name: string,
    readonly arity: number,
    readonly fn: (args: Lazy[], span: Span | undefined) => Value,
    readonly doc: string,
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
  /** `"${v}"`: a placeholder string whose context is `@<id>`. */
  coerceToString(span: Span | undefined): NixString;
}

export function isForeign(v: Value): v is Foreign {
  return typeof v === 'object' && v !== null && (v as Foreign).foreign === true;
}
