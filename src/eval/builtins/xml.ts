/**
 * `builtins.toXML` (and `nix-instantiate --xml`): Nix's XML rendering of a
 * value, byte for byte: two-space indentation, attributes of an element in
 * name order, `&quot; &lt; &gt; &amp; &#xA;` escapes, derivations as
 * `<derivation drvPath outPath>` shown once then `<repeated />`, functions as
 * their argument pattern, builtins as `<unevaluated />`. Strings' bytes are
 * written as they are, as Nix does (UTF-8 or not).
 */
import { Lambda, NixAttrs, NixFloat, NixList, NixPath, NixString, Thunk, type Lazy } from '../value/index.js';
import { force } from '../value/force.js';
import { formatFloat } from '../value/float.js';
import { mkString } from '../value/string.js';
import type { Span } from '../span.js';
import { defineBuiltin } from './registry.js';
import { compareBytes } from '../value/bytes.js';

function escape(s: string): string {
  return s.replace(/[&"<>\n]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;', '\n': '&#xA;' })[c]!);
}

class XmlWriter {
  out = "<?xml version='1.0' encoding='utf-8'?>\n";
  private open: string[] = [];
  private attrs(a: Record<string, string>): string {
    return Object.keys(a).sort().map((k) => ` ${k}="${escape(a[k])}"`).join('');
  }
  element(name: string, a: Record<string, string>, body: () => void): void {
    this.out += '  '.repeat(this.open.length) + `<${name}${this.attrs(a)}>\n`;
    this.open.push(name);
    body();
    this.open.pop();
    this.out += '  '.repeat(this.open.length) + `</${name}>\n`;
  }
  empty(name: string, a: Record<string, string> = {}): void {
    this.out += '  '.repeat(this.open.length) + `<${name}${this.attrs(a)} />\n`;
  }
}

function posAttrs(span: Span | undefined, location: boolean): Record<string, string> {
  if (!location || !span) return {};
  const a: Record<string, string> = { line: String(span.line), column: String(span.column) };
  if (span.source.path.startsWith('/')) a.path = span.source.path;
  return a;
}

/** Renders a value as Nix's XML; contexts of strings met are added to `context`. */
export function valueToXML(v: Lazy, strict: boolean, location: boolean, context: Set<string>): string {
  const w = new XmlWriter();
  const drvsSeen = new Set<string>();
  const showAttrs = (set: NixAttrs) => {
    for (const name of set.sortedNames()) {
      w.element('attr', { name, ...posAttrs(set.positions?.get(name), location) }, () => visit(set.get(name)!));
    }
  };
  const visit = (x: Lazy): void => {
    if (x instanceof Thunk) {
      if (!strict && x.value === undefined) { w.empty('unevaluated'); return; }
      x = force(x);
    }
    if (x === null) w.empty('null');
    else if (typeof x === 'boolean') w.empty('bool', { value: String(x) });
    else if (typeof x === 'number' || typeof x === 'bigint') w.empty('int', { value: String(x) });
    else if (typeof x === 'string') w.empty('string', { value: x });
    else if (x instanceof NixString) {
      for (const c of x.context) context.add(c);
      w.empty('string', { value: x.s });
    } else if (x instanceof NixPath) w.empty('path', { value: x.path });
    else if (x instanceof NixFloat) w.empty('float', { value: formatFloat(x.value) });
    else if (x instanceof NixList) w.element('list', {}, () => x.items.forEach(visit));
    else if (x instanceof NixAttrs) {
      const type = x.get('type');
      if (type !== undefined && isDrvType(type)) {
        const a: Record<string, string> = {};
        let drvPath = '';
        for (const key of ['drvPath', 'outPath'] as const) {
          const f = x.get(key);
          if (f === undefined) continue;
          const fv = strict ? force(f) : f instanceof Thunk ? f.value : f;
          const s = typeof fv === 'string' ? fv : fv instanceof NixString ? fv.s : undefined;
          if (s !== undefined) {
            a[key] = s;
            if (key === 'drvPath') drvPath = s;
          }
        }
        w.element('derivation', a, () => {
          if (drvPath !== '' && !drvsSeen.has(drvPath)) {
            drvsSeen.add(drvPath);
            showAttrs(x);
          } else w.empty('repeated');
        });
      } else w.element('attrs', {}, () => showAttrs(x));
    } else if (x instanceof Lambda) {
      const e = x.expr;
      w.element('function', posAttrs(e.span, location), () => {
        if (e.formals) {
          const a: Record<string, string> = {};
          if (e.param !== undefined) a.name = e.param;
          if (e.formals.ellipsis) a.ellipsis = '1';
          w.element('attrspat', a, () => {
            for (const n of e.formals!.entries.map((f) => f.name).sort(compareBytes)) w.empty('attr', { name: n });
          });
        } else w.empty('varpat', { name: e.param ?? '' });
      });
    } else w.empty('unevaluated');
  };
  w.element('expr', {}, () => visit(v));
  return w.out;
}

function isDrvType(t: Lazy): boolean {
  const v = force(t);
  return v === 'derivation' || (v instanceof NixString && v.s === 'derivation');
}

defineBuiltin({
  name: 'toXML',
  arity: 1,
  doc: 'The XML rendering of a value, as nix-instantiate --xml writes it.',
  fn: ([v]) => {
    const context = new Set<string>();
    const text = valueToXML(v, true, false, context);
    return mkString(text, context);
  },
});
