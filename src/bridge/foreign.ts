/**
 * Foreign values: handles that stand for a Nix expression only real Nix can
 * evaluate (`pkgs.hello`, `pkgs.hello.overrideAttrs f`, `import <nixpkgs/nixos> {...}`).
 * Selecting from or applying a handle makes a larger handle; nothing runs until
 * a build needs the value, and then every handle is resolved in one batch.
 *
 * A handle coerced to a string gives its placeholder: a fixed-length fake
 * store path (`/nix/store/0000000<id in base 32>-<name>`) that no real store
 * path is, with context `@<id>`. String operations on it behave as on a real
 * store path (basename, name, `+ "/bin/x"`), and resolution replaces it
 * textually by the real path.
 */
import { NixError } from '../eval/errors.js';
import type { Span } from '../eval/span.js';
import { type Foreign, type Lazy, type Value, NixString, Thunk } from '../eval/value/index.js';
import type { NixAttrs } from '../eval/value/index.js';
import { type CoerceOptions, coerceToString as coerceNative } from '../eval/value/string.js';
import type { BuiltBy } from '../builders/types.js';

/** What a handle stands for, built from its parts. */
export type ForeignExpr =
  /** Nix source applied to native arguments written back: `import /nixpkgs {…}`, `builtins.derivationStrict {…}`. */
  | { readonly kind: 'call'; readonly source: string; readonly args: readonly Lazy[] }
  | { readonly kind: 'select'; readonly base: ForeignHandle; readonly name: string }
  | { readonly kind: 'apply'; readonly fn: ForeignHandle; readonly arg: Lazy };

/** What a handle does on `select` beyond making a child (the package set's `lib` and plugins). */
export type SelectOverride = (handle: ForeignHandle, name: string, span: Span | undefined) => Lazy | undefined;

/**
 * A package set root's own knowledge of its top-level names (tsportable's
 * default set knows them: bridge/defaultSetNames.ts), so that `pkgs ? foo`
 * needs no Nix and `pkgs.foo` of a name it lacks fails where it is written.
 */
export interface RootNames {
  /** Whether the set has `name`; undefined when only Nix can say. */
  has(name: string): boolean | undefined;
  /** `name` is being selected: may give a notice, or throw Nix's missing-attribute error at `span`. */
  selected(name: string, span: Span | undefined): void;
}

const placeholderPrefix = '/nix/store/0000000';
const idWidth = 25;
const base32Chars = '0123456789abcdfghijklmnpqrsvwxyz';

function encodeId(id: number): string {
  let s = '';
  for (let n = id; n > 0; n = Math.floor(n / 32)) s = base32Chars[n % 32] + s;
  return s.padStart(idWidth, '0');
}

/**
 * Questions about a foreign value only real Nix can answer during evaluation
 * (`pkgs ? foo`, `x.a or d`, `if pkgs.stdenv.isLinux`): the bridge installs
 * the oracle; each answer costs a Nix evaluation, so answers are cached.
 */
export interface ForeignOracle {
  /** Told of every handle made, so that it can fetch what it will be asked about several handles at once. */
  created?(h: ForeignHandle): void;
  hasAttr(h: ForeignHandle, name: string): boolean;
  /** The value as native data, one level deep: parts stay foreign (a derivation stays foreign). */
  materialize(h: ForeignHandle, span: Span | undefined): Value;
  /** A foreign set's attributes, derivations included, as a native set whose values select from it. */
  attrsView(h: ForeignHandle, span: Span | undefined): NixAttrs;
  /**
   * The values as `nix-instantiate --eval [--strict]` prints them, as parts of
   * one value (a set printed before is `«repeated»` after), in one Nix process.
   */
  print(handles: readonly ForeignHandle[], strict: boolean): string[];
}

let oracle: ForeignOracle | undefined;

export function setForeignOracle(o: ForeignOracle | undefined): void {
  oracle = o;
}

const registry = new Map<number, ForeignHandle>();
let nextId = 1;

/**
 * Forgets every handle made so far and numbers new ones from 1 again, for a
 * process that evaluates many times (the language server, between two
 * analyses): handles do not pile up, and the same file writes the same Nix
 * programs, whose answers can then be reused. Only safe when no value of an
 * earlier evaluation is used again.
 */
export function resetForeignHandles(): void {
  registry.clear();
  nextId = 1;
}

export class ForeignHandle implements Foreign {
  readonly foreign = true as const;
  readonly id: number;
  readonly placeholder: string;
  /** Set when a builder plugin made this value: the plugin call it stands for. */
  builder?: BuiltBy;
  /** The derivation name, when known natively (a builder plugin's preview): `v.name` needs no Nix. */
  knownName?: string;
  /** Attribute path from a package set root (`hello`, `writers.writeBash`), while only selects lead here. */
  readonly attrPath?: string;
  private readonly children = new Map<string, ForeignHandle>();
  /** Set on package set roots: answers `lib` and builder plugins natively. */
  readonly onSelect?: SelectOverride;
  /** Set on package set roots whose names are known without Nix. */
  readonly names?: RootNames;
  private readonly storeName: string;

