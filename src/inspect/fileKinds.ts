/**
 * What each file of an image is to the kernel and the loader: an ELF file
 * (with what its loader reads: interpreter, needed libraries, search paths),
 * a script (its `#!` line), or neither. Learnt from the one stream of every
 * file's data that `inspect` reads, without holding more than a few pieces
 * of one file at a time.
 *
 * What is hard: the data comes as one stream of all files back to back, in
 * pieces of any size, and the checks only know which files matter once the
 * whole tree has been walked, after the stream. So every file is looked at
 * as it passes: its first bytes say whether it is ELF or a script; an ELF
 * file's program headers (near its start) say which byte ranges a loader
 * reads (elf.ts, `loaderRanges`), and its dynamic section where its strings
 * are; only those are kept until the file ends, then read into a small
 * summary and dropped. A file whose strings had passed before the dynamic
 * section said where they were (not where linkers put them) is `incomplete`
 * and can be read whole later.
 */
import { dynamicEnd, hasElfMagic, loaderRanges, readElf, readElfLayout, stringTableRange, type ByteSource, type ElfInfo, type ElfLayout } from './elf.js';
import type { ImageEntry, ImageTree } from './tree.js';

export type FileKind =
  | { readonly kind: 'elf'; readonly info: ElfInfo }
  /** `#!interpreter argument`, as the kernel splits it. */
  | { readonly kind: 'script'; readonly interpreter: string; readonly argument?: string }
  /** An ELF file that cannot be read (truncated, an unknown class...). */
  | { readonly kind: 'elf-malformed'; readonly reason: string }
  /** An ELF file whose loader data lies outside the ranges kept from the stream. */
  | { readonly kind: 'elf-incomplete' }
  | { readonly kind: 'other' };

const enum Limits {
  /** The kernel reads this much of a file for its `#!` line (BINPRM_BUF_SIZE since Linux 5.1). */
  ScriptHead = 256,
}

/** Parses a `#!` line the way Linux's binfmt_script does: interpreter up to the first blank, the rest one argument. */
export function parseShebang(head: Uint8Array): { interpreter: string; argument?: string } | undefined {
  if (head[0] !== 0x23 || head[1] !== 0x21) return undefined;
  const text = Buffer.from(head.subarray(2, Limits.ScriptHead)).toString('latin1');
  const end = text.indexOf('\n');
  const line = (end < 0 ? text : text.slice(0, end)).replace(/^[ \t]+/, '').replace(/[ \t\r]+$/, '');
  const blank = line.search(/[ \t]/);
  const interpreter = blank < 0 ? line : line.slice(0, blank);
  if (interpreter === '') return undefined;
  const argument = blank < 0 ? '' : line.slice(blank).trim();
  return argument === '' ? { interpreter } : { interpreter, argument };
}

/** The kind of a whole file held in memory (a file read on its own, outside the stream). */
export function kindOfBytes(bytes: Uint8Array): FileKind {
  if (hasElfMagic(bytes)) return elfKind(readElf(whole(bytes)));
  const shebang = parseShebang(bytes);
  return shebang ? { kind: 'script', ...shebang } : { kind: 'other' };
}

function whole(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (o, n) => (o >= 0 && n >= 0 && o + n <= bytes.length ? bytes.subarray(o, o + n) : undefined) };
}

function elfKind(r: ReturnType<typeof readElf>): FileKind {
  switch (r.kind) {
    case 'elf': return { kind: 'elf', info: r.info };
    case 'incomplete': return { kind: 'elf-incomplete' };
    case 'malformed': return { kind: 'elf-malformed', reason: r.reason };
    case 'not-elf': return { kind: 'other' };
  }
}

/**
 * Pieces of one file at their offsets, as they came from the stream (never
 * joined: a read copies only when it spans two pieces, and reads are small).
 */
class HeldBytes implements ByteSource {
  private readonly pieces: Array<{ start: number; end: number; bytes: Buffer }> = [];

  constructor(readonly size: number) {}

  /**
   * Pieces come in increasing offsets. They are copied: a piece of the
   * stream's chunk would keep the whole chunk alive (and the garbage collector
   * busy) for as long as the file is read.
   */
  add(bytes: Buffer, at: number): void {
    if (bytes.length > 0) this.pieces.push({ start: at, end: at + bytes.length, bytes: Buffer.from(bytes) });
  }

  read(offset: number, length: number): Uint8Array | undefined {
    const end = offset + length;
    // The last piece starting at or before `offset`.
    let lo = 0;
    let hi = this.pieces.length - 1;
    let first = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.pieces[mid]!.start <= offset) {
        first = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (first < 0) return undefined;
    const p = this.pieces[first]!;
    if (end <= p.end) return p.bytes.subarray(offset - p.start, end - p.start);
    const out = Buffer.alloc(length);
    let at = offset;
    for (let i = first; i < this.pieces.length && at < end; i++) {
      const q = this.pieces[i]!;
      if (q.start !== at && i !== first) return undefined; // a gap
      if (at >= q.end) continue;
      const take = Math.min(q.end, end) - at;
      q.bytes.copy(out, at - offset, at - q.start, at - q.start + take);
      at += take;
    }
    return at === end ? out : undefined;
  }
}

