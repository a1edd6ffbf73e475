/**
 * A lowered syntax tree (ast.ts) as bytes and back, for the parse cache
 * (parseCache.ts). Decoding must give exactly the tree lowering gives: the
 * same nodes, fields, strings (lone surrogates included: the bytes of a file
 * that are not UTF-8 are lone surrogates in its text, see value/bytes.ts),
 * span offsets and lambda names; and it must be cheaper than lowering, which
 * is the point.
 *
 * Layout: a header, the strings, the structure.
 * - Header: `Layout.Magic`, the byte length of the strings, and a checksum of
 *   all that follows (a damaged entry is refused, never decoded into a
 *   different tree).
 * - Strings: one JSON array, every distinct string once (JSON escapes lone
 *   surrogates, and JSON.parse is the fastest way V8 has to make strings).
 * - Structure: int32s, nodes in preorder: a tag, the span's start and end
 *   (UTF-16 offsets into the source), then the node's fields; strings are
 *   indexes into the array, lists are a count then their elements. Spans are
 *   rebuilt against the source's PositionTable, so a decoded tree computes
 *   lines and columns as a lowered one does.
 * - A list or set made only of literals (literals.ts) also says how many
 *   ints it takes, so that it can be stepped over: such a set is decoded
 *   only when its definitions are asked for, and its value can be built from
 *   the ints without the tree (literalAttrs.ts).
 * - So does a function's body (its name comes before it): the body is
 *   decoded when first asked for (LazyLambda).
 */
import { hashByteParts } from '../../fastHash.js';
import type {
  AttrDef, AttrName, Attrs, BinaryOperator, DynamicAttr, Expr, Formal, Lambda, Str, Var,
} from './ast.js';
import type { PositionTable } from './positions.js';
import type { Span } from '../span.js';
import { isLiteral } from './literals.js';
import { LiteralAttrs, type LiteralBuilder, type LiteralSource } from './literalAttrs.js';

const enum Layout {
  /** "TSA5": the format; any change to it changes this. */
  Magic = 0x35415354,
  /** Bytes of the checksum (src/fastHash.ts: it finds damage; nobody forges a cache entry they could write anyway). */
  ChecksumBytes = 16,
  /** Magic, string bytes, then the checksum. */
  HeaderBytes = 8 + ChecksumBytes,
}

const enum Tuning {
  /** Slots of a StringTable at first (a power of two). */
  FirstSlots = 256,
  /** Source length (UTF-16 units) from which a LiteralEncoder makes room for its ints at once. */
  PresizeFrom = 1 << 20,
  /** Ints of room per unit of the source: a generated file of small sets takes about 0.8. */
  IntsPerUnit = 1,
}

const enum Tag {
  Int, BigInt, Float, String, Path, SearchPath, Var, Select, HasAttr, Attrs, Let, List,
  Lambda, Call, With, If, Assert, BinOp, Not, Neg,
  /** Lists and sets of literals: the tag, the span, the count of ints that follow, then a List's or an Attrs' fields. */
  LiteralList, LiteralAttrs,
}

/** Marks a text part of a string or path (any other part is an expression, whose tag is >= 0). */
const TEXT_PART = -1;
const NONE = -1;

const FORMS: ReadonlyArray<Str['form']> = ['double', 'indented', 'uri'];
const BASES = ['absolute', 'relative', 'home'] as const;
const OPERATORS: readonly BinaryOperator[] = ['==', '!=', '<', '<=', '>', '>=', '&&', '||', '->', '+', '-', '*', '/', '++', '//'];
const ATTR_DEF_KINDS: ReadonlyArray<AttrDef['kind']> = ['plain', 'inherit', 'inheritFrom'];
/** The codes of a plain definition and a `"..."` string, as written. */
const PLAIN = ATTR_DEF_KINDS.indexOf('plain');
const DOUBLE = FORMS.indexOf('double');

/** Thrown for bytes that are not a tree this code wrote. */
export class CorruptTree extends Error {}

// ---- encoding -------------------------------------------------------------

/**
 * The strings of an encoding, each once, by index (their order in the
 * table written). A hash table of its own rather than a Map: a string can be
 * looked up by a range of the source text (`indexOfText`), which makes the
 * string only when it is new. A generated file has hundreds of thousands of
 * names and values, most of them repeated (`pname`, `version`).
 */
class StringTable {
  readonly list: string[] = [];
  /** Open addressing: each slot is an index in `list` plus one, 0 when empty; at most half of them are full. */
  private slots = new Int32Array(Tuning.FirstSlots);

  indexOf(s: string): number {
    return this.indexOfText(s, 0, s.length);
  }

  /** The index of `text.slice(start, end)`. */
  indexOfText(text: string, start: number, end: number): number {
    const hash = rangeHash(text, start, end);
    const list = this.list;
    const length = end - start;
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot];
      if (entry === 0) return this.add(text.slice(start, end), hash);
      const s = list[entry - 1];
      if (s.length === length && text.startsWith(s, start)) return entry - 1;
    }
  }

  private add(s: string, hash: number): number {
    const index = this.list.length;
    this.list.push(s);
    if (2 * this.list.length > this.slots.length) {
      this.slots = new Int32Array(2 * this.slots.length);
      this.list.forEach((t, i) => this.place(rangeHash(t, 0, t.length), i));
    } else this.place(hash, index);
    return index;
  }

  private place(hash: number, index: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = index + 1;
  }
}