  constructor(
    readonly expr: ForeignExpr,
    /** Where the user's file made this value: errors from Nix about it point here. */
    readonly span: Span | undefined,
    /** How it reads in messages; for an application, the argument is shown once it is known (see describe). */
    private readonly label: string,
    options: { onSelect?: SelectOverride; names?: RootNames; storeName?: string } = {},
  ) {
    this.id = nextId++;
    this.onSelect = options.onSelect;
    this.names = options.names;
    this.storeName = options.storeName ? sanitizeName(options.storeName) : storeNameOf(expr);
    this.placeholder = `${placeholderPrefix}${encodeId(this.id)}-${this.storeName}`;
    if (expr.kind === 'select') {
      const base = expr.base;
      if (base.onSelect) this.attrPath = expr.name;
      else if (base.attrPath !== undefined) this.attrPath = `${base.attrPath}.${expr.name}`;
    }
    registry.set(this.id, this);
    oracle?.created?.(this);
  }

  describe(): string {
    const e = this.expr;
    if (e.kind !== 'apply') return this.label;
    return `${e.fn.describe()} ${describeArg(e.arg)}`;
  }

  /** The handle's short name, for placeholders: the last attribute selected on the way. */
  get name(): string {
    return this.storeName;
  }

  select(name: string, span: Span | undefined): Lazy | undefined {
    if (name === 'name' && this.knownName !== undefined) return this.knownName;
    const root = this.packageSetRoot();
    const special = root?.onSelect?.(this, name, span);
    if (special !== undefined) return special;
    this.names?.selected(name, span);
    return this.child(name, span);
  }

  /** `this.name` as a foreign value, the same handle each time, whatever the package set does with the name. */
  child(name: string, span: Span | undefined, storeName?: string): ForeignHandle {
    let child = this.children.get(name);
    if (!child) {
      child = new ForeignHandle({ kind: 'select', base: this, name }, span, `${this.describe()}.${name}`, { storeName });
      this.children.set(name, child);
    }
    return child;
  }

  hasAttr(name: string): boolean | undefined {
    if (name === 'name' && this.knownName !== undefined) return true;
    // A builder's result is surely a derivation; anything else, only Nix knows exactly.
    if (this.builder && packageAttrs.has(name)) return true;
    // What the package set answers natively (`lib`, builder plugins) exists, as selecting it shows: no Nix needed.
    if (this.onSelect?.(this, name, undefined) !== undefined) return true;
    const known = this.names?.has(name);
    if (known !== undefined) return known;
    return oracle?.hasAttr(this, name);
  }

  /** `v` as native data, asked of Nix when the evaluator needs its content (a boolean, a list, a set's names). */
  materialize(span: Span | undefined): Value {
    if (!oracle) throw new NixError('eval', `the value of ${this.describe()} needs Nix`, span);
    return oracle.materialize(this, span);
  }

  /** The attributes of this set, a derivation too, for `//`, `attrNames`, `mapAttrs`...: asked of Nix once. */
  attrsView(span: Span | undefined): NixAttrs {
    if (!oracle) throw new NixError('eval', `the attributes of ${this.describe()} need Nix`, span);
    return oracle.attrsView(this, span);
  }

  apply(arg: Lazy, span: Span | undefined, storeName?: string): ForeignHandle {
    // `pkgs.extend overlay` is a package set again, with the same native lib and builder plugins.
    const fn = this.expr;
    const onSelect = fn.kind === 'select' && fn.base.onSelect && packageSetMethods.has(fn.name) ? fn.base.onSelect : undefined;
    return new ForeignHandle({ kind: 'apply', fn: this, arg }, span, '', { storeName, onSelect });
  }

  /**
   * `"${v}"`. A derivation (or anything whose string is a store path) gives
   * the placeholder, resolved with the build. Other values (`pkgs.hello.pname`)
   * are asked of Nix now: native string operations on a placeholder would
   * compute wrong results.
   */
  coerceToString(span: Span | undefined, opts: CoerceOptions = {}): NixString {
    if (!this.isStorePathLike() && oracle) {
      const v = oracle.materialize(this, span);
      if (typeof v === 'string') return new NixString(v, new Set());
      if (v instanceof NixString) return v;
      // Data read back (a list for toString, a path, a number): coerced as the native value is, errors included.
      if (v !== this) {
        const s = coerceNative(v, span, opts);
        return typeof s === 'string' ? new NixString(s, new Set()) : s;
      }
    }
    return new NixString(this.placeholder, new Set([`@${this.id}`]));
  }