/** One file while its data streams by. */
class FileReader {
  private state: 'undecided' | 'elf' | 'script' | 'other' = 'undecided';
  private readonly held: HeldBytes;
  private ranges: Array<readonly [number, number]> | undefined;
  private layout: ElfLayout | undefined;
  /** Until the dynamic section is held, where the dynamic strings are is not known. */
  private stringsPending = false;
  private received = 0;

  constructor(readonly size: number) {
    this.held = new HeldBytes(size);
  }

  add(piece: Buffer): void {
    const at = this.received;
    this.received += piece.length;
    switch (this.state) {
      case 'other':
        return;
      case 'script':
        if (at < Limits.ScriptHead) this.held.add(piece.subarray(0, Limits.ScriptHead - at), at);
        return;
      case 'undecided': {
        this.held.add(piece, at);
        const head = this.held.read(0, Math.min(4, this.size));
        if (!head) return;
        this.state = hasElfMagic(head) ? 'elf' : head[0] === 0x23 && head[1] === 0x21 ? 'script' : 'other';
        if (this.state === 'elf') this.learnLayout();
        return;
      }
      case 'elf': {
        // Everything until the program headers are known, then only the ranges a loader reads.
        if (!this.ranges) {
          this.held.add(piece, at);
          this.learnLayout();
          return;
        }
        const end = at + piece.length;
        for (const [s, e] of this.ranges) {
          const from = Math.max(s, at);
          const to = Math.min(e, end);
          if (from < to) this.held.add(piece.subarray(from - at, to - at), from);
        }
        this.learnStrings();
      }
    }
  }

  private learnLayout(): void {
    const layout = readElfLayout(this.held);
    if ('segments' in layout) {
      this.layout = layout;
      this.ranges = union(loaderRanges(layout));
      this.stringsPending = dynamicEnd(layout) > 0;
      this.learnStrings();
    } else if (layout.kind !== 'incomplete') {
      this.ranges = []; // not readable: keep nothing more
    }
  }

  /** Once the dynamic section is held: keep the dynamic strings too, where they are still to come. */
  private learnStrings(): void {
    if (!this.stringsPending || this.received < dynamicEnd(this.layout!)) return;
    this.stringsPending = false;
    const range = stringTableRange(this.layout!, this.held);
    if (range && range[1] > this.received) this.ranges = union([...this.ranges!, [Math.max(range[0], this.received), range[1]]]);
  }

  finish(): FileKind {
    switch (this.state) {
      case 'elf': return elfKind(readElf(this.held));
      case 'script': {
        const shebang = parseShebang(this.held.read(0, Math.min(this.size, Limits.ScriptHead)) ?? new Uint8Array());
        return shebang ? { kind: 'script', ...shebang } : { kind: 'other' };
      }
      default: return { kind: 'other' };
    }
  }
}

/** Sorted, non-overlapping ranges covering the same bytes. */
function union(ranges: ReadonlyArray<readonly [number, number]>): Array<readonly [number, number]> {
  const out: Array<[number, number]> = [];
  for (const [s, e] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

interface DataRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Reads the kinds of every file of an image from its data stream. Files that
 * share their data (duplicates, hard links) are read once, by data offset.
 */
export class FileKindReader {
  private readonly ranges: DataRange[];
  private readonly kinds = new Map<number, FileKind>();
  private next = 0;
  private current: { range: DataRange; reader: FileReader } | undefined;

  constructor(tree: ImageTree) {
    const byOffset = new Map<number, DataRange>();
    for (const e of tree.values()) {
      if (e.kind !== 'file' || !e.size || e.dataOffset === undefined || byOffset.has(e.dataOffset)) continue;
      byOffset.set(e.dataOffset, { start: e.dataOffset, end: e.dataOffset + e.size });
    }
    this.ranges = [...byOffset.values()].sort((a, b) => a.start - b.start);
  }

  /** Feeds the next piece of the data section; `offset` is where it starts (pieces come in order). */
  add(chunk: Buffer, offset: number): void {
    let at = 0;
    while (at < chunk.length) {
      const position = offset + at;
      if (this.current && position >= this.current.range.end) this.finishCurrent();
      if (!this.current) {
        while (this.next < this.ranges.length && this.ranges[this.next]!.end <= position) this.next++;
        const range = this.ranges[this.next];
        if (!range) return;
        if (range.start > position) {
          at += Math.min(range.start - position, chunk.length - at);
          continue;
        }
        this.current = { range, reader: new FileReader(range.end - range.start) };
        this.next++;
      }
      const take = Math.min(chunk.length - at, this.current.range.end - position);
      this.current.reader.add(chunk.subarray(at, at + take));
      at += take;
    }
  }

  /** Called after the last piece. */
  finish(): void {
    if (this.current) this.finishCurrent();
  }

  private finishCurrent(): void {
    const { range, reader } = this.current!;
    this.kinds.set(range.start, reader.finish());
    this.current = undefined;
  }

  /** The kind of a file entry (an empty file is `other`). */
  kindOf(entry: ImageEntry): FileKind {
    if (entry.kind !== 'file' || !entry.size || entry.dataOffset === undefined) return { kind: 'other' };
    return this.kinds.get(entry.dataOffset) ?? { kind: 'other' };
  }
}