/** A hash of `text`'s UTF-16 units from `start` to `end` (FNV-1a's multiplier, a unit at a time). */
function rangeHash(text: string, start: number, end: number): number {
  let h = end - start;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h ^ (h >>> 15);
}

class Writer {
  ints = new Int32Array(1024);
  n = 0;

  /** `strings` is shared when sets lowered straight into this form are copied in (LiteralEncoder). */
  constructor(readonly strings = new StringTable(), readonly literals?: LiteralEncoder) {}

  int(x: number): void {
    if (this.n === this.ints.length) this.grow(this.n + 1);
    this.ints[this.n++] = x;
  }

  /** Makes room for `count` ints and counts them as written; returns where they go in `ints`. */
  reserve(count: number): number {
    const at = this.n;
    if (at + count > this.ints.length) this.grow(at + count);
    this.n = at + count;
    return at;
  }

  /** Makes `ints` hold at least `capacity` ints. */
  reserveRoom(capacity: number): void {
    if (capacity > this.ints.length) this.grow(capacity);
  }

  private grow(capacity: number): void {
    const size = Math.max(2 * this.ints.length, capacity);
    // Not zeroed first (a generated file's encoding is tens of megabytes): every int is written before it is read.
    const bytes = Buffer.allocUnsafeSlow(size * 4);
    const grown = new Int32Array(bytes.buffer, bytes.byteOffset, size);
    grown.set(this.ints.subarray(0, this.n));
    this.ints = grown;
  }

  /** Appends `ints` as they are. */
  append(ints: Int32Array): void {
    const at = this.reserve(ints.length);
    this.ints.set(ints, at);
  }

  /** Writes the index of `s` in the strings; returns it. */
  string(s: string): number {
    const i = this.strings.indexOf(s);
    this.int(i);
    return i;
  }

  /** Leaves room for a count of ints, filled by `patchLength`. */
  lengthSlot(): number {
    this.int(0);
    return this.n - 1;
  }

  patchLength(slot: number): void {
    this.ints[slot] = this.n - slot - 1;
  }

  span(s: Span): void {
    const { start, end } = offsets(s);
    this.int(start);
    this.int(end);
  }

  stringTable(): string {
    return JSON.stringify(this.strings.list);
  }
}

/**
 * A lowered tree encoded: its bytes in two parts, to be written one after
 * the other (the header and strings, then the ints: a generated file's tens
 * of megabytes of ints are not copied into one buffer), and the tree they
 * decode to, read from the encoding's own ints and strings instead of parsed
 * back from the bytes.
 */
export interface EncodedTree {
  readonly parts: readonly Uint8Array[];
  decode(table: PositionTable): Expr;
}

/**
 * Encodes a lowered tree. `literals` is where lowering wrote the sets of
 * literals it lowered straight into this form (lower.ts): they are copied as
 * they are. Throws (RangeError included) for a tree too deep to walk here: it
 * is then not cached.
 */
export function encodeTreeParts(e: Expr, literals?: LiteralEncoder): EncodedTree {
  const w = new Writer(literals?.strings, literals);
  const source = e.kind === 'attrs' && e.attrs instanceof LiteralAttrs ? e.attrs.undecoded : undefined;
  // A file that is one set of literals (a generated one) is its ints as lowering wrote them, not copied.
  if (source instanceof LoweredLiterals && source.encoder === literals && isLiteral(e)) source.useAsIs(w);
  else encode(w, e);
  const strings = Buffer.from(w.stringTable(), 'utf8');
  const padding = (4 - (strings.length % 4)) % 4;
  // Every byte is written below (not zeroed first for nothing).
  const head = Buffer.allocUnsafe(Layout.HeaderBytes + strings.length + padding);
  head.writeUInt32LE(Layout.Magic, 0);
  head.writeUInt32LE(strings.length, 4);
  strings.copy(head, Layout.HeaderBytes);
  head.fill(0, Layout.HeaderBytes + strings.length);
  const ints = w.ints.subarray(0, w.n);
  const intBytes = new Uint8Array(ints.buffer, ints.byteOffset, ints.byteLength);
  checksum([head.subarray(Layout.HeaderBytes), intBytes]).copy(head, 8);
  const list = w.strings.list;
  return { parts: [head, intBytes], decode: (table) => readTree(ints, list, table) };
}

/** The bytes of a lowered tree, in one buffer (encodeTreeParts' parts joined). */
export function encodeTree(e: Expr, literals?: LiteralEncoder): Uint8Array {
  return Buffer.concat(encodeTreeParts(e, literals).parts);
}

function offsets(s: Span): { start: number; end: number } {
  const o = s as Span & { start?: number; end?: number };
  if (typeof o.start !== 'number' || typeof o.end !== 'number') throw new Error('astCodec: a span without offsets');
  return o as { start: number; end: number };
}

/** An int literal; a `number` is one known to fit 32 bits. */
function writeInt(w: Writer, value: bigint | number, start: number, end: number): void {
  if (typeof value === 'number' || (value >= -0x80000000n && value <= 0x7fffffffn)) {
    w.int(Tag.Int);
    w.int(start);
    w.int(end);
    w.int(Number(value));
  } else {
    w.int(Tag.BigInt);
    w.int(start);
    w.int(end);
    w.string(String(value));
  }
}

