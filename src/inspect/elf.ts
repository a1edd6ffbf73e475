/**
 * A small ELF reader: what a loader looks at before a program can start, and
 * nothing else. From the program headers, the interpreter (`PT_INTERP`) and
 * the dynamic section (`PT_DYNAMIC`); from the dynamic section, the libraries
 * the file needs (`DT_NEEDED`), where it says to look for them (`DT_RUNPATH`,
 * `DT_RPATH`) and its own name (`DT_SONAME`). 32- and 64-bit files, little and
 * big endian.
 *
 * What is hard: the dynamic section's strings live in `.dynstr`, which the
 * dynamic section names by its *virtual address*, so it is found through the
 * `PT_LOAD` segment that maps that address. And the bytes may be incomplete:
 * `inspect` reads each file once from a stream and keeps only the parts a
 * loader reads (see `loaderRanges`); a file whose strings lie elsewhere reads
 * as `incomplete`, never as a wrong answer.
 */

/** Bytes of a file, some of which may be missing. */
export interface ByteSource {
  /** Total size of the file. */
  readonly size: number;
  /** `length` bytes at `offset`, or undefined when they are not all held. */
  read(offset: number, length: number): Uint8Array | undefined;
}

/** A whole file in memory. */
export function wholeFile(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (offset, length) => (offset >= 0 && length >= 0 && offset + length <= bytes.length ? bytes.subarray(offset, offset + length) : undefined),
  };
}

export type ElfType = 'relocatable' | 'executable' | 'shared' | 'core' | 'other';

export interface ElfInfo {
  readonly bits: 32 | 64;
  readonly endian: 'little' | 'big';
  readonly type: ElfType;
  /** `e_machine` (62 is x86-64, 183 AArch64, 3 i386 ...): a loader skips libraries of another machine. */
  readonly machine: number;
  /** `PT_INTERP`: the program that loads this one, e.g. `/lib64/ld-linux-x86-64.so.2`. */
  readonly interpreter?: string;
  /** `DT_NEEDED`, in order. */
  readonly needed: readonly string[];
  /** `DT_RUNPATH` as written (`:`-separated, may hold `$ORIGIN`). */
  readonly runpath?: string;
  /** `DT_RPATH` as written. */
  readonly rpath?: string;
  readonly soname?: string;
}

export type ElfRead =
  | { readonly kind: 'elf'; readonly info: ElfInfo }
  | { readonly kind: 'not-elf' }
  /** Bytes the reader needs are not held: read the whole file to know. */
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'malformed'; readonly reason: string };

const enum Elf {
  ClassOffset = 4,
  DataOffset = 5,
  Class32 = 1,
  Class64 = 2,
  DataLittle = 1,
  DataBig = 2,
  /** `e_phnum` of this value means the count is elsewhere (section 0): not met in programs. */
  PhnumExtended = 0xffff,
  /** Far more program headers than any linker writes: a sign of a broken file. */
  MaxPhnum = 4096,
  /** Far more dynamic entries than any real file has. */
  MaxDynamicEntries = 1 << 16,
  /** Longest string we read from `.dynstr` (paths and sonames are short). */
  MaxString = 4096,
  PtLoad = 1,
  PtDynamic = 2,
  PtInterp = 3,
  PfExecute = 1,
  DtNull = 0,
  DtNeeded = 1,
  DtStrtab = 5,
  DtStrsz = 10,
  DtSoname = 14,
  DtRpath = 15,
  DtRunpath = 29,
}

/** The first bytes of every ELF file. */
export const elfMagic = [0x7f, 0x45, 0x4c, 0x46] as const;

export function hasElfMagic(head: Uint8Array): boolean {
  return head.length >= 4 && elfMagic.every((b, i) => head[i] === b);
}

interface Segment {
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly filesz: number;
}

class Incomplete extends Error {}
class Malformed extends Error {}

/** Reads fixed-size integers in the file's byte order; 64-bit values as numbers (files are far below 2^53). */
class Reader {
  constructor(private readonly src: ByteSource, readonly bits: 32 | 64, readonly little: boolean) {}

  get size(): number {
    return this.src.size;
  }

