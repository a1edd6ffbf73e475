/**
 * Typed argument schemas for builder plugins: the one facility every plugin
 * uses to turn the evaluated arguments of a nixpkgs-style call into a plain,
 * typed spec.
 *
 * A plugin declares each argument with a type (`t.string`, `t.listOf(...)`,
 * `t.derivation()` ...), whether it is required or has a default, and the
 * older names nixpkgs still accepts (`squashfsTools` for `squashfs-tools`).
 * `readArgSet` then checks a call the way Nix checks a call of a function with
 * a formal argument set (a missing required argument first, then unexpected
 * ones), and reads each value with its type.
 *
 * What is hard is saying *where* and *what*: every error is a NixError at the
 * span of the attribute that holds the bad value (`NixAttrs.positions`), or at
 * the call when there is no better place, and it names the builder, the
 * argument and, inside lists and nested sets, the element: "portableService:
 * argument 'units' must be a list of derivations, but element 2 is a path".
 * A `Place` carries that description down through the nested types.
 */
import { NixError } from '../eval/errors.js';
import type { Span } from '../eval/span.js';
import { type Lazy, type Value, NixAttrs, NixList, NixPath, NixString, isForeign } from '../eval/value/index.js';
import { force, forceMaterialized } from '../eval/value/force.js';
import { coerceToString, stringContext, stringText, type StringValue } from '../eval/value/string.js';
import { showType } from '../eval/value/types.js';
import { didYouMean } from '../eval/value/attrs.js';
import { printString } from '../eval/syntax/print.js';
import type { BuiltBy, ForeignWithBuilder, NixText, StoreObject } from './types.js';

/** Where a value sits in a builder call, for messages: which builder, which argument or element, which span. */
export class Place {
  constructor(
    readonly builder: string,
    /** `argument 'units'`, `element 2 of argument 'units'`, ... */
    readonly label: string,
    readonly span: Span | undefined,
    /** How a mismatch reads when it is better said by the enclosing list. */
    private readonly mismatchText?: (found: string) => string,
    /** What an enclosing type expects (`a string or null`), said instead of the inner type's phrase. */
    private readonly expectedOverride?: string,
  ) {}

  /** This place, with mismatches phrased with the enclosing type's `expected`. */
  expecting(expected: string): Place {
    return new Place(this.builder, this.label, this.span, this.mismatchText, expected);
  }

  /** A NixError for this place: "<builder>: <message>". */
  error(message: string): NixError {
    return new NixError('eval', `${this.builder}: ${message}`, this.span);
  }

  /** "<label> must be <expected>, but found <type of v>". */
  mismatch(expected: string, v: Value, found = showType(v)): never {
    const what = this.expectedOverride ?? expected;
    throw this.error(this.mismatchText ? this.mismatchText(found) : `${this.label} must be ${what}, but found ${found}`);
  }

  /** The i-th element (0-based) of the list at this place, whose type reads `listExpected`. */
  element(i: number, listExpected: string): Place {
    const n = i + 1;
    return new Place(this.builder, `element ${n} of ${this.label}`, this.span,
      (found) => `${this.label} must be ${listExpected}, but element ${n} is ${found}`);
  }

  /** An attribute of the set at this place; its own span when the set records one. */
  attr(name: string, span: Span | undefined): Place {
    return new Place(this.builder, `attribute '${name}' of ${this.label}`, span ?? this.span);
  }

  /** Forces a value here: a failure inside it gets this span when it has none. */
  force(v: Lazy): Value {
    return this.guard(() => force(v));
  }

  /**
   * Forces a value expected to be plain data: data only Nix knows
   * (`version = pkgs.hello.version`) is read back from Nix, so it is checked
   * as what it is. Derivations are not asked for: they stay foreign.
   */
  forceData(v: Lazy): Value {
    return this.guard(() => forceMaterialized(v, this.span));
  }