function writeFloat(w: Writer, text: string, start: number, end: number): void {
  w.int(Tag.Float);
  w.int(start);
  w.int(end);
  w.string(text);
}

// ---- sets of literals lowered straight into the encoding ------------------

/**
 * Where lowering writes the sets of literals it meets (lower.ts, when it
 * lowers for the parse cache), in this file's form, instead of making their
 * trees: for a generated file, millions of objects never made. Each set is
 * written whole, from the `attrs` call to its `end`, its lists and sets
 * inside it; a set found not to be one of literals after all (two
 * definitions of a name, ...) is taken back with `rollback` and lowered as
 * usual. The node lowering gives for it (`node`) is a set whose definitions
 * are decoded from here if asked for, and which encodeTree copies as it is.
 */
export class LiteralEncoder {
  /** The strings of the sets written here, then of the tree's whole encoding. */
  readonly strings = new StringTable();
  private readonly w = new Writer(this.strings);

  /**
   * `sourceLength`: the length of the text lowered, if it is known: a large
   * file gets room for its encoding at once (memory the system gives only
   * as it is written), instead of growing into it by copies.
   */
  constructor(sourceLength = 0) {
    if (sourceLength > Tuning.PresizeFrom) this.w.reserveRoom(sourceLength * Tuning.IntsPerUnit);
  }
  /** Open lists and sets: where each starts, and its count of elements or definitions so far. */
  private readonly open: number[] = [];
  private count = 0;
  /**
   * Which names the open sets define, to refuse a name defined twice: by a
   * name's index in the strings, the number of the innermost open set that
   * defines it. A set that defines a name an outer one has defined writes
   * over the outer's number, which `end` puts back from `overwritten`
   * (pairs of a name and the number it had). Sets are numbered from 1,
   * never twice: a number left by a set that ended means nothing.
   */
  private definedBy = new Int32Array(1024);
  private readonly overwritten: number[] = [];
  /** For each open set, in pairs: the number of the set it is in, and the length of `overwritten` when it opened. */
  private readonly openSets: number[] = [];
  private set = 0;
  private sets = 0;

  /** Where the next set starts: what `rollback` takes back to. */
  mark(): number {
    return this.w.n;
  }

  rollback(mark: number): void {
    this.w.n = mark;
    this.open.length = 0;
    this.count = 0;
    this.overwritten.length = 0;
    this.openSets.length = 0;
    this.set = 0;
  }

  /** Opens a set (not `rec`) spanning `start` to `end`; each definition is a `define` then a value. */
  attrs(start: number, end: number): void {
    this.element();
    this.begin(Tag.LiteralAttrs, start, end);
    const w = this.w;
    const at = w.reserve(2);
    w.ints[at] = 0; // not rec
    w.ints[at + 1] = 0; // its count of definitions, set by `end`
    this.openSets.push(this.set, this.overwritten.length);
    this.set = ++this.sets;
  }

  /**
   * A definition, in the innermost set, of the name whose index in the
   * strings is `index` (as `index` or `textIndex` gives it); `start` and
   * `end` are its attribute path's. False, with nothing written, when the
   * set defines that name already.
   */
  define(index: number, start: number, end: number): boolean {
    const w = this.w;
    let definedBy = this.definedBy;
    if (index >= definedBy.length) {
      const grown = new Int32Array(Math.max(2 * definedBy.length, index + 1));
      grown.set(definedBy);
      this.definedBy = definedBy = grown;
    }
    const before = definedBy[index];
    if (before === this.set) return false;
    if (before !== 0) this.overwritten.push(index, before);
    definedBy[index] = this.set;
    const at = w.reserve(4);
    const ints = w.ints;
    ints[at] = index;
    ints[at + 1] = PLAIN;
    ints[at + 2] = start;
    ints[at + 3] = end;
    return true;
  }

  /** Opens a list spanning `start` to `end`. */
  list(start: number, end: number): void {
    this.element();
    this.begin(Tag.LiteralList, start, end);
    this.w.int(0); // its count of elements, set by `end`
  }

  /** An integer; a `number` must fit 32 bits. */
  int(value: bigint | number, start: number, end: number): void {
    this.element();
    writeInt(this.w, value, start, end);
  }

  float(text: string, start: number, end: number): void {
    this.element();
    writeFloat(this.w, text, start, end);
  }

  /** The index of `s` in the strings (added if new). */
  index(s: string): number {
    return this.strings.indexOf(s);
  }

  /** The index of `text.slice(start, end)` in the strings (added if new), that string made only if new. */
  textIndex(text: string, start: number, end: number): number {
    return this.strings.indexOfText(text, start, end);
  }

  /** The string of index `index`. */
  stringAt(index: number): string {
    return this.strings.list[index];
  }

  /** A `"..."` string without interpolations, its escapes resolved: the string of index `text` (-1 for the empty one). */
  string(text: number, start: number, end: number): void {
    this.element();
    const w = this.w;
    const empty = text < 0;
    const at = w.reserve(empty ? 6 : 8);
    const ints = w.ints;
    ints[at] = Tag.String;
    ints[at + 1] = start;
    ints[at + 2] = end;
    ints[at + 3] = DOUBLE;
    if (empty) {
      ints[at + 4] = 0; // no parts
      ints[at + 5] = 0; // no nixParts
      return;
    }
    ints[at + 4] = 1; // one part,
    ints[at + 5] = TEXT_PART; // a text
    ints[at + 6] = text;
    ints[at + 7] = 0; // no nixParts
  }

