/**
 * The listing read from `unsquashfs -pf` of a real image: names that make
 * `ls`-style listings ambiguous, hard links, and file data at its offsets.
 */
import { execa } from 'execa';
import { link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePseudoListing } from '../../src/inspect/pseudoFile.js';
import { resolveInImage, type ImageEntry } from '../../src/inspect/tree.js';
import { streamImage } from '../../src/inspect/unsquashfs.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsportable-pseudo-test-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

test('odd names, hard links and data offsets', async () => {
  const root = join(dir, 'root');
  await mkdir(join(root, 'etc'), { recursive: true });
  await writeFile(join(root, 'etc', 'a -> b'), 'arrow\n');
  await writeFile(join(root, 'etc', 'back\\slash and space'), 'bs\n');
  await writeFile(join(root, 'etc', 'new\nline'), 'nl\n');
  await writeFile(join(root, 'etc', 'plain'), 'plain data\n');
  await link(join(root, 'etc', 'plain'), join(root, 'etc', 'hard'));
  await symlink('../etc/a -> b', join(root, 'etc', 'link with space'));
  const image = join(dir, 'odd.raw');
  await execa('mksquashfs', [root, image, '-quiet', '-noappend', '-all-root', '-comp', 'gzip'], { env: { SOURCE_DATE_EPOCH: '0' } });

  let entries = new Map<string, ImageEntry>();
  const chunks: Buffer[] = [];
  await streamImage(image, {
    onListing: (e) => (entries = e),
    onData: (chunk, offset) => {
      expect(offset).toBe(chunks.reduce((n, c) => n + c.length, 0));
      chunks.push(Buffer.from(chunk));
    },
  });
  const data = Buffer.concat(chunks);
  const read = (path: string) => {
    const e = entries.get(path)!;
    return data.subarray(e.dataOffset!, e.dataOffset! + e.size!).toString();
  };
  expect([...entries.keys()].sort()).toEqual(['/', '/etc', '/etc/a -> b', '/etc/back\\slash and space', '/etc/hard', '/etc/link with space', '/etc/new\nline', '/etc/plain']);
  expect(read('/etc/a -> b')).toBe('arrow\n');
  expect(read('/etc/back\\slash and space')).toBe('bs\n');
  expect(read('/etc/new\nline')).toBe('nl\n');
  // Which of the two names is listed as the link depends on unsquashfs' order: exactly one is.
  const links = ['/etc/hard', '/etc/plain'].map((p) => entries.get(p)!.hardLinkOf);
  expect(links.filter((l) => l !== undefined)).toHaveLength(1);
  expect(entries.get('/etc/hard')).toMatchObject({ kind: 'file', size: 11 });
  expect(read('/etc/hard')).toBe('plain data\n');
  expect(entries.get('/etc/link with space')).toMatchObject({ kind: 'symlink', target: '../etc/a -> b', mode: 0o777, uid: 0, gid: 0 });
  const r = resolveInImage(entries, '/etc/link with space');
  expect(r.ok && r.entry.path).toBe('/etc/a -> b');
});

test('listing lines of every kind', () => {
  const entries = parsePseudoListing([
    '/ D 0 755 0 0',
    'dev D 0 755 0 0',
    'dev/null C 0 666 0 0 1 3',
    'dev/sda B 0 660 0 6 8 0',
    'run D 0 755 0 0',
    'run/fifo I 0 644 0 0 f',
    'run/sock I 0 644 0 0 s',
    'bin D 5 4755 1000 100',
    'bin/x R 7 4755 1000 100 12 34',
  ].join('\n'));
  expect([...entries.values()].map((e) => [e.path, e.kind])).toEqual([
    ['/', 'directory'], ['/dev', 'directory'], ['/dev/null', 'char-device'], ['/dev/sda', 'block-device'],
    ['/run', 'directory'], ['/run/fifo', 'fifo'], ['/run/sock', 'socket'], ['/bin', 'directory'], ['/bin/x', 'file'],
  ]);
  expect(entries.get('/bin/x')).toEqual({ path: '/bin/x', kind: 'file', mtime: 7, mode: 0o4755, uid: 1000, gid: 100, size: 12, dataOffset: 34 });
});

test('a stream that fails before writing anything ends with a NixError, not a hang', async () => {
  const junk = join(dir, 'junk.raw');
  await writeFile(junk, 'no superblock here\n');
  const error = await streamImage(junk, { onListing: () => {}, onData: () => {} }).then(() => undefined, (e: unknown) => e);
  expect(String(error)).toMatch(/cannot read image '.*junk\.raw' \(unsquashfs -pf exited with 1\):\n(.*\n)?FATAL ERROR: Can't find a valid SQUASHFS superblock/);
});

test("a handler's own error is what the stream reports", async () => {
  const root = join(dir, 'small');
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'f'), 'x'.repeat(1 << 20));
  const image = join(dir, 'small.raw');
  await execa('mksquashfs', [root, image, '-quiet', '-noappend', '-all-root', '-comp', 'gzip'], { env: { SOURCE_DATE_EPOCH: '0' } });
  const error = await streamImage(image, {
    onListing: () => {},
    onData: () => {
      throw new Error('handler gave up');
    },
  }).then(() => undefined, (e: unknown) => e);
  expect(String(error)).toBe('Error: handler gave up');
});