  private guard(f: () => Value): Value {
    try {
      return f();
    } catch (e) {
      if (e instanceof NixError) e.at(this.span);
      throw e;
    }
  }
}

/** A type of argument: what it reads as in messages ("a list of strings") and how a value is read. */
export interface ArgType<T> {
  readonly expected: string;
  read(v: Lazy, place: Place): T;
}

/** Converts an evaluator string value to the builders' `NixText`. */
function toNixText(s: StringValue): NixText {
  return { text: stringText(s), context: [...stringContext(s)] };
}

function builtByOf(v: Value): BuiltBy | undefined {
  return isForeign(v) ? (v as ForeignWithBuilder).builder : undefined;
}

/** Options of the derivation type. */
interface DerivationOptions {
  /** Also read the `name` attribute (units need it: nixpkgs installs `${u}` as `u.name`). */
  readonly needName?: boolean;
}

/** Reads a derivation or a foreign value (which stands for one) into a StoreObject. */
function readDerivation(x: Value, place: Place, expected: string, opts: DerivationOptions): StoreObject | undefined {
  if (isForeign(x)) {
    const builtBy = builtByOf(x);
    const outPath = toNixText(x.coerceToString(place.span));
    let name: NixText | undefined;
    if (opts.needName) {
      if (builtBy) {
        name = { text: builtBy.plugin.preview(builtBy.spec).name, context: [] };
      } else {
        const n = x.select('name', place.span);
        // A foreign value's name is foreign too: a placeholder string until Nix computes it.
        if (n !== undefined) name = t.stringCoercible(false).read(n, place.attr('name', undefined));
      }
    }
    // The bridge's foreign values record where they were made (not part of the Foreign contract).
    const madeAt = (x as { readonly span?: Span }).span;
    return { kind: 'foreign', outPath, name, builtBy, describe: x.describe(), madeAt };
  }
  if (!(x instanceof NixAttrs)) return undefined;
  const outLazy = x.get('outPath');
  if (outLazy === undefined) place.mismatch(expected, x, 'a set without an \'outPath\' attribute');
  const outPlace = place.attr('outPath', x.positions?.get('outPath'));
  const outValue = outPlace.force(outLazy);
  const outPath = toNixText(coerceToString(outValue, outPlace.span, { copyToStore: true }));
  let name: NixText | undefined;
  const nameLazy = x.get('name');
  if (opts.needName && nameLazy === undefined) place.mismatch(expected, x, 'a set without a \'name\' attribute');
  if (nameLazy !== undefined && opts.needName) name = t.string.read(nameLazy, place.attr('name', x.positions?.get('name')));
  const describe = name ? `a derivation named '${name.text}'` : `a derivation with outPath '${outPath.text}'`;
  const madeAt = x.positions?.get('name') ?? x.positions?.get('outPath');
  return { kind: 'derivation', outPath, name, builtBy: builtByOf(outValue), describe, madeAt };
}

/**
 * The argument types. Each reads the value forced at its place and returns a
 * plain typed value, or throws a mismatch naming what it expected.
 */
