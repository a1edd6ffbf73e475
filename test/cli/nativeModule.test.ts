/**
 * What the native module does for the CLI beside parsing and hashing.
 * The file mappings bin/tsportable.js loads the CLI's bundle and its code
 * cache with: the bytes and the Latin-1 text are the file's, byte for byte;
 * what cannot be mapped is undefined (the caller reads the file instead);
 * writing to the mapped bytes leaves the file as it was. `isTerminal`, which
 * src/stdio.ts asks instead of node:tty: a terminal is one, /dev/null (a
 * character device too), a file and a closed descriptor are not.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nativeModule } from '../../src/native.js';

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'tsportable-map-file-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every byte value, then a run longer than a page. */
function allBytes(): Buffer {
  const bytes = Buffer.alloc(256 + 10_000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = i < 256 ? i : (i * 7) & 0xff;
  return bytes;
}

test('mapFile: the file\'s bytes', () => {
  const file = join(dir, 'bytes');
  writeFileSync(file, allBytes());
  const mapped = nativeModule().mapFile(file);
  expect(mapped).toBeInstanceOf(Uint8Array);
  expect(Buffer.from(mapped!).equals(allBytes())).toBe(true);
});

test('mapFileLatin1: the file\'s bytes as Latin-1 text, as readFileSync decodes them', () => {
  const file = join(dir, 'text');
  writeFileSync(file, allBytes());
  const text = nativeModule().mapFileLatin1(file);
  expect(text).toHaveLength(allBytes().length);
  expect(text === readFileSync(file, 'latin1')).toBe(true);
  expect(text!.charCodeAt(255)).toBe(255);
});

test('a write to the mapped bytes stays in this process: the file is unchanged', () => {
  const file = join(dir, 'private');
  writeFileSync(file, 'abc');
  const mapped = nativeModule().mapFile(file)!;
  mapped[0] = 0x7a;
  expect(Buffer.from(mapped).toString('latin1')).toBe('zbc');
  expect(readFileSync(file, 'latin1')).toBe('abc');
});

test('a missing or empty file, a directory, a path with NUL: undefined, for the caller to read the file itself', () => {
  const empty = join(dir, 'empty');
  writeFileSync(empty, '');
  const folder = join(dir, 'folder');
  mkdirSync(folder);
  const { mapFile, mapFileLatin1 } = nativeModule();
  for (const path of [join(dir, 'missing'), empty, folder, `${empty}\0x`]) {
    expect([path, mapFile(path), mapFileLatin1(path)]).toEqual([path, undefined, undefined]);
  }
});

test('an argument that is not a path: an error that names the function', () => {
  const native = nativeModule() as unknown as { mapFile(p: unknown): unknown; mapFileLatin1(p: unknown): unknown };
  expect(() => native.mapFile(3)).toThrow('mapFile: expected a path');
  expect(() => native.mapFileLatin1(undefined)).toThrow('mapFileLatin1: expected a path');
});

describe('isTerminal', () => {
  const opened: number[] = [];
  afterAll(() => opened.forEach((fd) => closeSync(fd)));
  const open = (path: string, flags: string) => {
    const fd = openSync(path, flags);
    opened.push(fd);
    return fd;
  };

  test('a terminal (a new pseudo-terminal) is one', () => {
    expect(nativeModule().isTerminal(open('/dev/ptmx', 'r+'))).toBe(true);
  });

  test('/dev/null, a file, a closed or negative descriptor are not', () => {
    const file = join(dir, 'plain');
    writeFileSync(file, 'x');
    const { isTerminal } = nativeModule();
    expect([isTerminal(open('/dev/null', 'w')), isTerminal(open(file, 'r')), isTerminal(1_000_000), isTerminal(-1)]).toEqual([false, false, false, false]);
  });

  test('what is not a descriptor: an error that names the function', () => {
    expect(() => (nativeModule() as unknown as { isTerminal(fd: unknown): boolean }).isTerminal('1')).toThrow('isTerminal: expected a file descriptor');
  });
});
