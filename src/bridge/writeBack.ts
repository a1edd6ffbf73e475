/**
 * Native values written back as Nix source, for the one Nix file a batch
 * evaluates. A `NixProgram` collects bindings of a recursive `let`: every
 * foreign handle, function, set and list gets one binding, memoised by
 * identity, so shared values are written once and self-referencing values
 * (a `rec` set, a recursive function) become recursive bindings that Nix
 * evaluates lazily, as the native evaluator did.
 *
 * What is hard:
 * - Laziness. Writing a value forces it; Nix would force only what it uses. An
 *   attribute whose evaluation fails is therefore written as a marker `throw`
 *   (`abort` for uncatchable errors): if Nix never uses it nothing happens, and
 *   if it does, the batch recognises the marker and reports the original error
 *   at its original span.
 * - Strings with contexts: each placeholder of a foreign value becomes an
 *   interpolation of that value, each local file added to the store an
 *   interpolation of its path (Nix copies it to the same store path), so the
 *   string Nix sees has the same text and context the native one had. A
 *   placeholder whose context the string lost keeps only its text (through
 *   `unsafeDiscardStringContext`): the context must not come back.
 * - Functions: their syntax tree is printed, inside a `let` of the values they
 *   captured, which are written back in turn.
 */
import { NixError } from '../eval/errors.js';
import type { Span } from '../eval/span.js';
import {
  type Lazy, type Value, NixAttrs, NixFloat, NixList, NixPath, NixString, Lambda, PrimOp, PrimOpApp,
  isForeign,
} from '../eval/value/index.js';
import { force } from '../eval/value/force.js';
import { ForeignHandle, handleOfContext, placeholdersIn } from './foreign.js';
import { floatLiteral, intLiteral, pathLiteral, stringLiteral, escapeStringBody } from './nixLiterals.js';
import { printExpr, type Printed, type PrintedNode } from './printExpr.js';
import { freeVariables } from './freeVariables.js';
import { byteOffsets } from '../eval/value/bytes.js';

/** What a free variable of a function means where the function was made (the evaluator's environment introspection). */
export type Captured =
  | { readonly kind: 'lexical'; readonly value: Lazy }
  | { readonly kind: 'with'; readonly value: Lazy }
  | { readonly kind: 'global' }
  | { readonly kind: 'unbound' }
  /** The evaluator cannot tell (it keeps no scopes for this function). */
  | { readonly kind: 'unknown' };

export type LookupCaptured = (lambda: Lambda, name: string) => Captured;

/** Store paths known natively but not yet in the store, and how Nix makes them. */
export interface PendingStorePaths {
  /** The Nix source producing this store path (`/home/u/unit.service`, `builtins.toFile ...`), if pending. */
  sourceOf(storePath: string, program: NixProgram): string | undefined;
}

export interface WriteBackOptions {
  lookupCaptured?: LookupCaptured;
  pending?: PendingStorePaths;
  /** Nix source for a native value whose origin is known (`import /nixpkgs/lib`): written as that, not expanded. */
  originOf?: (v: object) => string | undefined;
  /** The foreign value a native function stands for (`pkgs.writeText`, modelled by a builder plugin). */
  foreignOfPrimOp?: (op: PrimOp) => ForeignHandle | undefined;
}

/** A deferred native error, reported if Nix needs the value that failed. */
export interface DeferredError {
  readonly marker: string;
  readonly error: NixError;
}

/** Where a binding came from, to point Nix's errors back at the user's file. */
export interface BindingOrigin {
  readonly name: string;
  readonly span: Span | undefined;
  readonly describe: string;
}

let programCount = 0;

/** One `let` binding of the program; `nodes` locate the user's syntax printed inside `text`. */
export interface Binding {
  readonly name: string;
  text: string;
  readonly origin: BindingOrigin;
  nodes?: ReadonlyArray<PrintedNode>;
}

export class NixProgram {
  private readonly bindings: Binding[] = [];
  private readonly memo = new Map<object, string>();
  readonly deferred: DeferredError[] = [];
  private readonly markerPrefix = `tsportable-deferred-${process.pid}-${++programCount}-`;
  private counter = 0;

  constructor(readonly options: WriteBackOptions = {}) {}

  /** The `let` bindings, one per line, in the order they were made. */
  get lines(): ReadonlyArray<Binding> {
    return this.bindings;
  }

  /** The program: `let <bindings> in <body>`; line i+2 of the result holds binding i. */
  render(body: string): string {
    return `let\n${this.bindings.map((b) => `${bindingPrefix(b)}${b.text};\n`).join('')}in ${body}\n`;
  }