export const t = {
  string: {
    expected: 'a string',
    read(v: Lazy, place: Place): NixText {
      const x = place.forceData(v);
      if (typeof x === 'string' || x instanceof NixString) return toNixText(x);
      return place.mismatch(this.expected, x);
    },
  } satisfies ArgType<NixText>,

  int: {
    expected: 'an integer',
    read(v: Lazy, place: Place): number | bigint {
      const x = place.forceData(v);
      if (typeof x === 'number' || typeof x === 'bigint') return x;
      return place.mismatch(this.expected, x);
    },
  } satisfies ArgType<number | bigint>,

  bool: {
    expected: 'a Boolean',
    read(v: Lazy, place: Place): boolean {
      const x = place.forceData(v);
      if (typeof x === 'boolean') return x;
      return place.mismatch(this.expected, x);
    },
  } satisfies ArgType<boolean>,

  /** Any value, kept lazy: for arguments passed on to Nix as they are (`meta`, `passthru`). */
  any: {
    expected: 'a value',
    read(v: Lazy): Lazy {
      return v;
    },
  } satisfies ArgType<Lazy>,

  /** Any attribute set, kept as it is (runCommand's environment, `derivationArgs`). */
  attrSet: {
    expected: 'a set',
    read(v: Lazy, place: Place): NixAttrs {
      const x = place.force(v);
      if (x instanceof NixAttrs) return x;
      return place.mismatch(this.expected, x);
    },
  } satisfies ArgType<NixAttrs>,

  nullable<T>(inner: ArgType<T>): ArgType<T | null> {
    return {
      expected: `${inner.expected} or null`,
      read(v, place) {
        const x = place.force(v);
        return x === null ? null : inner.read(x, place.expecting(this.expected));
      },
    };
  },

  listOf<T>(item: ArgType<T>, plural: string): ArgType<T[]> {
    const expected = `a list of ${plural}`;
    return {
      expected,
      read(v, place) {
        const x = place.force(v);
        if (!(x instanceof NixList)) return place.mismatch(expected, x);
        return x.items.map((e, i) => item.read(e, place.element(i, expected)));
      },
    };
  },

  /** A set of the given shape, read with the same rules as a builder's argument set (values and spans). */
  shape<D extends Decls>(expected: string, decls: D, opts: ShapeOptions = {}): ArgType<ReadArgs<D>> {
    return {
      expected,
      read(v, place) {
        const x = place.force(v);
        if (!(x instanceof NixAttrs)) return place.mismatch(expected, x);
        return readDecls(decls, x, place, opts);
      },
    };
  },

  /** A set whose every value has one type (replaceVars' `replacements`), in Nix's name order. */
  attrsOf<T>(value: ArgType<T>, plural: string): ArgType<Array<{ name: string; value: T; span: Span | undefined }>> {
    const expected = `a set of ${plural}`;
    return {
      expected,
      read(v, place) {
        const x = place.force(v);
        if (!(x instanceof NixAttrs)) return place.mismatch(expected, x);
        return x.sortedNames().map((name) => {
          const span = x.positions?.get(name);
          return { name, value: value.read(x.get(name)!, place.attr(name, span)), span };
        });
      },
    };
  },

  /** A derivation: an attribute set with `outPath` (what nixpkgs' builders give), or a foreign value. */
  derivation(opts: DerivationOptions = {}): ArgType<StoreObject> {
    const expected = opts.needName ? 'a derivation (a set with \'name\' and \'outPath\')' : 'a derivation';
    return {
      expected,
      read(v, place) {
        const x = place.force(v);
        return readDerivation(x, place, expected, opts) ?? place.mismatch(expected, x);
      },
    };
  },

  /**
   * Something that names a store object: a derivation, a foreign value, a path
   * (added to the store when used) or a string holding a store path.
   */
  pathLike: {
    expected: 'a path, a string or a derivation',
    read(v: Lazy, place: Place): StoreObject {
      const x = place.force(v);
      if (x instanceof NixPath) return { kind: 'path', path: x.path, describe: x.path };
      if (typeof x === 'string' || x instanceof NixString) {
        const outPath = toNixText(x);
        return { kind: 'string', outPath, describe: outPath.text };
      }
      return readDerivation(x, place, this.expected, {}) ?? place.mismatch(this.expected, x);
    },
  } satisfies ArgType<StoreObject>,

  /**
   * A value Nix turns into a string when it interpolates it: strings, paths,
   * derivations; with `coerceMore`, also what `toString` accepts (ints, Booleans,
   * null, lists). The result carries its context.
   */
  stringCoercible(coerceMore = false): ArgType<NixText> {
    const expected = coerceMore ? 'a value convertible to a string' : 'a string or a value that converts to one';
    return {
      expected,
      read(v, place) {
        const x = place.force(v);
        const ok = typeof x === 'string' || x instanceof NixString || x instanceof NixPath || isForeign(x)
          || (x instanceof NixAttrs && (x.has('outPath') || x.has('__toString')))
          || (coerceMore && (x === null || typeof x === 'boolean' || typeof x === 'number' || typeof x === 'bigint' || x instanceof NixList));
        if (!ok) return place.mismatch(expected, x);
        try {
          return toNixText(coerceToString(x, place.span, { coerceMore, copyToStore: true }));
        } catch (e) {
          if (e instanceof NixError) e.at(place.span);
          throw e;
        }
      },
    };
  },
};