  private view(offset: number, length: number): DataView | undefined {
    if (offset + length > this.src.size) throw new Malformed(`the file ends at ${this.src.size} bytes, before what its headers describe`);
    const b = this.src.read(offset, length);
    return b && new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  u16(offset: number): number | undefined {
    return this.view(offset, 2)?.getUint16(0, this.little);
  }

  u32(offset: number): number | undefined {
    return this.view(offset, 4)?.getUint32(0, this.little);
  }

  /** A word of the file's class: 4 bytes in 32-bit files, 8 in 64-bit ones. */
  word(offset: number): number | undefined {
    if (this.bits === 32) return this.u32(offset);
    const v = this.view(offset, 8)?.getBigUint64(0, this.little);
    return v === undefined ? undefined : v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
  }

  /** A NUL-terminated string starting at `offset`, at most `limit` bytes. */
  string(offset: number, limit: number): string | undefined {
    const max = Math.min(limit, Elf.MaxString, this.src.size - offset);
    if (max <= 0) throw new Malformed(`a string at ${offset} lies beyond the end of the file`);
    // Read in growing pieces: most strings are short, and the last piece may end at the file's end.
    for (let want = Math.min(64, max); ; want = Math.min(want * 4, max)) {
      const b = this.src.read(offset, want);
      if (!b) return undefined;
      const nul = b.indexOf(0);
      if (nul >= 0) return Buffer.from(b.subarray(0, nul)).toString('latin1');
      if (want === max) return undefined;
    }
  }
}

function need<T>(v: T | undefined): T {
  if (v === undefined) throw new Incomplete();
  return v;
}

const elfTypes: Record<number, ElfType> = { 1: 'relocatable', 2: 'executable', 3: 'shared', 4: 'core' };

/** The header fields and program headers: enough to know which bytes the rest needs. */
export interface ElfLayout {
  readonly bits: 32 | 64;
  readonly endian: 'little' | 'big';
  readonly type: ElfType;
  readonly machine: number;
  readonly segments: readonly Segment[];
  /** Where the program header table ends in the file. */
  readonly headersEnd: number;
}

function readerFor(src: ByteSource): Reader | 'not-elf' {
  const ident = need(src.read(0, Math.min(6, src.size)));
  if (!hasElfMagic(ident)) return 'not-elf';
  if (ident.length < 6) throw new Malformed('the file ends inside the ELF header');
  const cls = ident[Elf.ClassOffset];
  const data = ident[Elf.DataOffset];
  if (cls !== Elf.Class32 && cls !== Elf.Class64) throw new Malformed(`unknown ELF class ${cls}`);
  if (data !== Elf.DataLittle && data !== Elf.DataBig) throw new Malformed(`unknown ELF byte order ${data}`);
  return new Reader(src, cls === Elf.Class32 ? 32 : 64, data === Elf.DataLittle);
}

function layoutOf(r: Reader): ElfLayout {
  const is64 = r.bits === 64;
  const type = need(r.u16(16));
  const machine = need(r.u16(18));
  const phoff = need(r.word(is64 ? 32 : 28));
  const phentsize = need(r.u16(is64 ? 54 : 42));
  const phnum = need(r.u16(is64 ? 56 : 44));
  if (phnum === Elf.PhnumExtended || phnum > Elf.MaxPhnum) throw new Malformed(`unsupported program header count ${phnum}`);
  if (phnum > 0 && phentsize < (is64 ? 56 : 32)) throw new Malformed(`program header entries of ${phentsize} bytes are too small`);
  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    segments.push(is64
      ? { type: need(r.u32(at)), flags: need(r.u32(at + 4)), offset: need(r.word(at + 8)), vaddr: need(r.word(at + 16)), filesz: need(r.word(at + 32)) }
      : { type: need(r.u32(at)), offset: need(r.u32(at + 4)), vaddr: need(r.u32(at + 8)), filesz: need(r.u32(at + 16)), flags: need(r.u32(at + 24)) });
  }
  return {
    bits: r.bits,
    endian: r.little ? 'little' : 'big',
    type: elfTypes[type] ?? 'other',
    machine,
    segments,
    headersEnd: phoff + phnum * phentsize,
  };
}

function catching<T>(f: () => T): T | { readonly kind: 'incomplete' } | { readonly kind: 'malformed'; readonly reason: string } {
  try {
    return f();
  } catch (e) {
    if (e instanceof Incomplete) return { kind: 'incomplete' };
    if (e instanceof Malformed) return { kind: 'malformed', reason: e.message };
    throw e;
  }
}

/** The header and program headers, or why they cannot be read (yet). */
export function readElfLayout(src: ByteSource): ElfLayout | { readonly kind: 'not-elf' | 'incomplete' } | { readonly kind: 'malformed'; readonly reason: string } {
  return catching(() => {
    const r = readerFor(src);
    return r === 'not-elf' ? { kind: 'not-elf' as const } : layoutOf(r);
  });
}

/**
 * The byte ranges of a file a loader reads, as far as the layout tells: the
 * headers, the interpreter, the dynamic section, and the segment at offset 0,
 * where linkers put the dynamic strings. Once the dynamic section is held,
 * `stringTableRange` says where the strings really are (patchelf moves them
 * to the end of the file). The code and data, usually most of a file, are
 * left out.
 */
export function loaderRanges(layout: ElfLayout): Array<readonly [number, number]> {
  const ranges: Array<readonly [number, number]> = [[0, layout.headersEnd]];
  for (const s of layout.segments) {
    const wanted = s.type === Elf.PtInterp || s.type === Elf.PtDynamic || (s.type === Elf.PtLoad && s.offset === 0);
    if (wanted && s.filesz > 0) ranges.push([s.offset, s.offset + s.filesz]);
  }
  return ranges;
}

/** Where the dynamic section ends in the file (0 without one). */
export function dynamicEnd(layout: ElfLayout): number {
  const d = layout.segments.find((s) => s.type === Elf.PtDynamic);
  return d ? d.offset + d.filesz : 0;
}

