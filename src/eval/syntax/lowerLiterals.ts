/**
 * Sets of literals lowered straight into the parse cache's form (astCodec.ts's
 * LiteralEncoder), for lower.ts when it lowers a file for the cache.
 *
 * Why: a generated file is mostly sets of literals (literals.ts), hundreds of
 * thousands of them; lowering made a tree of millions of objects for them,
 * that the cache then encoded and threw away (the evaluator builds their
 * values from the encoded form: literalAttrs.ts). Here such a set goes from
 * the flat tree to its encoded ints in one walk, making nothing else.
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
import { gotoFirstCodeChild, gotoNextCodeSibling, type SyntaxCursor } from './flatTree.js';
import { RESERVED_KEYWORDS } from './keywords.js';
import { floatLiteral, integerLiteral } from './literals.js';
import { unescapeDouble } from './strings.js';

/** The node types of a set of literals that the walk below may take (without `"${...}"`, `rec`, `inherit`, paths). */
export const LITERAL_NODE_TYPES: ReadonlySet<string> = new Set([
  'attrset_expression', 'binding_set', 'binding', 'attrpath', 'identifier', 'list_expression',
  'string_expression', 'string_fragment', 'escape_sequence', 'dollar_escape',
  'integer_expression', 'float_expression', 'comment',
]);

/** The names a set has defined so far, by their index in the encoding's strings: a list while short, then a Set. */
class Names {
  private list: number[] | undefined = [];
  private set: Set<number> | undefined;

  /** Adds `name`; false if it was there. */
  add(name: number): boolean {
    const list = this.list;
    if (list !== undefined) {
      if (list.includes(name)) return false;
      list.push(name);
      if (list.length > Tuning.ListedNames) {
        this.set = new Set(list);
        this.list = undefined;
      }
      return true;
    }
    const set = this.set!;
    if (set.has(name)) return false;
    set.add(name);
    return true;
  }
}

const enum Tuning {
  /** Names looked for in a list up to this many (most sets are small), then in a Set. */
  ListedNames = 16,
}

/** Thrown inside the walk when the set is not one it takes. */
class NotTaken {}
const NOT_TAKEN = new NotTaken();

/**
 * Writes the set under the cursor (an attrset_expression whose subtree has
 * only LITERAL_NODE_TYPES) into `encoder`. Returns false, with nothing
 * written and the cursor where it was, when it is not plainly a set of
 * literals. The cursor ends where it started.
 */
export function lowerLiteralSet(c: SyntaxCursor, text: string, encoder: LiteralEncoder): boolean {
  const walk = new Walk(c, text, encoder);
  const mark = encoder.mark();
  try {
    walk.attrs();
    return true;
  } catch (e) {
    if (e !== NOT_TAKEN) throw e;
    encoder.rollback(mark);
    walk.backToStart();
    return false;
  }
}

class Walk {
  /** How far below the starting node the cursor is. */
  private depth = 0;

  constructor(private readonly c: SyntaxCursor, private readonly text: string, private readonly out: LiteralEncoder) {}

  backToStart(): void {
    for (; this.depth > 0; this.depth--) this.c.gotoParent();
  }

  /** The set at the cursor. */
  attrs(): void {
    const c = this.c;
    this.out.attrs(c.startIndex, c.endIndex);
    const names = new Names();
    if (this.down()) {
      do {
        if (c.nodeType === 'binding_set') this.bindings(names);
      } while (this.next());
      this.up();
    }
    this.out.end();
  }

  private bindings(names: Names): void {
    const c = this.c;
    this.down();
    do {
      if (c.nodeType !== 'binding') throw NOT_TAKEN;
      this.binding(names);
    } while (this.next());
    this.up();
  }

  /** `name = value;` (the attribute path first; `=` and `;` are not in the flat tree). */
  private binding(names: Names): void {
    const c = this.c;
    this.down();
    const start = c.startIndex;
    const end = c.endIndex;
    if (!names.add(this.out.name(this.name(), start, end))) throw NOT_TAKEN;
    if (!this.next()) throw NOT_TAKEN;
    this.value();
    if (this.next()) throw NOT_TAKEN;
    this.up();
  }

  /** The one name of the attribute path at the cursor. */
  private name(): string {
    const c = this.c;
    if (c.nodeType !== 'attrpath' || !this.down()) throw NOT_TAKEN;
    let name: string;
    const type: string = c.nodeType;
    if (type === 'identifier') {
      name = this.text.slice(c.startIndex, c.endIndex);
      if (RESERVED_KEYWORDS.has(name)) throw NOT_TAKEN;
    } else if (type === 'string_expression') name = this.stringText();
    else throw NOT_TAKEN;
    if (this.next()) throw NOT_TAKEN; // `a.b = `
    this.up();
    return name;
  }

  private value(): void {
    const c = this.c;
    const start = c.startIndex;
    const end = c.endIndex;
    switch (c.nodeType) {
      case 'integer_expression': {
        // Up to 9 digits, a number (no BigInt made): its value fits 32 bits.
        const t = this.text.slice(start, end);
        const value = t.length <= 9 ? Number(t) : integerLiteral(t);
        if (value === undefined) throw NOT_TAKEN;
        this.out.int(value, start, end);
        return;
      }
      case 'float_expression': {
        const t = this.text.slice(start, end);
        if (floatLiteral(t) === undefined) throw NOT_TAKEN;
        this.out.float(t, start, end);
        return;
      }
      case 'string_expression':
        this.out.string(this.stringText(), start, end);
        return;
      case 'attrset_expression':
        this.attrs();
        return;
      case 'list_expression':
        this.out.list(start, end);
        if (this.down()) {
          do this.value(); while (this.next());
          this.up();
        }
        this.out.end();
        return;
      default:
        throw NOT_TAKEN;
    }
  }

  /** The text of the `"..."` string at the cursor (it has no interpolations), as lower.ts reads it. */
  private stringText(): string {
    const text = unescapeDouble(this.text.slice(this.c.startIndex + 1, this.c.endIndex - 1));
    if (text.includes('\0')) throw NOT_TAKEN;
    return text;
  }

  /** To the first child that is not a comment; false (the cursor unmoved) if none. */
  private down(): boolean {
    if (!gotoFirstCodeChild(this.c)) return false;
    this.depth++;
    return true;
  }

  private up(): void {
    this.c.gotoParent();
    this.depth--;
  }

  /** To the next sibling that is not a comment. */
  private next(): boolean {
    return gotoNextCodeSibling(this.c);
  }
}
