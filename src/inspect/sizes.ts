/**
 * The size of a store path, one definition for `inspect` and `show --closure`:
 * the bytes of the regular files under it, each file counted once within the
 * path (hard links inside one path share their bytes). It is what the image
 * holds of the path before compression, and it can be known both from an
 * image's listing and from the store on disk. (Nix's `nix-store --query
 * --size` is the NAR serialisation's size, which adds the archive's framing:
 * not a size of anything in an image.)
 */
import { byPath } from './tree.js';

/** An entry of a store path: its path, the bytes it holds (0 unless a regular file), and who shares them. */
export interface SizedEntry {
  readonly path: string;
  readonly size: number;
  /** Entries with the same identity (hard links of one file) are counted once; defaults to the path. */
  readonly identity?: string;
}

const storePathOf = /^\/nix\/store\/[^/]+/;

/** Every store path the entries lie in, with its size, sorted by path. */
export function storePathSizes(entries: Iterable<SizedEntry>): Array<{ path: string; size: number }> {
  const paths = new Map<string, { size: number; seen: Set<string> }>();
  for (const e of entries) {
    const top = storePathOf.exec(e.path)?.[0];
    if (top === undefined) continue;
    let p = paths.get(top);
    if (!p) paths.set(top, (p = { size: 0, seen: new Set() }));
    const identity = e.identity ?? e.path;
    if (e.size === 0 || p.seen.has(identity)) continue;
    p.seen.add(identity);
    p.size += e.size;
  }
  return [...paths].map(([path, p]) => ({ path, size: p.size })).sort(byPath);
}