/** The file range of the dynamic strings (`DT_STRTAB`, `DT_STRSZ`), read from a held dynamic section. */
export function stringTableRange(layout: ElfLayout, src: ByteSource): readonly [number, number] | undefined {
  const found = catching(() => {
    const r = readerFor(src);
    if (r === 'not-elf') return undefined;
    const table = stringTable(r, layout);
    return table && ([table.offset, table.offset + table.size] as const);
  });
  return Array.isArray(found) ? (found as readonly [number, number]) : undefined;
}

/** The file offset of a virtual address, through the loadable segment that maps it. */
function fileOffset(segments: readonly Segment[], vaddr: number): number | undefined {
  for (const s of segments) {
    if (s.type === Elf.PtLoad && vaddr >= s.vaddr && vaddr < s.vaddr + s.filesz) return s.offset + (vaddr - s.vaddr);
  }
  return undefined;
}

/** The dynamic section's entries, up to DT_NULL. */
function dynamicEntries(r: Reader, dynamic: Segment): Array<{ tag: number; value: number }> {
  const entrySize = r.bits === 64 ? 16 : 8;
  const count = Math.min(Math.floor(dynamic.filesz / entrySize), Elf.MaxDynamicEntries);
  const entries: Array<{ tag: number; value: number }> = [];
  for (let i = 0; i < count; i++) {
    const at = dynamic.offset + i * entrySize;
    const tag = need(r.word(at));
    if (tag === Elf.DtNull) break;
    entries.push({ tag, value: need(r.word(at + entrySize / 2)) });
  }
  return entries;
}

/** Where `.dynstr` is in the file, from DT_STRTAB (a virtual address) and DT_STRSZ. */
function stringTable(r: Reader, layout: ElfLayout, known?: Array<{ tag: number; value: number }>): { offset: number; size: number } | undefined {
  const dynamic = layout.segments.find((s) => s.type === Elf.PtDynamic);
  if (!dynamic) return undefined;
  const entries = known ?? dynamicEntries(r, dynamic);
  const strtab = entries.find((e) => e.tag === Elf.DtStrtab)?.value;
  if (strtab === undefined) return undefined;
  const offset = fileOffset(layout.segments, strtab);
  if (offset === undefined) throw new Malformed(`DT_STRTAB 0x${strtab.toString(16)} is in no loadable segment`);
  const size = entries.find((e) => e.tag === Elf.DtStrsz)?.value ?? r.size - offset;
  return { offset, size };
}

/** Reads what a loader needs from an ELF file. */
export function readElf(src: ByteSource): ElfRead {
  return catching((): ElfRead => {
    const r = readerFor(src);
    if (r === 'not-elf') return { kind: 'not-elf' };
    const layout = layoutOf(r);
    const interpSeg = layout.segments.find((s) => s.type === Elf.PtInterp);
    let interpreter: string | undefined;
    if (interpSeg) {
      interpreter = r.string(interpSeg.offset, interpSeg.filesz);
      if (interpreter === undefined) {
        if (interpSeg.offset + interpSeg.filesz > src.size) throw new Malformed('PT_INTERP lies beyond the end of the file');
        throw new Incomplete();
      }
    }
    const base = { bits: layout.bits, endian: layout.endian, type: layout.type, machine: layout.machine, ...(interpreter !== undefined ? { interpreter } : {}) };
    const dynamic = layout.segments.find((s) => s.type === Elf.PtDynamic);
    if (!dynamic) return { kind: 'elf', info: { ...base, needed: [] } };
    if (dynamic.offset + dynamic.filesz > src.size) throw new Malformed('PT_DYNAMIC lies beyond the end of the file');

    const entries = dynamicEntries(r, dynamic);
    const strings = entries.filter((e) => e.tag === Elf.DtNeeded || e.tag === Elf.DtSoname || e.tag === Elf.DtRpath || e.tag === Elf.DtRunpath);
    if (strings.length === 0) return { kind: 'elf', info: { ...base, needed: [] } };
    const table = stringTable(r, layout, entries);
    if (!table) throw new Malformed('the dynamic section has strings but no DT_STRTAB');
    const text = (offset: number): string => {
      if (offset >= table.size) throw new Malformed(`a dynamic string at ${offset} lies beyond DT_STRSZ ${table.size}`);
      return need(r.string(table.offset + offset, table.size - offset));
    };
    const needed: string[] = [];
    let runpath: string | undefined;
    let rpath: string | undefined;
    let soname: string | undefined;
    for (const s of strings) {
      const value = text(s.value);
      if (s.tag === Elf.DtNeeded) needed.push(value);
      else if (s.tag === Elf.DtRunpath) runpath = value;
      else if (s.tag === Elf.DtRpath) rpath = value;
      else soname = value;
    }
    return {
      kind: 'elf',
      info: { ...base, needed, ...(runpath !== undefined ? { runpath } : {}), ...(rpath !== undefined ? { rpath } : {}), ...(soname !== undefined ? { soname } : {}) },
    };
  });
}