  /** Closes the innermost list or set. */
  end(): void {
    const w = this.w;
    const at = this.open.pop()!;
    if (w.ints[at] === Tag.LiteralAttrs) {
      w.int(0); // no `inherit (e)`
      w.int(0); // no dynamic names
      w.ints[at + 5] = this.count;
      // The names the outer sets had defined are theirs again.
      const overwritten = this.overwritten;
      const from = this.openSets.pop()!;
      for (let i = overwritten.length - 2; i >= from; i -= 2) this.definedBy[overwritten[i]] = overwritten[i + 1];
      overwritten.length = from;
      this.set = this.openSets.pop()!;
    } else w.ints[at + 4] = this.count;
    w.patchLength(at + 3);
    this.count = this.open.pop()!;
  }

  /** The lowered node of the set written from `at` (a mark, when it is closed); its spans in `table`. */
  node(at: number, span: Span, table: PositionTable): Attrs {
    const attrs = new LiteralAttrs(new LoweredLiterals(this, at, table));
    return { kind: 'attrs', rec: false, attrs, dynamic: [], inheritFrom: [], span } satisfies Attrs;
  }

  /** The content of the set written from `at`, read as the parse cache reads it. */
  source(at: number, table: PositionTable): LiteralSource {
    return new Reader(this.w.ints.subarray(0, this.w.n), this.strings.list, table).literalSource(at + 4);
  }

  /** Copies the set written from `at` into `w` (whose strings are this encoder's). */
  copyInto(w: Writer, at: number): void {
    w.append(this.w.ints.subarray(at, at + 4 + this.w.ints[at + 3]));
  }

  useAsIs(w: Writer, at: number): void {
    w.ints = this.w.ints.subarray(at, at + 4 + this.w.ints[at + 3]);
    w.n = w.ints.length;
  }

  private element(): void {
    this.count++;
  }

  private begin(tag: Tag, start: number, end: number): void {
    const w = this.w;
    this.open.push(this.count, w.n);
    this.count = 0;
    const at = w.reserve(4);
    const ints = w.ints;
    ints[at] = tag;
    ints[at + 1] = start;
    ints[at + 2] = end;
    ints[at + 3] = 0; // its count of ints, set by `end`
  }
}

/** The definitions of a set LiteralEncoder holds. */
class LoweredLiterals implements LiteralSource {
  constructor(readonly encoder: LiteralEncoder, private readonly at: number, private readonly table: PositionTable) {}

  copyInto(w: Writer): void {
    this.encoder.copyInto(w, this.at);
  }

  /** Makes this set's ints the whole of `w`'s (it must be empty), without copying them. */
  useAsIs(w: Writer): void {
    this.encoder.useAsIs(w, this.at);
  }

  decode(): Map<string, AttrDef> {
    return this.encoder.source(this.at, this.table).decode();
  }

  build<V>(builder: LiteralBuilder<V>): V {
    return this.encoder.source(this.at, this.table).build(builder);
  }
}

/** The checksum of an entry's body (everything after the header), given in parts. */
function checksum(body: readonly Uint8Array[]): Buffer {
  return Buffer.from(hashByteParts(body), 'hex');
}

function encodeParts(w: Writer, parts: ReadonlyArray<string | Expr>): void {
  w.int(parts.length);
  for (const p of parts) {
    if (typeof p === 'string') {
      w.int(TEXT_PART);
      w.string(p);
    } else encode(w, p);
  }
}

function encodeAttrNames(w: Writer, path: ReadonlyArray<AttrName>): void {
  w.int(path.length);
  for (const a of path) {
    if (a.kind === 'static') {
      w.int(0);
      w.span(a.span);
      w.string(a.name);
    } else {
      w.int(1);
      w.span(a.span);
      encode(w, a.expr);
    }
  }
}

function encodeBindings(w: Writer, attrs: ReadonlyMap<string, AttrDef>, inheritFrom: ReadonlyArray<Expr>): void {
  w.int(attrs.size);
  for (const [name, def] of attrs) {
    w.string(name);
    w.int(ATTR_DEF_KINDS.indexOf(def.kind));
    w.span(def.nameSpan);
    if (def.kind === 'inheritFrom') w.int(def.from);
    else encode(w, def.value);
  }
  w.int(inheritFrom.length);
  for (const e of inheritFrom) encode(w, e);
}