/** One declared argument. */
export interface ArgDecl<T> {
  readonly type: ArgType<T>;
  /** Undefined for a required argument. */
  readonly fallback: { readonly value: T } | undefined;
  /** Older names nixpkgs accepts for the same argument. */
  readonly aliases: readonly string[];
  /** What the argument does, for people (the editor's completion and hover). */
  readonly doc?: string;
}

export function required<T>(type: ArgType<T>): ArgDecl<T> {
  return { type, fallback: undefined, aliases: [] };
}

export function optional<T>(type: ArgType<T>, value: T): ArgDecl<T> {
  return { type, fallback: { value }, aliases: [] };
}

/** The same argument, also accepted under older names. */
export function alias<T>(decl: ArgDecl<T>, ...names: string[]): ArgDecl<T> {
  return { ...decl, aliases: [...decl.aliases, ...names] };
}

/** The same argument, with what it does said for people. */
export function documented<T>(decl: ArgDecl<T>, doc: string): ArgDecl<T> {
  return { ...decl, doc };
}

/** One declared argument as documentation shows it (editor completion, hover). */
export interface ArgumentDoc {
  readonly name: string;
  readonly aliases: readonly string[];
  /** The type as messages say it: `a string`, `a list of derivations`. */
  readonly expected: string;
  readonly required: boolean;
  /** The default as Nix source (`"1M"`, `[ ]`, `null`), for an optional argument whose default is plain data. */
  readonly defaultSource?: string;
  readonly doc?: string;
}

/** A default value written as Nix source, when it is plain data. */
function defaultSource(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (Array.isArray(value) && value.length === 0) return '[ ]';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && typeof (value as NixText).text === 'string') return printString((value as NixText).text);
  return undefined;
}