  /**
   * The span in the user's file behind a position Nix reports in the rendered
   * program (1-based line and column): the innermost printed node there, else
   * the span the binding came from.
   */
  spanAt(line: number, column: number): { span: Span | undefined; binding: Binding } | undefined {
    const b = this.bindings[line - 2];
    if (!b) return undefined;
    // Nix's columns count bytes; the printed nodes' offsets are UTF-16 indices.
    const target = column - 1 - bindingPrefix(b).length;
    const bytes = byteOffsets(b.text);
    let offset = Math.min(target, 0);
    while (offset >= 0 && offset < b.text.length && bytes[offset + 1] <= target) offset++;
    let span = b.origin.span;
    for (const n of b.nodes ?? []) if (n.start <= offset && offset < n.end) span = n.span;
    return { span, binding: b };
  }

  findDeferred(message: string): NixError | undefined {
    return this.deferred.find((d) => message.includes(d.marker))?.error;
  }

  /** Nix source for a lazy value; errors while forcing it become deferred markers. */
  lazy(v: Lazy, span?: Span): string {
    let value: Value;
    try {
      value = force(v);
    } catch (e) {
      if (!(e instanceof NixError)) throw e;
      return this.defer(e.at(span));
    }
    return this.value(value, span);
  }

  defer(error: NixError): string {
    const marker = `${this.markerPrefix}${this.deferred.length}`;
    this.deferred.push({ marker, error });
    const catchable = error.kind === 'throw' || error.kind === 'assert';
    return `(builtins.${catchable ? 'throw' : 'abort'} ${stringLiteral(marker)})`;
  }

