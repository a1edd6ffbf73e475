/**
 * A copy of a tree-sitter tree in flat arrays, with a cursor over it.
 *
 * Why: every read of a tree-sitter node from JavaScript is a call into the
 * native binding (about 0.2 µs each). Lowering looks at each node several
 * times (type, offsets, siblings), which made it cost four times the parse
 * itself. Copying the tree once, with the fewest native calls (a node's type;
 * offsets only for leaves, since an inner node spans from its first child to
 * its last), and lowering from the copy is much cheaper. Field names are not
 * copied: lowering tells children apart by type and order.
 */
import type { Tree } from 'tree-sitter';

/** The part of tree-sitter's TreeCursor that lowering uses. */
export interface SyntaxCursor {
  readonly nodeType: string;
  readonly nodeIsNamed: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  /** The type of the current node's parent ('' at the root). */
  readonly parentType: string;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

/** Names of node types by id, shared by all trees of the grammar. */
const typeNames: string[] = [];
const typeNamed: boolean[] = [];

export class FlatTree {
  type: Int32Array;
  start: Int32Array;
  end: Int32Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  parent: Int32Array;
  count = 0;

  constructor(tree: Tree, sizeHint: number) {
    let capacity = Math.max(64, sizeHint);
    this.type = new Int32Array(capacity);
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.firstChild = new Int32Array(capacity);
    this.nextSibling = new Int32Array(capacity);
    this.parent = new Int32Array(capacity);
    const lastChild: number[] = [];
    const c = tree.walk();
    let parent = -1;
    for (;;) {
      const i = this.count++;
      if (i === capacity) {
        capacity *= 2;
        this.grow(capacity);
      }
      const typeId = c.nodeTypeId;
      if (typeNames[typeId] === undefined) {
        typeNames[typeId] = c.nodeType;
        typeNamed[typeId] = c.nodeIsNamed;
      }
      this.type[i] = typeId;
      this.parent[i] = parent;
      this.firstChild[i] = -1;
      this.nextSibling[i] = -1;
      if (parent >= 0) {
        const prev = lastChild[parent];
        if (prev >= 0) this.nextSibling[prev] = i;
        else this.firstChild[parent] = i;
        lastChild[parent] = i;
      }
      lastChild[i] = -1;
      if (c.gotoFirstChild()) {
        parent = i;
        continue;
      }
      this.start[i] = c.startIndex;
      this.end[i] = c.endIndex;
      // Climb until a sibling exists, closing the ranges of the nodes left behind.
      let done = false;
      while (!c.gotoNextSibling()) {
        if (!c.gotoParent()) { done = true; break; }
        this.start[parent] = this.start[this.firstChild[parent]];
        this.end[parent] = this.end[lastChild[parent]];
        parent = this.parent[parent];
      }
      if (done) break;
    }
  }

  private grow(capacity: number): void {
    const grow = (a: Int32Array) => { const b = new Int32Array(capacity); b.set(a); return b; };
    this.type = grow(this.type);
    this.start = grow(this.start);
    this.end = grow(this.end);
    this.firstChild = grow(this.firstChild);
    this.nextSibling = grow(this.nextSibling);
    this.parent = grow(this.parent);
  }

  cursor(): SyntaxCursor {
    return new FlatCursor(this);
  }
}

class FlatCursor implements SyntaxCursor {
  private at = 0;
  constructor(private readonly t: FlatTree) {}
  get nodeType(): string { return typeNames[this.t.type[this.at]]; }
  get nodeIsNamed(): boolean { return typeNamed[this.t.type[this.at]]; }
  get startIndex(): number { return this.t.start[this.at]; }
  get endIndex(): number { return this.t.end[this.at]; }
  get parentType(): string {
    const up = this.t.parent[this.at];
    return up < 0 ? '' : typeNames[this.t.type[up]];
  }
  gotoFirstChild(): boolean {
    const child = this.t.firstChild[this.at];
    if (child < 0) return false;
    this.at = child;
    return true;
  }
  gotoNextSibling(): boolean {
    const next = this.t.nextSibling[this.at];
    if (next < 0) return false;
    this.at = next;
    return true;
  }
  gotoParent(): boolean {
    const up = this.t.parent[this.at];
    if (up < 0) return false;
    this.at = up;
    return true;
  }
}