function encode(w: Writer, e: Expr): void {
  switch (e.kind) {
    case 'int': {
      const { start, end } = offsets(e.span);
      writeInt(w, e.value, start, end);
      return;
    }
    case 'float': {
      if (Number(e.text) !== e.value && !(Number.isNaN(e.value) && Number.isNaN(Number(e.text)))) {
        throw new Error('astCodec: a float whose value is not its text');
      }
      const { start, end } = offsets(e.span);
      writeFloat(w, e.text, start, end);
      return;
    }
    case 'string':
      w.int(Tag.String);
      w.span(e.span);
      w.int(FORMS.indexOf(e.form));
      encodeParts(w, e.parts);
      if (e.nixParts) {
        w.int(1);
        encodeParts(w, e.nixParts);
      } else w.int(0);
      return;
    case 'path':
      w.int(Tag.Path);
      w.span(e.span);
      w.int(BASES.indexOf(e.base));
      encodeParts(w, e.parts);
      return;
    case 'searchPath':
      w.int(Tag.SearchPath);
      w.span(e.span);
      w.string(e.path);
      return;
    case 'var':
      w.int(Tag.Var);
      w.span(e.span);
      w.string(e.name);
      return;
    case 'select':
      w.int(Tag.Select);
      w.span(e.span);
      encode(w, e.expr);
      encodeAttrNames(w, e.path);
      if (e.fallback) {
        w.int(1);
        encode(w, e.fallback);
      } else w.int(0);
      return;
    case 'hasAttr':
      w.int(Tag.HasAttr);
      w.span(e.span);
      encode(w, e.expr);
      encodeAttrNames(w, e.path);
      return;
    case 'attrs': {
      // As lowering wrote it, unless a merge has added to it since (`{ a = { b = 1; }; a = { ${n} = 2; }; }`).
      const source = e.attrs instanceof LiteralAttrs ? e.attrs.undecoded : undefined;
      if (source instanceof LoweredLiterals && source.encoder === w.literals && isLiteral(e)) {
        source.copyInto(w);
        return;
      }
      const literal = isLiteral(e);
      w.int(literal ? Tag.LiteralAttrs : Tag.Attrs);
      w.span(e.span);
      const slot = literal ? w.lengthSlot() : -1;
      w.int(e.rec ? 1 : 0);
      encodeBindings(w, e.attrs, e.inheritFrom);
      w.int(e.dynamic.length);
      for (const d of e.dynamic) {
        w.span(d.span);
        encode(w, d.name);
        encode(w, d.value);
      }
      if (literal) w.patchLength(slot);
      return;
    }
    case 'let':
      w.int(Tag.Let);
      w.span(e.span);
      encodeBindings(w, e.attrs, e.inheritFrom);
      encode(w, e.body);
      return;
    case 'list': {
      const literal = isLiteral(e);
      w.int(literal ? Tag.LiteralList : Tag.List);
      w.span(e.span);
      const slot = literal ? w.lengthSlot() : -1;
      w.int(e.elems.length);
      for (const x of e.elems) encode(w, x);
      if (literal) w.patchLength(slot);
      return;
    }
    case 'lambda': {
      w.int(Tag.Lambda);
      w.span(e.span);
      if (e.param === undefined) w.int(NONE);
      else w.string(e.param);
      if (e.formals) {
        w.int(e.formals.entries.length);
        for (const f of e.formals.entries) {
          w.string(f.name);
          w.span(f.span);
          if (f.fallback) {
            w.int(1);
            encode(w, f.fallback);
          } else w.int(0);
        }
        w.int(e.formals.ellipsis ? 1 : 0);
      } else w.int(NONE);
      if (e.name === undefined) w.int(NONE);
      else w.string(e.name);
      // The body's length, so that it can be stepped over (LazyLambda).
      const bodySlot = w.lengthSlot();
      encode(w, e.body);
      w.patchLength(bodySlot);
      return;
    }
    case 'call':
      w.int(Tag.Call);
      w.span(e.span);
      encode(w, e.fn);
      w.int(e.args.length);
      for (const a of e.args) encode(w, a);
      return;
    case 'with':
      w.int(Tag.With);
      w.span(e.span);
      encode(w, e.env);
      encode(w, e.body);
      return;
    case 'if':
      w.int(Tag.If);
      w.span(e.span);
      encode(w, e.cond);
      encode(w, e.then);
      encode(w, e.else);
      return;
    case 'assert':
      w.int(Tag.Assert);
      w.span(e.span);
      encode(w, e.cond);
      encode(w, e.body);
      return;
    case 'binop':
      w.int(Tag.BinOp);
      w.span(e.span);
      w.int(OPERATORS.indexOf(e.op));
      w.span(e.opSpan);
      encode(w, e.left);
      encode(w, e.right);
      return;
    case 'not':
    case 'neg':
      w.int(e.kind === 'not' ? Tag.Not : Tag.Neg);
      w.span(e.span);
      encode(w, e.expr);
      return;
  }
}

// ---- decoding -------------------------------------------------------------

/** The tree `bytes` holds, with spans in `table`. @throws CorruptTree (or RangeError, for a tree too deep to rebuild here). */
export function decodeTree(bytes: Uint8Array, table: PositionTable): Expr {
  if (bytes.byteLength < Layout.HeaderBytes) throw new CorruptTree('too short');
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.readUInt32LE(0) !== Layout.Magic) throw new CorruptTree('not a syntax tree of this version');
  const stringBytes = view.readUInt32LE(4);
  const body = view.subarray(Layout.HeaderBytes);
  if (!checksum([body]).equals(view.subarray(8, Layout.HeaderBytes))) throw new CorruptTree('checksum mismatch');
  const intsStart = stringBytes + ((4 - (stringBytes % 4)) % 4);
  if (intsStart > body.length || (body.length - intsStart) % 4 !== 0) throw new CorruptTree('bad lengths');
  const strings = JSON.parse(body.toString('utf8', 0, stringBytes)) as unknown;
  if (!Array.isArray(strings)) throw new CorruptTree('bad string table');
  // Read in place when aligned (a file read whole is); copied otherwise.
  const at = body.byteOffset + intsStart;
  const count = (body.length - intsStart) / 4;
  const ints = at % 4 === 0 ? new Int32Array(body.buffer, at, count) : new Int32Array(body.buffer.slice(at, at + count * 4));
  return readTree(ints, strings as string[], table);
}

