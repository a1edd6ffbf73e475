/**
 * The syntax tree lowering reads: tree-sitter's tree copied into one flat
 * array by the grammar binding (grammar/src/binding.c), with a cursor over it.
 *
 * Why: every read of a tree-sitter node through the `tree-sitter` package is
 * a call into native code (about 0.2 µs each), and lowering looks at each node
 * several times (type, offsets, siblings). Copying the tree in C, in one walk,
 * and lowering from the copy costs a small fraction of that. Field names are
 * not copied: lowering tells children apart by type and order. Anonymous
 * tokens (punctuation, keywords) are not copied either, except the operators
 * of binary and unary expressions, the only ones lowering reads.
 *
 * Layout: nodes in preorder, `Field.Count` int32 each: the grammar symbol
 * (with `NAMED_BIT` for named nodes, and `ERROR_BIT` on the root when
 * tree-sitter found syntax errors), start and end as UTF-16 indices into
 * the text, the parent's index (-1 at the root), and the index just after the
 * node's last descendant. So a node's first child, if any, is the next node,
 * and its next sibling is the node after its subtree, unless that is past
 * the parent's subtree.
 */
import { grammarSymbols } from './treeSitter.js';

/** The part of tree-sitter's TreeCursor that lowering uses. */
export interface SyntaxCursor {
  readonly nodeType: string;
  readonly nodeIsNamed: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  /** The current node's index in preorder (flat trees number nodes so: FlatTree.subtreesOf). */
  readonly nodeIndex: number;
  /** The type of the current node's parent ('' at the root). */
  readonly parentType: string;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

/**
 * Moves to the first child that is not a comment (comments are extras, which
 * may stand between any two children); false, the cursor unmoved, if none.
 */
export function gotoFirstCodeChild(c: SyntaxCursor): boolean {
  if (!c.gotoFirstChild()) return false;
  while (c.nodeType === 'comment') {
    if (!c.gotoNextSibling()) {
      c.gotoParent();
      return false;
    }
  }
  return true;
}

/** Moves to the next sibling that is not a comment. */
export function gotoNextCodeSibling(c: SyntaxCursor): boolean {
  do {
    if (!c.gotoNextSibling()) return false;
  } while (c.nodeType === 'comment');
  return true;
}

/** Offsets of a node's fields; binding.c writes the same layout. */
export const enum Field { Type = 0, Start = 1, End = 2, Parent = 3, After = 4, Count = 5 }

const NAMED_BIT = 0x10000;
const ERROR_BIT = 0x20000;
/** The grammar symbol's bits of a node's type field. */
export const SYMBOL_MASK = 0xffff;

/** A flat tree as binding.c makes it. */
export class FlatTree {
  readonly nodes: Int32Array;

  constructor(buffer: ArrayBuffer | Int32Array) {
    this.nodes = buffer instanceof Int32Array ? buffer : new Int32Array(buffer);
  }

  get count(): number {
    return this.nodes.length / Field.Count;
  }

  /** Whether tree-sitter found syntax errors (it then repaired the tree). */
  get hasError(): boolean {
    return (this.nodes[Field.Type] & ERROR_BIT) !== 0;
  }

  cursor(): SyntaxCursor {
    return new FlatCursor(this.nodes, grammarSymbols());
  }

  /**
   * For each node, by its index, whether its whole subtree is made of the
   * node types `types` names (1) or not (0): one pass from the last node
   * back, each node telling its parent.
   */
  subtreesOf(types: ReadonlySet<string>): Uint8Array {
    const n = this.nodes;
    const names = grammarSymbols();
    const allowed = new Uint8Array(names.length);
    names.forEach((name, symbol) => { if (types.has(name)) allowed[symbol] = 1; });
    const count = this.count;
    const within = new Uint8Array(count).fill(1);
    for (let i = count - 1; i >= 0; i--) {
      const at = i * Field.Count;
      if (!allowed[n[at + Field.Type] & SYMBOL_MASK]) within[i] = 0;
      const up = n[at + Field.Parent];
      if (up >= 0 && within[i] === 0) within[up] = 0;
    }
    return within;
  }
}

class FlatCursor implements SyntaxCursor {
  /** Field offset of the current node (its index times Field.Count). */
  private at = 0;
  constructor(private readonly n: Int32Array, private readonly names: readonly string[]) {}
  get nodeType(): string { return this.names[this.n[this.at + Field.Type] & SYMBOL_MASK]; }
  get nodeIsNamed(): boolean { return (this.n[this.at + Field.Type] & NAMED_BIT) !== 0; }
  get startIndex(): number { return this.n[this.at + Field.Start]; }
  get endIndex(): number { return this.n[this.at + Field.End]; }
  get nodeIndex(): number { return this.at / Field.Count; }
  get parentType(): string {
    const up = this.n[this.at + Field.Parent];
    return up < 0 ? '' : this.names[this.n[up * Field.Count + Field.Type] & SYMBOL_MASK];
  }
  gotoFirstChild(): boolean {
    const index = this.at / Field.Count;
    if (this.n[this.at + Field.After] === index + 1) return false;
    this.at += Field.Count;
    return true;
  }
  gotoNextSibling(): boolean {
    const up = this.n[this.at + Field.Parent];
    if (up < 0) return false;
    const next = this.n[this.at + Field.After];
    if (next >= this.n[up * Field.Count + Field.After]) return false;
    this.at = next * Field.Count;
    return true;
  }
  gotoParent(): boolean {
    const up = this.n[this.at + Field.Parent];
    if (up < 0) return false;
    this.at = up * Field.Count;
    return true;
  }
}