  /**
   * Whether coercing this value surely gives a store path, judged without Nix
   * from how it was made: a builder's result, a function's result (overrideAttrs,
   * callPackage, ...), a package of the set (`pkgs.hello`, `pkgs.python3Packages.requests`),
   * an output (`.dev`, `.outPath`).
   */
  isStorePathLike(): boolean {
    const e = this.expr;
    if (this.builder || e.kind === 'call' || e.kind === 'apply') return true;
    if (outputNames.has(e.name)) return true;
    return this.isPackage();
  }

  /** A package of a package set (`pkgs.hello`, `pkgs.python3Packages.requests`), judged by its attribute path. */
  isPackage(): boolean {
    if (this.attrPath === undefined) return false;
    const [first, ...rest] = this.attrPath.split('.');
    return !rootDataNames.has(first) && !rest.some((n) => derivationDataNames.has(n));
  }

  /** The package set this handle was selected from, if any (selects only). */
  packageSetRoot(): ForeignHandle | undefined {
    let h: ForeignHandle = this;
    while (h.expr.kind === 'select') h = h.expr.base;
    return h.onSelect ? h : undefined;
  }
}

/** Attributes that name a store path: outputs of multi-output packages, `outPath`, `drvPath`. */
const outputNames = new Set(['out', 'bin', 'dev', 'lib', 'man', 'doc', 'info', 'debug', 'static', 'devdoc', 'outPath', 'drvPath']);
/** Functions of a package set that return a package set. */
const packageSetMethods = new Set(['extend', 'appendOverlays']);
/** Attributes every derivation has. */
const packageAttrs = new Set(['outPath', 'drvPath', 'name', 'type', 'outputs', 'system']);
/** Attributes of a package set that are not packages. */
const rootDataNames = new Set(['system', 'config', 'path', 'runtimeShell', 'buildPlatform', 'hostPlatform', 'targetPlatform', 'lib', 'overlays']);
/** Attributes of a package that are data (`pkgs.hello.pname`), and everything below them. */
const derivationDataNames = new Set(['name', 'pname', 'version', 'meta', 'passthru', 'system', 'outputs', 'outputName', 'type', 'drvAttrs', 'all', 'args', 'builder', 'src', 'buildInputs', 'nativeBuildInputs', 'propagatedBuildInputs', 'shell', 'hostPlatform', 'buildPlatform', 'targetPlatform']);

/** An argument as messages show it: short strings and numbers as written, anything else `(...)`, never forcing. */
function describeArg(arg: Lazy): string {
  const v = arg instanceof Thunk ? arg.value : arg;
  if (typeof v === 'string' && v.length <= 40 && !v.includes('\n')) return JSON.stringify(v).replace(/\$\{/g, '\\${');
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '(...)';
}

function storeNameOf(expr: ForeignExpr): string {
  switch (expr.kind) {
    case 'select': return sanitizeName(expr.name);
    // `pkgs.hello.overrideAttrs f` is still "hello"; `pkgs.callPackage ./x.nix {}` is "callPackage".
    case 'apply': {
      const fn = expr.fn.expr;
      if (fn.kind === 'select' && fn.base.expr.kind === 'select') return fn.base.name;
      return expr.fn.name;
    }
    case 'call': return 'foreign';
  }
}

function sanitizeName(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9+\-._?=]/g, '-').replace(/^\.+/, '');
  return s.length ? s.slice(0, 64) : 'foreign';
}

export function findHandle(id: number): ForeignHandle {
  const h = registry.get(id);
  if (!h) throw new NixError('eval', `internal: unknown foreign value @${id}`);
  return h;
}

/** The handle a context element `@<id>` (or `@<id>!out`) names, if it names one. */
export function handleOfContext(elem: string): ForeignHandle | undefined {
  if (!elem.startsWith('@')) return undefined;
  return findHandle(Number(elem.slice(1).split('!')[0]));
}

/** Every placeholder occurrence in `text`, as [offset, handle]. */
export function placeholdersIn(text: string): Array<{ offset: number; length: number; handle: ForeignHandle }> {
  const out: Array<{ offset: number; length: number; handle: ForeignHandle }> = [];
  let i = text.indexOf(placeholderPrefix);
  while (i >= 0) {
    const idText = text.slice(i + placeholderPrefix.length, i + placeholderPrefix.length + idWidth);
    let id = 0;
    for (const c of idText) id = id * 32 + base32Chars.indexOf(c);
    const h = registry.get(id);
    if (h && text.startsWith(h.placeholder, i)) {
      out.push({ offset: i, length: h.placeholder.length, handle: h });
      i = text.indexOf(placeholderPrefix, i + h.placeholder.length);
    } else {
      i = text.indexOf(placeholderPrefix, i + 1);
    }
  }
  return out;
}
