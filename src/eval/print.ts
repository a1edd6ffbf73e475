/**
 * The printed form of `nix-instantiate --eval` (Nix's printAmbiguous):
 * `{ a = 1; b = [ 1 2 ]; }`, strings escaped, names quoted unless identifiers,
 * floats as C++ streams write them, functions as `<LAMBDA>`, `<PRIMOP>`,
 * `<PRIMOP-APP>`, parts not evaluated (without --strict) as `<CODE>`, and a
 * non-empty set or list met a second time anywhere as `«repeated»`.
 * Printing never forces: `--strict` forces deeply before printing.
 *
 * A value only real Nix computes (a foreign value of the bridge: a package of
 * nixpkgs, a derivation) is printed by Nix (the `printForeign` hook),
 * `--strict` or not as the rest: only Nix knows what of it is evaluated, and
 * a derivation prints in full, each of its attributes, with its real store
 * paths. All of them are printed in one Nix process, so that a set of Nix's
 * printed twice is «repeated» as in Nix.
 *
 * The text is made in chunks of some tens of kilobytes: a large value (a
 * generated file of 300,000 sets prints 20 MB) was an array of millions of
 * small strings, joined at the end, and both the array and the join cost more
 * than the printing. Each chunk is built by concatenation and flattened when
 * full, so that the pieces of a chunk die young.
 */
import {
  type Foreign, type Lazy, Thunk, NixFloat, NixString, NixPath, NixList, NixAttrs, Lambda, PrimOp, PrimOpApp, isForeign, deepWalk,
} from './value/index.js';
import { formatFloat } from './value/float.js';
import { printIdentifier, printString } from './syntax/print.js';
import { hooks } from './value/hooks.js';

const enum Tuning {
  /** UTF-16 units from which the chunk being made is flattened and a new one begun. */
  ChunkLength = 32 * 1024,
}

/** The printed form of `v` (see above); `strict` is how foreign values inside are printed (by Nix). */
export function printValue(v: Lazy, strict = false): string {
  return printValueChunks(v, strict).join('');
}

/**
 * `printValue`'s text as chunks (each some tens of kilobytes, whole pieces of
 * the text: a chunk never ends inside a string or a name), for a caller that
 * writes a large value out without joining it first.
 */
export function printValueChunks(v: Lazy, strict = false): string[] {
  const p = new Printer();
  p.value(v, undefined);
  const chunks = p.end();
  if (p.foreign.length) {
    const texts = hooks.printForeign(p.foreign, strict);
    p.foreignAt.forEach((at, i) => { chunks[at] = texts[i]; });
  }
  return chunks;
}

/**
 * «repeated» follows what Nix's printer takes as a value's identity. For a
 * set, that is its bindings (the set itself here): a set printed is marked
 * with this print's walk number (as deep walks mark them, value/index.ts's
 * `deepWalk`), which a later walk's number never equals. For a list, it is
 * the Value cell holding it (a thunk of ours, the `slot`), not the list: a
 * list reached twice through two slots prints twice, and `let x = [ x ]; in
 * x` prints as `[ [ «repeated» ] ]`, as in Nix; those are kept in a Set. The
 * top-level value is a copy in Nix, so it has no identity of its own.
 */
class Printer {
  /** Foreign values met, in printing order, and the chunk where each one's text goes. */
  readonly foreign: Foreign[] = [];
  readonly foreignAt: number[] = [];
  private readonly chunks: string[] = [];
  /** The chunk being made. */
  private text = '';
  private readonly walk = deepWalk();
  private readonly lists = new Set<object>();

  /** The chunks of the text printed. */
  end(): string[] {
    this.flush();
    return this.chunks;
  }

  value(v: Lazy, slot: object | undefined): void {
    if (v instanceof Thunk) {
      if (v.value === undefined) {
        this.text += v.forcing ? '«potential infinite recursion»' : '<CODE>';
        return;
      }
      v = v.value;
    }
    switch (typeof v) {
      case 'string': this.text += printString(v); return;
      case 'number': case 'bigint': this.text += String(v); return;
      case 'boolean': this.text += v ? 'true' : 'false'; return;
    }
    if (v === null) this.text += 'null';
    else if (v instanceof NixAttrs) this.attrs(v);
    else if (v instanceof NixList) this.list(v, slot);
    else if (v instanceof NixString) this.text += printString(v.s);
    else if (v instanceof NixFloat) this.text += formatFloat(v.value);
    else if (v instanceof NixPath) this.text += v.path;
    else if (v instanceof Lambda) this.text += '<LAMBDA>';
    else if (v instanceof PrimOp) this.text += '<PRIMOP>';
    else if (v instanceof PrimOpApp) this.text += '<PRIMOP-APP>';
    else if (isForeign(v)) {
      // Printed by Nix, all of them at once when the rest is done: its text goes in a chunk of its own.
      this.flush();
      this.foreign.push(v);
      this.foreignAt.push(this.chunks.length);
      this.chunks.push('');
    } else this.text += '«unknown»';
  }

  private attrs(v: NixAttrs): void {
    const names = v.sortedNames();
    if (names.length && v.walk === this.walk) {
      this.text += '«repeated»';
      return;
    }
    v.walk = this.walk;
    this.text += '{ ';
    for (let i = 0; i < names.length; i++) {
      this.text += printIdentifier(names[i]) + ' = ';
      const item = v.sortedValue(i);
      this.value(item, item as object);
      this.text += '; ';
      if (this.text.length > Tuning.ChunkLength) this.flush();
    }
    this.text += '}';
  }

  private list(v: NixList, slot: object | undefined): void {
    const items = v.items;
    if (items.length === 0) {
      this.text += '[ ]';
      return;
    }
    if (slot !== undefined) {
      if (this.lists.has(slot)) {
        this.text += '«repeated»';
        return;
      }
      this.lists.add(slot);
    }
    this.text += '[ ';
    for (const item of items) {
      this.value(item, item as object);
      this.text += ' ';
      if (this.text.length > Tuning.ChunkLength) this.flush();
    }
    this.text += ']';
  }

  /** Ends the chunk being made (flattened: its pieces can then go). */
  private flush(): void {
    const text = this.text;
    if (text === '') return;
    // Reading a character flattens a concatenated string.
    text.charCodeAt(0);
    this.chunks.push(text);
    this.text = '';
  }
}