  value(v: Value, span?: Span): string {
    if (v === null) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'number' || typeof v === 'bigint') return intLiteral(v);
    if (typeof v === 'string') {
      // No context, but maybe placeholders whose context was dropped: their text must still become Nix's.
      return placeholdersIn(v).length ? this.string(new NixString(v, new Set())) : stringLiteral(v);
    }
    if (v instanceof NixFloat) {
      const lit = floatLiteral(v.value);
      if (lit === undefined) return this.defer(cannot(`the float ${v.value}`, span));
      return lit;
    }
    if (v instanceof NixString) return this.string(v);
    if (v instanceof NixPath) return pathLiteral(v.path);
    if (isForeign(v)) {
      if (v instanceof ForeignHandle) return this.handle(v);
      return this.defer(cannot(`the foreign value ${v.describe()}`, span));
    }
    if (typeof v === 'object') {
      const origin = this.options.originOf?.(v);
      if (origin !== undefined) return this.bind(v, span, origin, () => origin);
    }
    if (v instanceof NixList) return this.bind(v, span, 'a list', () => `[ ${v.items.map((x) => `${this.lazy(x, span)} `).join('')}]`);
    if (v instanceof NixAttrs) return this.bind(v, span, 'an attribute set', () => this.attrs(v, span));
    if (v instanceof Lambda) return this.bind(v, v.expr.span, 'a function', () => this.lambda(v));
    if (v instanceof PrimOp) return this.primOp(v, span);
    if (v instanceof PrimOpApp) {
      return `(${this.primOp(v.op, span)} ${v.args.map((a) => this.lazy(a, span)).join(' ')})`;
    }
    return this.defer(cannot('this value', span));
  }

  /** `h<id>`: the binding of a foreign handle, made (with its parts) on first use. */
  handle(h: ForeignHandle): string {
    return this.bind(h, h.span, h.describe(), () => {
      const e = h.expr;
      switch (e.kind) {
        case 'select': return `${this.handle(e.base)}.${stringLiteral(e.name)}`;
        case 'apply': return `${this.handle(e.fn)} ${this.lazy(e.arg, h.span)}`;
        case 'call': return `${e.source}${e.args.map((a) => ` ${this.lazy(a, h.span)}`).join('')}`;
      }
    });
  }

  private bind(key: object, span: Span | undefined, describe: string, make: () => string | Printed): string {
    const known = this.memo.get(key);
    if (known) return known;
    const name = `__ts${++this.counter}`;
    this.memo.set(key, name);
    const slot: Binding = { name, text: '', origin: { name, span, describe } };
    this.bindings.push(slot);
    const made = make();
    if (typeof made === 'string') {
      slot.text = made;
    } else {
      slot.text = made.text;
      slot.nodes = made.nodes;
    }
    return name;
  }

  private attrs(v: NixAttrs, span: Span | undefined): string {
    let out = '{ ';
    for (const name of v.sortedNames()) {
      out += `${stringLiteral(name)} = ${this.lazy(v.get(name)!, v.positions?.get(name) ?? span)}; `;
    }
    return out + '}';
  }

  /**
   * A string with its context. Each context element that appears in the text
   * is replaced there by an interpolation of what makes it; one that does not
   * appear is still attached (`substring 0 0` keeps a context, drops the text).
   */
  string(v: NixString): string {
    const spots: Array<{ offset: number; length: number; source: string }> = [];
    const missing: string[] = [];
    const inContext = new Set<ForeignHandle>();
    for (const elem of v.context) {
      const h = handleOfContext(elem);
      if (h) inContext.add(h);
    }
    for (const p of placeholdersIn(v.s)) {
      // A placeholder whose context was dropped (unsafeDiscardStringContext, match, split) keeps its
      // text only: interpolating the value as it is would bring its context back into Nix's string.
      const h = this.handle(p.handle);
      const source = inContext.has(p.handle) ? h : `builtins.unsafeDiscardStringContext "\${${h}}"`;
      spots.push({ offset: p.offset, length: p.length, source });
    }
    const appended: Record<string, string[] | true> = {};
    for (const elem of v.context) {
      const h = handleOfContext(elem);
      if (h) {
        if (!v.s.includes(h.placeholder)) missing.push(this.handle(h));
        continue;
      }
      if (elem.startsWith('=') || elem.startsWith('!')) {
        // Realised derivations: keep the text, re-attach the context.
        const [, output, drv] = elem.startsWith('=') ? ['', '', elem.slice(1)] : elem.split('!');
        const prev = appended[drv];
        appended[drv] = output ? [...(Array.isArray(prev) ? prev : []), output] : true;
        continue;
      }
      const source = this.options.pending?.sourceOf(elem, this) ?? `builtins.storePath ${stringLiteral(elem)}`;
      let found = false;
      for (let i = v.s.indexOf(elem); i >= 0; i = v.s.indexOf(elem, i + elem.length)) {
        if (spots.some((s) => i < s.offset + s.length && s.offset < i + elem.length)) continue;
        spots.push({ offset: i, length: elem.length, source });
        found = true;
      }
      if (!found) missing.push(source);
    }
    spots.sort((a, b) => a.offset - b.offset);
    let body = '';
    let at = 0;
    for (const s of spots) {
      body += escapeStringBody(v.s.slice(at, s.offset)) + `\${${s.source}}`;
      at = s.offset + s.length;
    }
    body += escapeStringBody(v.s.slice(at));
    for (const m of missing) body += `\${builtins.substring 0 0 "\${${m}}"}`;
    let text = `"${body}"`;
    const drvs = Object.keys(appended);
    if (drvs.length) {
      const ctx = drvs.map((d) => {
        const o = appended[d];
        return `${stringLiteral(d)} = ${o === true ? '{ allOutputs = true; }' : `{ outputs = [ ${o.map(stringLiteral).join(' ')} ]; }`};`;
      }).join(' ');
      text = `(builtins.appendContext ${text} { ${ctx} })`;
    }
    return text;
  }

  private primOp(op: PrimOp, span: Span | undefined): string {
    const known = this.options.foreignOfPrimOp?.(op);
    if (known) return this.handle(known);
    if (/^[a-zA-Z_][a-zA-Z0-9_'-]*$/.test(op.name)) return `builtins.${op.name}`;
    return this.defer(cannot(`the built-in function '${op.name}'`, span));
  }

  /**
   * `let <captured> in <function>`. Names captured through a `with` of the
   * function's surroundings are bound by `let` too; that is only faithful if
   * the function has no `with` of its own around that name.
   */
  private lambda(l: Lambda): string | Printed {
    const free = freeVariables(l.expr);
    const lookup = this.options.lookupCaptured;
    const binds: string[] = [];
    for (const name of [...free.names].sort()) {
      const c: Captured = lookup ? lookup(l, name) : { kind: 'unknown' };
      if (c.kind === 'unknown') {
        return this.defer(cannot(`the function (what its variable '${name}' refers to is not known here)`, l.expr.span));
      }
      if (c.kind === 'global' || c.kind === 'unbound') continue;
      if (c.kind === 'with' && free.underWith.has(name)) {
        return this.defer(cannot(`the function: '${name}' comes from an outer 'with' and is also used under a 'with' inside it`, l.expr.span));
      }
      binds.push(`${name} = ${this.lazy(c.value, l.expr.span)};`);
    }
    const fn = printExpr(l.expr);
    if (!binds.length) return fn;
    const head = `let ${binds.join(' ')} in `;
    return { text: head + fn.text, nodes: fn.nodes.map((n) => ({ ...n, start: n.start + head.length, end: n.end + head.length })) };
  }
}

function bindingPrefix(b: Binding): string {
  return `  ${b.name} = `;
}

function cannot(what: string, span: Span | undefined): NixError {
  return new NixError('eval', `cannot pass ${what} to Nix: it cannot be written as Nix source`, span);
}
