/**
 * Finds the store paths that an image's files refer to and that the image
 * does not contain. A reference is the text `/nix/store/<hash>-<name>` in a
 * file's bytes or in a symlink's target, as in Nix's own reference scanning
 * (which looks for the hash; we also need `/nix/store/` before it to tell a
 * store path from random bytes, since we look for paths we do not know).
 *
 * The data arrives as one stream of every file's contents back to back, in
 * pieces of any size, so a reference may be split between two pieces: each
 * piece is searched together with the end of the previous one. A match is
 * charged to the file whose byte range holds its start.
 *
 * References to store paths the image holds are noted too: a store path that
 * nothing else in the image refers to is a root of its closure (what
 * nixpkgs' `contents` put there, or the scaffold's own store path).
 */
import { byPath, type ImageTree } from './tree.js';

const storeDir = '/nix/store/';
/** Nix's base-32 alphabet (no e, o, u, t) and the characters allowed in store path names. */
const referencePattern = /\/nix\/store\/([0-9a-df-np-sv-z]{32})-([0-9A-Za-z+\-._?=]*)/g;
/** Longest reference we need to see whole: prefix, hash, dash and a name (Nix allows 211 characters). */
const overlap = storeDir.length + 32 + 1 + 211;

export interface MissingStorePath {
  /** `/nix/store/<hash>-<name>` as first seen. */
  readonly path: string;
  /** The image paths that refer to it (files, or symlinks by their target). */
  readonly referrers: readonly string[];
}

interface Range {
  readonly start: number;
  readonly end: number;
  readonly path: string;
}

/** The hash parts of the store paths the image holds (`/nix/store/<hash>-name` entries). */
const storePathEntry = /^\/nix\/store\/([0-9a-df-np-sv-z]{32})-[^/]*$/;

function presentStoreHashes(tree: ImageTree): Set<string> {
  const hashes = new Set<string>();
  for (const path of tree.keys()) {
    const m = storePathEntry.exec(path);
    if (m) hashes.add(m[1]!);
  }
  return hashes;
}

export class StoreReferenceScanner {
  private readonly present: Set<string>;
  private readonly ranges: Range[];
  private readonly missing = new Map<string, { path: string; referrers: Set<string> }>();
  /** Hashes of present store paths that something other than themselves refers to. */
  private readonly referenced = new Set<string>();
  private readonly storePaths: string[];
  private carry = '';

  constructor(tree: ImageTree) {
    this.present = presentStoreHashes(tree);
    this.storePaths = [...tree.keys()].filter((p) => storePathEntry.test(p));
    const byOffset = new Map<number, Range>();
    for (const e of tree.values()) {
      if (e.kind === 'symlink') this.scanText(e.target ?? '', () => e.path);
      if (e.kind !== 'file' || e.hardLinkOf || !e.size || e.dataOffset === undefined) continue;
      // Duplicate files share their data; the first one listed stands for all.
      if (!byOffset.has(e.dataOffset)) byOffset.set(e.dataOffset, { start: e.dataOffset, end: e.dataOffset + e.size, path: e.path });
    }
    this.ranges = [...byOffset.values()].sort((a, b) => a.start - b.start);
  }

  /** Feeds the next piece of the data section; `offset` is where it starts. */
  add(chunk: Buffer, offset: number): void {
    const text = this.carry + chunk.toString('latin1');
    const base = offset - this.carry.length;
    this.scanText(text, (index) => this.fileAt(base + index));
    this.carry = text.slice(-overlap);
  }

  get result(): MissingStorePath[] {
    return [...this.missing.values()]
      .map((m) => ({ path: m.path, referrers: [...m.referrers].sort() }))
      .sort(byPath);
  }

  /** The store paths of the image that nothing else in it refers to, sorted. */
  get roots(): string[] {
    return this.storePaths.filter((p) => !this.referenced.has(p.slice(storeDir.length, storeDir.length + 32))).sort();
  }

  private scanText(text: string, referrer: (index: number) => string | undefined): void {
    for (const m of text.matchAll(referencePattern)) {
      const hash = m[1]!;
      if (this.present.has(hash)) {
        if (!this.referenced.has(hash)) {
          const who = referrer(m.index);
          if (who !== undefined && !who.startsWith(`${storeDir}${hash}-`)) this.referenced.add(hash);
        }
        continue;
      }
      const who = referrer(m.index);
      if (who === undefined) continue; // bytes that straddle two files
      let record = this.missing.get(hash);
      if (!record) this.missing.set(hash, (record = { path: m[0], referrers: new Set() }));
      else if (m[0].length > record.path.length) record.path = m[0];
      record.referrers.add(who);
    }
  }

  private fileAt(position: number): string | undefined {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.ranges[mid]!;
      if (position < r.start) hi = mid - 1;
      else if (position >= r.end) lo = mid + 1;
      else return r.path;
    }
    return undefined;
  }
}