/** The tree whose encoding is `ints` with `strings`. */
function readTree(ints: Int32Array, strings: readonly string[], table: PositionTable): Expr {
  const r = new Reader(ints, strings, table);
  const e = r.expr();
  if (r.at !== ints.length) throw new CorruptTree('trailing data');
  return e;
}

/** Shared by every decoded set without dynamic names or `inherit (e)` (most): the tree is read-only. */
const NO_DYNAMIC: DynamicAttr[] = Object.freeze([]) as unknown as DynamicAttr[];
const NO_EXPRS: Expr[] = Object.freeze([]) as unknown as Expr[];

class Reader {
  at = 0;
  constructor(private readonly ints: Int32Array, private readonly strings: readonly string[], private readonly table: PositionTable) {}

  int(): number {
    if (this.at >= this.ints.length) throw new CorruptTree('truncated');
    return this.ints[this.at++];
  }

  /** A count of things that follow, each at least one int. */
  count(): number {
    const n = this.int();
    if (n < 0 || n > this.ints.length - this.at) throw new CorruptTree('bad count');
    return n;
  }

  string(): string {
    const i = this.int();
    const s = this.strings[i];
    if (typeof s !== 'string') throw new CorruptTree('bad string index');
    return s;
  }

  optionalString(): string | undefined {
    if (this.ints[this.at] === NONE) {
      this.at++;
      return undefined;
    }
    return this.string();
  }

  /** The expression of `length` ints at `start` (a function's body), read by a reader of its own. */
  exprAt(start: number, length: number): Expr {
    const r = new Reader(this.ints, this.strings, this.table);
    r.at = start;
    const e = r.expr();
    if (r.at !== start + length) throw new CorruptTree('bad length');
    return e;
  }

  /** Steps over a literal list's or set's fields (their count of ints comes first); returns where they start. */
  skip(): number {
    const length = this.int();
    const start = this.at;
    if (length < 0 || length > this.ints.length - start) throw new CorruptTree('bad length');
    this.at = start + length;
    return start;
  }

  /** The content of the literal set whose fields start at `start`. */
  literalSource(start: number): LiteralSource {
    return {
      decode: () => {
        const r = new Reader(this.ints, this.strings, this.table);
        r.at = start;
        r.flag();
        const { attrs } = r.bindings();
        return attrs;
      },
      build: <V>(builder: LiteralBuilder<V>) => new LiteralValues(this.ints, this.strings, this.table, builder).attrsAt(start),
    };
  }

  list(span: Span): Expr {
    const n = this.count();
    const elems: Expr[] = [];
    for (let i = 0; i < n; i++) elems.push(this.expr());
    return { kind: 'list', elems, span };
  }

  flag(): boolean {
    const f = this.int();
    if (f !== 0 && f !== 1) throw new CorruptTree('bad flag');
    return f === 1;
  }

  span(): Span {
    const start = this.int();
    const end = this.int();
    if (start < 0 || end < start) throw new CorruptTree('bad span');
    return this.table.span(start, end);
  }

  choice<T>(values: readonly T[]): T {
    const v = values[this.int()];
    if (v === undefined) throw new CorruptTree('bad choice');
    return v;
  }

  parts(): Array<string | Expr> {
    const n = this.count();
    const parts: Array<string | Expr> = [];
    for (let i = 0; i < n; i++) {
      if (this.ints[this.at] === TEXT_PART) {
        this.at++;
        parts.push(this.string());
      } else parts.push(this.expr());
    }
    return parts;
  }

  attrNames(): AttrName[] {
    const n = this.count();
    const path: AttrName[] = [];
    for (let i = 0; i < n; i++) {
      const dynamic = this.flag();
      const span = this.span();
      path.push(dynamic ? { kind: 'dynamic', expr: this.expr(), span } : { kind: 'static', name: this.string(), span });
    }
    return path;
  }

  /** The bindings of a set or let, as BindingsBuilder makes them. */
  bindings(): { attrs: Map<string, AttrDef>; inheritFrom: Expr[] } {
    const attrs = new Map<string, AttrDef>();
    const n = this.count();
    for (let i = 0; i < n; i++) {
      const name = this.string();
      const kind = this.choice(ATTR_DEF_KINDS);
      const nameSpan = this.span();
      if (kind === 'inheritFrom') attrs.set(name, { kind, from: this.int(), nameSpan });
      else if (kind === 'plain') attrs.set(name, { kind, value: this.expr(), nameSpan });
      else {
        const value = this.expr();
        if (value.kind !== 'var') throw new CorruptTree('inherit of a non-variable');
        attrs.set(name, { kind, value, nameSpan });
      }
    }
    const m = this.count();
    const inheritFrom: Expr[] = m === 0 ? NO_EXPRS : [];
    for (let i = 0; i < m; i++) inheritFrom.push(this.expr());
    return { attrs, inheritFrom };
  }