/** The documentation of a set of declarations, in declaration order. */
export function argumentDocs(decls: Decls): ArgumentDoc[] {
  return Object.entries(decls).map(([name, decl]) => {
    const shown = decl.fallback ? defaultSource(decl.fallback.value) : undefined;
    return {
      name,
      aliases: decl.aliases,
      expected: decl.type.expected,
      required: decl.fallback === undefined,
      ...(shown === undefined ? {} : { defaultSource: shown }),
      ...(decl.doc === undefined ? {} : { doc: decl.doc }),
    };
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Decls = Record<string, ArgDecl<any>>;

/** The typed values a set of declarations reads to. */
export type Read<D extends Decls> = { -readonly [K in keyof D]: D[K] extends ArgDecl<infer T> ? T : never };

export interface ShapeOptions {
  /** The function has `...`: other attributes are allowed (and returned in `extra`). */
  readonly ellipsis?: boolean;
}

export interface ReadArgs<D extends Decls> {
  readonly values: Read<D>;
  /** Where each argument was given (the attribute's definition), when it was given and the set records it. */
  readonly spans: { readonly [K in keyof D]?: Span };
  /** Which arguments were given (under their name or an alias). */
  readonly given: ReadonlySet<keyof D>;
  /** With `ellipsis`: the attributes not declared, by name, with where they are defined. */
  readonly extra: ReadonlyMap<string, { readonly value: Lazy; readonly span: Span | undefined }>;
}

function readDecls<D extends Decls>(decls: D, attrs: NixAttrs, place: Place, opts: ShapeOptions): ReadArgs<D> {
  const known = new Map<string, string>(); // given name or alias -> declared name
  for (const [name, decl] of Object.entries(decls)) {
    known.set(name, name);
    for (const a of decl.aliases) known.set(a, name);
  }
  const whose = place.label === 'the arguments' ? '' : ` in ${place.label}`;

  // Nix reports a missing required argument before an unexpected one.
  for (const [name, decl] of Object.entries(decls)) {
    if (decl.fallback || attrs.has(name) || decl.aliases.some((a) => attrs.has(a))) continue;
    throw place.error(`called without required argument '${name}'${whose}`);
  }
  const extra = new Map<string, { value: Lazy; span: Span | undefined }>();
  for (const given of attrs.sortedNames()) {
    if (known.has(given)) continue;
    if (opts.ellipsis) {
      extra.set(given, { value: attrs.get(given)!, span: attrs.positions?.get(given) });
      continue;
    }
    const e = new Place(place.builder, place.label, attrs.positions?.get(given) ?? place.span)
      .error(`called with unexpected argument '${given}'${whose}`);
    const hint = didYouMean(given, [...known.keys()].sort());
    if (hint) e.hints.push(hint);
    throw e;
  }

  const values: Record<string, unknown> = {};
  const spans: Record<string, Span | undefined> = {};
  const given = new Set<keyof D>();
  for (const [name, decl] of Object.entries(decls)) {
    const present = [name, ...decl.aliases].filter((n) => attrs.has(n));
    if (present.length > 1) {
      throw new Place(place.builder, place.label, attrs.positions?.get(present[1]) ?? place.span)
        .error(`'${present[0]}' and '${present[1]}' are the same argument${whose}; give only one`);
    }
    if (present.length === 0) {
      values[name] = decl.fallback!.value;
      continue;
    }
    const span = attrs.positions?.get(present[0]);
    const argPlace = place.label === 'the arguments'
      ? new Place(place.builder, `argument '${present[0]}'`, span ?? place.span)
      : place.attr(present[0], span);
    values[name] = decl.type.read(attrs.get(present[0])!, argPlace);
    spans[name] = span;
    given.add(name);
  }
  return { values: values as Read<D>, spans: spans as ReadArgs<D>['spans'], given, extra };
}

/**
 * Reads the argument set of a call `builder { ... }` (nixpkgs' functions that
 * take one set). `callSpan` is where the call is, for errors without a better
 * place.
 */
export function readArgSet<D extends Decls>(
  builder: string, decls: D, arg: Lazy, callSpan: Span | undefined, opts: ShapeOptions = {},
): ReadArgs<D> {
  const place = new Place(builder, 'the arguments', callSpan);
  const x = place.force(arg);
  if (!(x instanceof NixAttrs)) {
    throw place.error(`expected a set of arguments, but found ${showType(x)}`);
  }
  return readDecls(decls, x, place, opts);
}

/** One curried argument of `builder a b ...` (writeText's `name` and `text`). */
export interface Positional<T> {
  readonly name: string;
  readonly type: ArgType<T>;
}

export function positional<T>(name: string, type: ArgType<T>): Positional<T> {
  return { name, type };
}

/**
 * Reads curried arguments. Nix records no span for each argument of a call,
 * so errors point at the call.
 */
export function readPositional<const A extends readonly Positional<unknown>[]>(
  builder: string, params: A, args: readonly Lazy[], callSpan: Span | undefined,
): { -readonly [K in keyof A]: A[K] extends Positional<infer T> ? T : never } {
  if (args.length !== params.length) {
    throw new NixError('eval', `${builder}: expected ${params.length} arguments, got ${args.length}`, callSpan);
  }
  return params.map((p, i) => p.type.read(args[i], new Place(builder, `argument '${p.name}'`, callSpan))) as never;
}
