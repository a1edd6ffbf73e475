/**
 * Builds the bindings of a set or `let` with the checks and merges Nix makes
 * while parsing:
 *
 * - `a.b.c = v;` creates (or reuses) nested sets for `a` and `a.b`; a name
 *   defined twice is an error, "attribute 'a.b' already defined at POS",
 *   naming the path up to the conflict and the earlier definition.
 * - Two definitions of the same name merge when *both* are attribute-set
 *   expressions, whichever way they were written: `{ a.b = 1; a = { c = 2; }; }`
 *   and `{ a = { c = 2; }; a.b = 1; }` are both `{ a = { b = 1; c = 2; }; }`.
 *   The merge moves the later set's bindings into the earlier one (a `rec` on
 *   the later one is lost, as in Nix), including its `inherit (e)` sources,
 *   whose indexes shift.
 * - `inherit` never merges: inheriting a name twice is an error.
 *
 * The sets built here are mutable until lowering returns; the AST types expose
 * them read-only.
 */
import type { AttrDef, AttrName, Attrs, DynamicAttr, Expr, Formal } from './ast.js';
import type { Span } from '../span.js';
import { formatPos } from '../span.js';
import { NixError } from '../errors.js';
import { printAttrPath } from './print.js';

interface MutableAttrs {
  kind: 'attrs';
  rec: boolean;
  attrs: Map<string, AttrDef>;
  dynamic: DynamicAttr[];
  inheritFrom: Expr[];
  span: Span;
}

function newAttrs(rec: boolean, span: Span): MutableAttrs {
  return { kind: 'attrs', rec, attrs: new Map(), dynamic: [], inheritFrom: [], span };
}

/** The set an existing definition holds, if it can take more bindings. */
function mergeable(def: AttrDef): MutableAttrs | undefined {
  return def.kind === 'plain' && def.value.kind === 'attrs' ? (def.value as MutableAttrs) : undefined;
}

function alreadyDefined(path: ReadonlyArray<AttrName>, at: Span, previous: Span): NixError {
  return new NixError('parse', `attribute '${printAttrPath(path)}' already defined at ${formatPos(previous)}`, at);
}

export class BindingsBuilder {
  private readonly set: MutableAttrs;

  constructor(rec: boolean, span: Span) {
    this.set = newAttrs(rec, span);
  }

  get attrs(): Attrs {
    return this.set;
  }

  /** `a.b.c = value;`; `pathSpan` is where the path starts (Nix's position of the definition). */
  addPath(path: ReadonlyArray<AttrName>, pathSpan: Span, value: Expr): void {
    let attrs = this.set;
    for (let i = 0; i + 1 < path.length; i++) {
      const name = path[i];
      let nested: MutableAttrs;
      if (name.kind === 'static') {
        const existing = attrs.attrs.get(name.name);
        if (existing) {
          const m = mergeable(existing);
          if (!m) throw alreadyDefined(path.slice(0, i + 1), pathSpan, existing.nameSpan);
          nested = m;
        } else {
          nested = newAttrs(false, pathSpan);
          attrs.attrs.set(name.name, { kind: 'plain', value: nested, nameSpan: pathSpan });
        }
      } else {
        nested = newAttrs(false, pathSpan);
        attrs.dynamic.push({ name: name.expr, value: nested, span: pathSpan });
      }
      attrs = nested;
    }
    const last = path[path.length - 1];
    if (last.kind === 'static') {
      addAttr(attrs, path.slice(), last.name, { kind: 'plain', value, nameSpan: pathSpan });
    } else {
      attrs.dynamic.push({ name: last.expr, value, span: pathSpan });
    }
  }

  /** Registers the `(e)` of `inherit (e) ...;` and returns its index. */
  addInheritSource(from: Expr): number {
    this.set.inheritFrom.push(from);
    return this.set.inheritFrom.length - 1;
  }

  /** `inherit name;` or, with `from`, `inherit (e) name;`. */
  addInherit(name: string, span: Span, from: number | undefined): void {
    const existing = this.set.attrs.get(name);
    if (existing) throw alreadyDefined([{ kind: 'static', name, span }], span, existing.nameSpan);
    this.set.attrs.set(name, from === undefined
      ? { kind: 'inherit', value: { kind: 'var', name, span }, nameSpan: span }
      : { kind: 'inheritFrom', from, nameSpan: span });
  }
}

/** Adds one definition; `path` names it fully, for messages. */
function addAttr(attrs: MutableAttrs, path: AttrName[], name: string, def: AttrDef): void {
  const existing = attrs.attrs.get(name);
  if (!existing) {
    if (def.kind === 'plain' && def.value.kind === 'lambda' && def.value.name === undefined) def.value.name = name;
    attrs.attrs.set(name, def);
    return;
  }
  const into = mergeable(existing);
  const from = mergeable(def);
  if (!into || !from) throw alreadyDefined(path, def.nameSpan, existing.nameSpan);
  const shift = into.inheritFrom.length;
  for (const [k, d] of from.attrs) {
    const moved: AttrDef = d.kind === 'inheritFrom' ? { kind: 'inheritFrom', from: d.from + shift, nameSpan: d.nameSpan } : d;
    path.push({ kind: 'static', name: k, span: d.nameSpan });
    addAttr(into, path, k, moved);
    path.pop();
  }
  from.attrs.clear();
  into.dynamic.push(...from.dynamic);
  into.inheritFrom.push(...from.inheritFrom);
}

/**
 * Nix rejects a formal named twice (reporting the second occurrence), and an
 * `args@` name equal to a formal (reported at the function).
 */
export function validateFormals(entries: ReadonlyArray<Formal>, param: string | undefined, lambdaSpan: Span): void {
  const seen = new Map<string, Formal>();
  let duplicate: Formal | undefined;
  let duplicateFirst = Infinity;
  entries.forEach((f) => {
    const first = seen.get(f.name);
    if (!first) { seen.set(f.name, f); return; }
    // When several names repeat, Nix reports the name it met first.
    const order = entries.indexOf(first);
    if (order < duplicateFirst) { duplicate = f; duplicateFirst = order; }
  });
  if (duplicate) throw new NixError('parse', `duplicate formal function argument '${duplicate.name}'`, duplicate.span);
  if (param !== undefined && seen.has(param)) {
    throw new NixError('parse', `duplicate formal function argument '${param}'`, lambdaSpan);
  }
}