  expr(): Expr {
    const tag = this.int() as Tag;
    const span = this.span();
    switch (tag) {
      case Tag.Int: return { kind: 'int', value: BigInt(this.int()), span };
      case Tag.BigInt: return { kind: 'int', value: BigInt(this.string()), span };
      case Tag.Float: {
        const text = this.string();
        return { kind: 'float', value: Number(text), text, span };
      }
      case Tag.String: {
        const form = this.choice(FORMS);
        const parts = this.parts();
        if (this.flag()) return { kind: 'string', parts, nixParts: this.parts(), form, span };
        return { kind: 'string', parts, form, span };
      }
      case Tag.Path: {
        const base = this.choice(BASES);
        return { kind: 'path', base, parts: this.parts(), span };
      }
      case Tag.SearchPath: return { kind: 'searchPath', path: this.string(), span };
      case Tag.Var: return { kind: 'var', name: this.string(), span } satisfies Var;
      case Tag.Select: {
        const expr = this.expr();
        const path = this.attrNames();
        return this.flag() ? { kind: 'select', expr, path, fallback: this.expr(), span } : { kind: 'select', expr, path, span };
      }
      case Tag.HasAttr: {
        const expr = this.expr();
        return { kind: 'hasAttr', expr, path: this.attrNames(), span };
      }
      case Tag.LiteralAttrs: {
        const start = this.skip();
        return { kind: 'attrs', rec: false, attrs: new LiteralAttrs(this.literalSource(start)), dynamic: NO_DYNAMIC, inheritFrom: NO_EXPRS, span } satisfies Attrs;
      }
      case Tag.Attrs: {
        const rec = this.flag();
        const { attrs, inheritFrom } = this.bindings();
        const n = this.count();
        const dynamic: DynamicAttr[] = n === 0 ? NO_DYNAMIC : [];
        for (let i = 0; i < n; i++) {
          const at = this.span();
          const name = this.expr();
          dynamic.push({ name, value: this.expr(), span: at });
        }
        return { kind: 'attrs', rec, attrs, dynamic, inheritFrom, span } satisfies Attrs;
      }
      case Tag.Let: {
        const { attrs, inheritFrom } = this.bindings();
        return { kind: 'let', attrs, inheritFrom, body: this.expr(), span };
      }
      case Tag.LiteralList:
        this.int(); // its length: it is read here, not stepped over
        return this.list(span);
      case Tag.List: return this.list(span);
      case Tag.Lambda: {
        const param = this.optionalString();
        let formals: Lambda['formals'];
        if (this.ints[this.at] === NONE) this.at++;
        else {
          const entries: Formal[] = [];
          const n = this.count();
          for (let i = 0; i < n; i++) {
            const name = this.string();
            const at = this.span();
            entries.push(this.flag() ? { name, fallback: this.expr(), span: at } : { name, span: at });
          }
          formals = { entries, ellipsis: this.flag() };
        }
        const name = this.optionalString();
        const length = this.int();
        const start = this.at;
        if (length <= 0 || length > this.ints.length - start) throw new CorruptTree('bad length');
        this.at = start + length;
        // A body that is itself a function is read now: compiling `a: b: ...` looks into it (interp/compile.ts).
        const body = this.ints[start] === Tag.Lambda ? this.exprAt(start, length) : undefined;
        const lambda = new LazyLambda(param, formals, span, this, start, length, body);
        if (name !== undefined) lambda.name = name;
        return lambda;
      }
      case Tag.Call: {
        const fn = this.expr();
        const n = this.count();
        const args: Expr[] = [];
        for (let i = 0; i < n; i++) args.push(this.expr());
        return { kind: 'call', fn, args, span };
      }
      case Tag.With: {
        const env = this.expr();
        return { kind: 'with', env, body: this.expr(), span };
      }
      case Tag.If: {
        const cond = this.expr();
        const then = this.expr();
        return { kind: 'if', cond, then, else: this.expr(), span };
      }
      case Tag.Assert: {
        const cond = this.expr();
        return { kind: 'assert', cond, body: this.expr(), span };
      }
      case Tag.BinOp: {
        const op = this.choice(OPERATORS);
        const opSpan = this.span();
        const left = this.expr();
        return { kind: 'binop', op, left, right: this.expr(), span, opSpan };
      }
      case Tag.Not: return { kind: 'not', expr: this.expr(), span };
      case Tag.Neg: return { kind: 'neg', expr: this.expr(), span };
      default: throw new CorruptTree('bad tag');
    }
  }
}

/**
 * A function read back from the cache, its body read when first asked for:
 * most functions of a library are never called in a given run, and a file
 * known to compile (compiles.ts) has its functions' bodies compiled only when
 * called (interp/compile.ts), so their trees are never made. To everything
 * else it is the Lambda lowering gives (`body` is a getter, read once).
 */
class LazyLambda implements Lambda {
  // Assigned in the constructor, in the order lowering gives its fields (`body` aside).
  declare readonly kind: 'lambda';
  declare readonly param: string | undefined;
  declare readonly formals: Lambda['formals'];
  declare readonly span: Span;
  declare name?: string;
  #body: Expr | undefined;
  #reader: Reader | undefined;
  readonly #start: number;
  readonly #length: number;

  constructor(
    param: string | undefined, formals: Lambda['formals'], span: Span,
    reader: Reader, start: number, length: number, body: Expr | undefined,
  ) {
    this.kind = 'lambda';
    this.param = param;
    this.formals = formals;
    this.span = span;
    this.#body = body;
    this.#reader = body === undefined ? reader : undefined;
    this.#start = start;
    this.#length = length;
  }

