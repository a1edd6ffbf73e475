/**
 * Sets of literals lowered straight into the parse cache's form (astCodec.ts's
 * LiteralEncoder), for lower.ts when it lowers a file for the cache.
 *
 * Why: a generated file is mostly sets of literals (literals.ts), hundreds of
 * thousands of them; lowering made a tree of millions of objects for them,
 * that the cache then encoded and threw away (the evaluator builds their
 * values from the encoded form: literalAttrs.ts). Here such a set goes from
 * the flat tree to its encoded ints in one walk, making nothing else. The
 * walk reads the flat tree's ints itself (node kinds by grammar symbol,
 * children by the `After` field), not through a cursor: on a generated file
 * it visits millions of nodes.
 *
 * Only what is plainly a set of literals is taken: lower.ts asks only for
 * sets whose whole subtree is of LITERAL_NODE_TYPES (FlatTree.subtreesOf),
 * and the walk gives up, leaving nothing written, on anything lowering would
 * do more with: a name defined twice, `a.b = ` paths, keywords as names,
 * numbers Nix refuses, NUL bytes in a string. lower.ts then lowers the set as
 * usual, which reports the error or merges the paths. The values written are
 * those lowering would give (the same helpers read the text: literals.ts,
 * strings.ts), so that the tree decoded from the cache is the tree lowering
 * gives.
 */
import type { LiteralEncoder } from './astCodec.js';
import { Field, SYMBOL_MASK, type FlatTree } from './flatTree.js';
import { grammarSymbols } from './treeSitter.js';
import { RESERVED_KEYWORDS } from './keywords.js';
import { floatLiteral, integerLiteral } from './literals.js';
import { unescapeDouble } from './strings.js';

/** The node types of a set of literals that the walk below may take (without `"${...}"`, `rec`, `inherit`, paths). */
export const LITERAL_NODE_TYPES: ReadonlySet<string> = new Set([
  'attrset_expression', 'binding_set', 'binding', 'attrpath', 'identifier', 'list_expression',
  'string_expression', 'string_fragment', 'escape_sequence', 'dollar_escape',
  'integer_expression', 'float_expression', 'comment',
]);

/** The node types the walk tells apart. */
const enum Kind { Other, Set, BindingSet, Binding, AttrPath, Identifier, List, String, Integer, Float, Comment }

const KINDS: Readonly<Record<string, Kind>> = {
  attrset_expression: Kind.Set, binding_set: Kind.BindingSet, binding: Kind.Binding, attrpath: Kind.AttrPath,
  identifier: Kind.Identifier, list_expression: Kind.List, string_expression: Kind.String,
  integer_expression: Kind.Integer, float_expression: Kind.Float, comment: Kind.Comment,
};

let kindsBySymbol: Uint8Array | undefined;

/** Each grammar symbol's Kind (several symbols may share a name, as they share a node type). */
function kinds(): Uint8Array {
  if (kindsBySymbol === undefined) {
    const symbols = grammarSymbols();
    kindsBySymbol = new Uint8Array(symbols.length);
    symbols.forEach((name, symbol) => { kindsBySymbol![symbol] = KINDS[name] ?? Kind.Other; });
  }
  return kindsBySymbol;
}

/** Thrown inside the walk when the set is not one it takes. */
class NotTaken {}
const NOT_TAKEN = new NotTaken();

/**
 * Writes the set at node `index` of `tree` (an attrset_expression whose
 * subtree has only LITERAL_NODE_TYPES) into `encoder`. Returns false, with
 * nothing written, when it is not plainly a set of literals.
 */
export function lowerLiteralSet(tree: FlatTree, index: number, text: string, encoder: LiteralEncoder): boolean {
  const mark = encoder.mark();
  try {
    new Walk(tree.nodes, kinds(), text, encoder).attrs(index);
    return true;
  } catch (e) {
    if (e !== NOT_TAKEN) throw e;
    encoder.rollback(mark);
    return false;
  }
}

/** Nodes are numbered in preorder; a node's fields are at `index * Field.Count` (flatTree.ts). */
class Walk {
  constructor(
    private readonly n: Int32Array,
    private readonly kinds: Uint8Array,
    private readonly text: string,
    private readonly out: LiteralEncoder,
  ) {}

  private kind(node: number): Kind {
    return this.kinds[this.n[node * Field.Count + Field.Type] & SYMBOL_MASK] as Kind;
  }

  /** The first child of `node` that is not a comment (comments may stand between any two children), or -1. */
  private firstChild(node: number): number {
    return this.nextFrom(node + 1, this.n[node * Field.Count + Field.After]);
  }

  /** The sibling after `node` that is not a comment, or -1; `end` is where the parent's subtree ends. */
  private nextSibling(node: number, end: number): number {
    return this.nextFrom(this.n[node * Field.Count + Field.After], end);
  }

