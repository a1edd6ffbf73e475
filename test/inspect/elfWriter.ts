/**
 * Writes small ELF files for tests: an ELF header, program headers (one
 * loadable segment mapping the whole file at a base address, PT_INTERP and
 * PT_DYNAMIC when asked), the interpreter string, `.dynstr` and the dynamic
 * section. Enough for a loader's reading of a file (not to run it), in every
 * class and byte order.
 */

export interface ElfSpec {
  readonly bits?: 32 | 64;
  readonly endian?: 'little' | 'big';
  /** `executable` (ET_EXEC), `shared` (ET_DYN). */
  readonly type?: 'executable' | 'shared';
  readonly machine?: number;
  readonly interpreter?: string;
  readonly needed?: readonly string[];
  readonly runpath?: string;
  readonly rpath?: string;
  readonly soname?: string;
  /** Make the loadable segment executable and put it at a nonzero offset (code before the strings). */
  readonly stringsInCode?: boolean;
}

const base = 0x10000;

export function makeElf(spec: ElfSpec = {}): Buffer {
  const bits = spec.bits ?? 64;
  const little = (spec.endian ?? 'little') === 'little';
  const is64 = bits === 64;
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;

  // .dynstr: a leading NUL, then each string.
  const strs: number[] = [0];
  const strOffset = (s: string): number => {
    const at = strs.length;
    strs.push(...Buffer.from(s, 'latin1'), 0);
    return at;
  };
  const dyn: Array<[number, number]> = [];
  for (const n of spec.needed ?? []) dyn.push([1, strOffset(n)]);
  if (spec.soname !== undefined) dyn.push([14, strOffset(spec.soname)]);
  if (spec.rpath !== undefined) dyn.push([15, strOffset(spec.rpath)]);
  if (spec.runpath !== undefined) dyn.push([29, strOffset(spec.runpath)]);
  const hasDynamic = dyn.length > 0;

  const phnum = 1 + (spec.interpreter !== undefined ? 1 : 0) + (hasDynamic ? 1 : 0);
  let at = ehsize + phnum * phentsize;
  if (spec.stringsInCode) at += 64; // some "code" first
  const interpAt = at;
  const interp = spec.interpreter !== undefined ? Buffer.from(`${spec.interpreter}\0`, 'latin1') : Buffer.alloc(0);
  at += interp.length;
  const strtabAt = at;
  at += strs.length;
  at = (at + 7) & ~7;
  const dynAt = at;
  const entry = is64 ? 16 : 8;
  const dynSize = (dyn.length + 3) * entry; // + DT_STRTAB, DT_STRSZ, DT_NULL
  const size = dynAt + (hasDynamic ? dynSize : 0);

  const b = Buffer.alloc(size);
  const u16 = (o: number, v: number) => (little ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
  const u32 = (o: number, v: number) => (little ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  const word = (o: number, v: number) => {
    if (!is64) return u32(o, v);
    return little ? b.writeBigUInt64LE(BigInt(v), o) : b.writeBigUInt64BE(BigInt(v), o);
  };

  b.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, little ? 1 : 2, 1], 0);
  u16(16, spec.type === 'shared' ? 3 : 2);
  u16(18, spec.machine ?? (is64 ? 62 : 3));
  u32(20, 1);
  word(is64 ? 32 : 28, ehsize); // e_phoff
  u16(is64 ? 52 : 40, ehsize);
  u16(is64 ? 54 : 42, phentsize);
  u16(is64 ? 56 : 44, phnum);

  let ph = ehsize;
  const phdr = (type: number, flags: number, offset: number, vaddr: number, filesz: number) => {
    if (is64) {
      u32(ph, type); u32(ph + 4, flags); word(ph + 8, offset); word(ph + 16, vaddr); word(ph + 24, vaddr);
      word(ph + 32, filesz); word(ph + 40, filesz); word(ph + 48, 8);
    } else {
      u32(ph, type); u32(ph + 4, offset); u32(ph + 8, vaddr); u32(ph + 12, vaddr);
      u32(ph + 16, filesz); u32(ph + 20, filesz); u32(ph + 24, flags); u32(ph + 28, 4);
    }
    ph += phentsize;
  };
  if (spec.stringsInCode) {
    // Headers alone in a first segment; the strings in an executable one after them.
    const codeAt = ehsize + phnum * phentsize;
    phdr(1, 5, codeAt, base + codeAt, size - codeAt);
  } else {
    phdr(1, 4, 0, base, size);
  }
  if (spec.interpreter !== undefined) phdr(3, 4, interpAt, base + interpAt, interp.length);
  if (hasDynamic) phdr(2, 6, dynAt, base + dynAt, dynSize);

  interp.copy(b, interpAt);
  Buffer.from(strs).copy(b, strtabAt);
  if (hasDynamic) {
    let d = dynAt;
    for (const [tag, value] of [...dyn, [5, base + strtabAt], [10, strs.length], [0, 0]] as Array<[number, number]>) {
      word(d, tag);
      word(d + entry / 2, value);
      d += entry;
    }
  }
  return b;
}