  get body(): Expr {
    if (this.#body === undefined) {
      this.#body = this.#reader!.exprAt(this.#start, this.#length);
      this.#reader = undefined;
    }
    return this.#body;
  }

  /** The body if it has been read (or, for a function whose body is a function, always). */
  bodyIfRead(): Expr | undefined {
    return this.#body;
  }
}

/**
 * A function's body if it is at hand without reading it from the parse
 * cache's bytes; undefined only for a body not read yet, which is then not a
 * function (those are read with the function).
 */
export function bodyIfRead(e: Lambda): Expr | undefined {
  return e instanceof LazyLambda ? e.bodyIfRead() : e.body;
}

/**
 * A literal set's value built from its ints, without its tree: what
 * LiteralAttrs.build does. The encoder wrote these ints from a tree that
 * literals.ts accepts, and they passed the checksum: they are read without
 * the Reader's checks.
 */
class LiteralValues<V> {
  /** Where the node `valueAt` read ends. */
  private end = 0;
  /**
   * The names of the last set built, and their indexes in the strings: the
   * next set with the same names gets the same array (the sets of a
   * generated file mostly have the same names, in the same order).
   */
  private names: readonly string[] = [];
  private nameIndexes: number[] = [];
  /** The indexes of the set being built (swapped with `nameIndexes` when they differ). */
  private scratch: number[] = [];

  constructor(
    private readonly ints: Int32Array,
    private readonly strings: readonly string[],
    private readonly table: PositionTable,
    private readonly builder: LiteralBuilder<V>,
  ) {}

  private readonly buildAt = (at: number): V => {
    // A LiteralAttrs or LiteralList node: its tag, span and length, then its fields.
    return this.ints[at] === Tag.LiteralAttrs ? this.attrsAt(at + 4) : this.listAt(at + 4);
  };

  /** A set whose fields (after the length) start at `at`: the rec flag, the definitions, no inherit (e), no dynamic names. */
  attrsAt(at: number): V {
    const ints = this.ints;
    const n = ints[at + 1];
    let i = at + 2;
    const indexes = this.scratch;
    indexes.length = n;
    const values: V[] = new Array(n);
    for (let k = 0; k < n; k++) {
      indexes[k] = ints[i];
      // The definition's kind (plain) and its name's span, then the value (a list or set is lazy: not read here).
      values[k] = this.valueAt(i + 4);
      i = this.end;
    }
    const last = this.nameIndexes;
    let same = last.length === n;
    for (let k = 0; same && k < n; k++) same = last[k] === indexes[k];
    if (!same) {
      this.names = indexes.map((index) => this.strings[index]);
      this.nameIndexes = indexes;
      this.scratch = last;
    }
    const names = this.names;
    return this.builder.attrs(names, values, () => this.positionsAt(at, names));
  }

  private listAt(at: number): V {
    const ints = this.ints;
    const n = ints[at];
    let i = at + 1;
    const items: V[] = new Array(n);
    for (let k = 0; k < n; k++) {
      items[k] = this.valueAt(i);
      i = this.end;
    }
    return this.builder.list(items);
  }

  /** The value of the node at `at`; `end` is then where the next node starts. */
  private valueAt(at: number): V {
    const ints = this.ints;
    const b = this.builder;
    this.end = this.skipAt(at);
    switch (ints[at] as Tag) {
      case Tag.Int: return b.int(ints[at + 3]);
      case Tag.BigInt: return b.int(BigInt(this.strings[ints[at + 3]]));
      case Tag.Float: return b.float(this.strings[ints[at + 3]]);
      case Tag.Path: return b.path(this.strings[ints[at + 6]]);
      case Tag.String: {
        // Form, then the parts: each a text marker and a string.
        const n = ints[at + 4];
        if (n === 1) return b.string(this.strings[ints[at + 6]]);
        let text = '';
        for (let k = 0, i = at + 5; k < n; k++, i += 2) text += this.strings[ints[i + 1]];
        return b.string(text);
      }
      default: return b.lazy(at, this.buildAt); // a LiteralList or LiteralAttrs
    }
  }

  /** Where the node at `at` ends. */
  private skipAt(at: number): number {
    const ints = this.ints;
    switch (ints[at] as Tag) {
      case Tag.Int: case Tag.BigInt: case Tag.Float: return at + 4;
      case Tag.Path: return at + 7;
      case Tag.String: {
        let i = at + 4;
        i += 1 + 2 * ints[i];
        if (ints[i++] === 1) i += 1 + 2 * ints[i];
        return i;
      }
      case Tag.LiteralList: case Tag.LiteralAttrs: return at + 4 + ints[at + 3];
      default: throw new CorruptTree('not a literal');
    }
  }

  /** Where each name (`names`) of the set at `at` is defined, read again when positions are asked for. */
  private positionsAt(at: number, names: readonly string[]): Map<string, Span> {
    const ints = this.ints;
    const n = ints[at + 1];
    let i = at + 2;
    const positions = new Map<string, Span>();
    for (let k = 0; k < n; k++) {
      positions.set(names[k], this.table.span(ints[i + 2], ints[i + 3]));
      i = this.skipAt(i + 4);
    }
    return positions;
  }
}