  /** The first node that is not a comment from `node` on, stepping over subtrees, before `end`; -1 if none. */
  private nextFrom(node: number, end: number): number {
    for (let c = node; c < end; c = this.n[c * Field.Count + Field.After]) {
      if (this.kind(c) !== Kind.Comment) return c;
    }
    return -1;
  }

  /** The set at `node`. */
  attrs(node: number): void {
    const n = this.n;
    const at = node * Field.Count;
    const out = this.out;
    out.attrs(n[at + Field.Start], n[at + Field.End]);
    const end = n[at + Field.After];
    for (let c = node + 1; c < end; c = n[c * Field.Count + Field.After]) {
      if (this.kind(c) === Kind.BindingSet) this.bindings(c);
    }
    out.end();
  }

  private bindings(node: number): void {
    const end = this.n[node * Field.Count + Field.After];
    let b = this.firstChild(node);
    if (b < 0) throw NOT_TAKEN;
    for (; b >= 0; b = this.nextSibling(b, end)) {
      if (this.kind(b) !== Kind.Binding) throw NOT_TAKEN;
      this.binding(b);
    }
  }

  /** `name = value;` (the attribute path first; `=` and `;` are not in the flat tree). */
  private binding(node: number): void {
    const n = this.n;
    const end = n[node * Field.Count + Field.After];
    const path = this.firstChild(node);
    if (path < 0 || this.kind(path) !== Kind.AttrPath) throw NOT_TAKEN;
    const value = this.nextSibling(path, end);
    if (value < 0 || this.nextSibling(value, end) >= 0) throw NOT_TAKEN;
    const at = path * Field.Count;
    if (!this.out.define(this.name(path), n[at + Field.Start], n[at + Field.End])) throw NOT_TAKEN;
    this.value(value);
  }

  /** The one name of the attribute path at `node`: its index in the encoding's strings. */
  private name(node: number): number {
    const n = this.n;
    const end = n[node * Field.Count + Field.After];
    const c = this.firstChild(node);
    if (c < 0 || this.nextSibling(c, end) >= 0) throw NOT_TAKEN; // none, or `a.b = `
    const kind = this.kind(c);
    if (kind === Kind.String) {
      const name = this.stringText(c);
      return name < 0 ? this.out.index('') : name;
    }
    if (kind !== Kind.Identifier) throw NOT_TAKEN;
    const at = c * Field.Count;
    const name = this.out.textIndex(this.text, n[at + Field.Start], n[at + Field.End]);
    if (RESERVED_KEYWORDS.has(this.out.stringAt(name))) throw NOT_TAKEN;
    return name;
  }

  private value(node: number): void {
    const n = this.n;
    const at = node * Field.Count;
    const start = n[at + Field.Start];
    const end = n[at + Field.End];
    switch (this.kind(node)) {
      case Kind.Integer: {
        // Up to 9 digits, a number (no BigInt made): its value fits 32 bits.
        if (end - start <= 9) {
          let value = 0;
          for (let i = start; i < end; i++) value = value * 10 + (this.text.charCodeAt(i) - 0x30);
          this.out.int(value, start, end);
          return;
        }
        const value = integerLiteral(this.text.slice(start, end));
        if (value === undefined) throw NOT_TAKEN;
        this.out.int(value, start, end);
        return;
      }
      case Kind.Float: {
        const t = this.text.slice(start, end);
        if (floatLiteral(t) === undefined) throw NOT_TAKEN;
        this.out.float(t, start, end);
        return;
      }
      case Kind.String:
        this.out.string(this.stringText(node), start, end);
        return;
      case Kind.Set:
        this.attrs(node);
        return;
      case Kind.List: {
        this.out.list(start, end);
        const after = n[at + Field.After];
        for (let c = this.firstChild(node); c >= 0; c = this.nextSibling(c, after)) this.value(c);
        this.out.end();
        return;
      }
      default:
        throw NOT_TAKEN;
    }
  }

  /**
   * The text of the `"..."` string at `node` (it has no interpolations), as
   * lower.ts reads it: its index in the encoding's strings, -1 if empty.
   */
  private stringText(node: number): number {
    const at = node * Field.Count;
    const start = this.n[at + Field.Start] + 1;
    const end = this.n[at + Field.End] - 1;
    if (start === end) return -1;
    const source = this.text;
    let plain = true;
    for (let i = start; i < end; i++) {
      const c = source.charCodeAt(i);
      if (c === 0x5c || c === 0x0d || c === 0) { // `\`, CR, NUL
        plain = false;
        break;
      }
    }
    if (plain) return this.out.textIndex(source, start, end);
    const text = unescapeDouble(source.slice(start, end));
    if (text.includes('\0')) throw NOT_TAKEN;
    return text === '' ? -1 : this.out.index(text);
  }
}
