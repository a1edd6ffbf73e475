/**
 * `build --check`: whether a rebuilt image is the cached one byte for byte,
 * and when it is not, what differs first, for a person to look at: the first
 * entry, in path order, whose type, mode, owner, time, symlink target, hard
 * link or contents differ (each image read once with unsquashfs' pseudo-file
 * stream, as `inspect` reads images, without extracting them); or, when every
 * entry agrees, the first byte where the images differ (the superblock, the
 * layout or the compression).
 */
import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { streamImage } from '../inspect/unsquashfs.js';
import type { ImageEntry } from '../inspect/tree.js';

const enum Sizes {
  /** Bytes read at a time when comparing two images. */
  Chunk = 1 << 20,
}

/** The offset of the first differing byte of two files, or undefined when they are equal. */
async function firstDifferentByte(a: string, b: string): Promise<number | undefined> {
  const [fa, fb] = await Promise.all([open(a), open(b)]);
  try {
    const [ba, bb] = [Buffer.alloc(Sizes.Chunk), Buffer.alloc(Sizes.Chunk)];
    for (let offset = 0; ; offset += Sizes.Chunk) {
      const [ra, rb] = await Promise.all([fa.read(ba, 0, Sizes.Chunk, offset), fb.read(bb, 0, Sizes.Chunk, offset)]);
      const n = Math.min(ra.bytesRead, rb.bytesRead);
      for (let i = 0; i < n; i++) if (ba[i] !== bb[i]) return offset + i;
      if (ra.bytesRead !== rb.bytesRead) return offset + n;
      if (ra.bytesRead === 0) return undefined;
    }
  } finally {
    await Promise.all([fa.close(), fb.close()]);
  }
}

/** What is compared of an entry besides its contents. */
function describe(e: ImageEntry): string {
  const fields = [e.kind, `mode ${e.mode.toString(8)}`, `owner ${e.uid}:${e.gid}`, `mtime ${e.mtime}`];
  if (e.target !== undefined) fields.push(`target ${e.target}`);
  if (e.hardLinkOf !== undefined) fields.push(`hard link to ${e.hardLinkOf}`);
  if (e.size !== undefined) fields.push(`${e.size} bytes`);
  return fields.join(', ');
}

interface Summary {
  readonly entries: Map<string, string>;
  readonly contents: Map<string, string>;
}

/** Every entry's description, and every regular file's sha256, in one pass over the image. */
async function summarise(image: string): Promise<Summary> {
  const entries = new Map<string, string>();
  const contents = new Map<string, string>();
  let files: { path: string; start: number; end: number; hash: Hash }[] = [];
  let next = 0;
  const finish = (f: (typeof files)[number]) => contents.set(f.path, f.hash.digest('hex'));
  await streamImage(image, {
    onListing(listing) {
      for (const e of listing.values()) entries.set(e.path, describe(e));
      files = [...listing.values()]
        .filter((e) => e.kind === 'file' && e.hardLinkOf === undefined && e.dataOffset !== undefined)
        .map((e) => ({ path: e.path, start: e.dataOffset!, end: e.dataOffset! + (e.size ?? 0), hash: createHash('sha256') }))
        .sort((x, y) => x.start - y.start);
    },
    onData(chunk, offset) {
      const end = offset + chunk.length;
      while (next < files.length && files[next]!.start <= end) {
        const f = files[next]!;
        const from = Math.max(f.start, offset);
        const to = Math.min(f.end, end);
        if (to > from) f.hash.update(chunk.subarray(from - offset, to - offset));
        if (f.end > end) break;
        finish(f);
        next++;
      }
    },
  });
  for (; next < files.length; next++) finish(files[next]!);
  return { entries, contents };
}

/**
 * Undefined when `rebuilt` is `cached` byte for byte; otherwise a sentence
 * naming the first difference.
 */
export async function imageDifference(cached: string, rebuilt: string): Promise<string | undefined> {
  const byte = await firstDifferentByte(cached, rebuilt);
  if (byte === undefined) return undefined;
  const [a, b] = await Promise.all([summarise(cached), summarise(rebuilt)]);
  const paths = [...new Set([...a.entries.keys(), ...b.entries.keys()])].sort();
  for (const path of paths) {
    const [ea, eb] = [a.entries.get(path), b.entries.get(path)];
    if (ea === undefined) return `'${path}' is only in the rebuilt image`;
    if (eb === undefined) return `'${path}' is only in the cached image`;
    if (ea !== eb) return `'${path}' differs: ${ea} in the cached image, ${eb} in the rebuilt one`;
    if (a.contents.get(path) !== b.contents.get(path)) return `the contents of '${path}' differ`;
  }
  return `every file is the same, but the images differ from byte ${byte} (superblock, layout or compression)`;
}
