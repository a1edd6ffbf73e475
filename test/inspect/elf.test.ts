/**
 * The ELF reader on files written for the test in every class and byte
 * order, on the host's own programs (checked against what patchelf reads),
 * and on partial and broken files.
 */
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { loaderRanges, readElf, readElfLayout, wholeFile, type ByteSource, type ElfLayout } from '../../src/inspect/elf.js';
import { makeElf } from './elfWriter.js';

const full = (b: Buffer) => readElf(wholeFile(b));

describe.each([
  [64, 'little'], [64, 'big'], [32, 'little'], [32, 'big'],
] as const)('%i-bit %s endian', (bits, endian) => {
  test('interpreter, needed libraries, runpath and soname', () => {
    const file = makeElf({ bits, endian, interpreter: '/nix/store/x-glibc/lib/ld.so', needed: ['libfoo.so.1', 'libc.so.6'], runpath: '$ORIGIN/../lib:/nix/store/x-glibc/lib', soname: 'libbar.so.2' });
    expect(full(file)).toEqual({
      kind: 'elf',
      info: {
        bits, endian, type: 'executable', machine: bits === 64 ? 62 : 3,
        interpreter: '/nix/store/x-glibc/lib/ld.so',
        needed: ['libfoo.so.1', 'libc.so.6'], runpath: '$ORIGIN/../lib:/nix/store/x-glibc/lib', soname: 'libbar.so.2',
      },
    });
  });

  test('a library with an RPATH and no interpreter', () => {
    const r = full(makeElf({ bits, endian, type: 'shared', needed: ['libz.so.1'], rpath: '/opt/lib' }));
    expect(r).toEqual({ kind: 'elf', info: { bits, endian, type: 'shared', machine: bits === 64 ? 62 : 3, needed: ['libz.so.1'], rpath: '/opt/lib' } });
  });

  test('a static program: no interpreter, no dynamic section', () => {
    expect(full(makeElf({ bits, endian }))).toEqual({ kind: 'elf', info: { bits, endian, type: 'executable', machine: bits === 64 ? 62 : 3, needed: [] } });
  });
});

test('not an ELF file', () => {
  expect(full(Buffer.from('#!/bin/sh\necho hi\n'))).toEqual({ kind: 'not-elf' });
  expect(full(Buffer.from('\x7fEL'))).toEqual({ kind: 'not-elf' });
  expect(full(Buffer.from('\x7fELF\x02'))).toEqual({ kind: 'malformed', reason: 'the file ends inside the ELF header' });
});

describe('broken files are malformed, not misread', () => {
  test('an unknown class', () => {
    const b = makeElf();
    b[4] = 7;
    expect(full(b)).toEqual({ kind: 'malformed', reason: 'unknown ELF class 7' });
  });

  test('a dynamic section past the end of the file', () => {
    const b = makeElf({ needed: ['libc.so.6'] });
    expect(full(b.subarray(0, b.length - 8))).toEqual({ kind: 'malformed', reason: 'PT_DYNAMIC lies beyond the end of the file' });
  });

  test('a string table in no segment', () => {
    const b = makeElf({ needed: ['libc.so.6'] });
    // DT_STRTAB is the second to last entry; point it far away.
    b.writeBigUInt64LE(0x7fff0000n, b.length - 48 + 8);
    expect(full(b)).toEqual({ kind: 'malformed', reason: 'DT_STRTAB 0x7fff0000 is in no loadable segment' });
  });
});

/** The file with only the given byte ranges held, as inspect keeps it. */
function sparse(b: Buffer, ranges: ReadonlyArray<readonly [number, number]>): ByteSource {
  return {
    size: b.length,
    read: (offset, length) => (ranges.some(([s, e]) => offset >= s && offset + length <= e) ? b.subarray(offset, offset + length) : undefined),
  };
}

describe('reading only the ranges a loader reads', () => {
  test('enough for an ordinary layout', () => {
    const b = makeElf({ interpreter: '/lib/ld.so', needed: ['libc.so.6'], runpath: '/lib' });
    const layout = readElfLayout(wholeFile(b)) as ElfLayout;
    expect(readElf(sparse(b, loaderRanges(layout)))).toEqual(full(b));
  });

  test('strings inside a code segment: incomplete, never wrong', () => {
    const b = makeElf({ needed: ['libc.so.6'], stringsInCode: true });
    const layout = readElfLayout(wholeFile(b)) as ElfLayout;
    expect(readElf(sparse(b, loaderRanges(layout)))).toEqual({ kind: 'incomplete' });
    expect(full(b)).toMatchObject({ kind: 'elf', info: { needed: ['libc.so.6'] } });
  });

  test('the host\'s bash read from its loader ranges alone, as patchelf reads it', async () => {
    const path = '/usr/bin/bash';
    const b = readFileSync(path);
    const layout = readElfLayout(wholeFile(b)) as ElfLayout;
    const kept = loaderRanges(layout).reduce((n, [s, e]) => n + e - s, 0);
    expect(kept).toBeLessThan(b.length / 2);
    const r = readElf(sparse(b, loaderRanges(layout)));
    const interpreter = (await execa('patchelf', ['--print-interpreter', path])).stdout.trim();
    const needed = (await execa('patchelf', ['--print-needed', path])).stdout.trim().split('\n');
    expect(r).toMatchObject({ kind: 'elf', info: { bits: 64, interpreter, needed } });
  });
});
