/**
 * What "the same image" means in the comparisons with nixpkgs' portableService
 * built by Nix: the same tree entry by entry (type, mode, owner, mtime,
 * symlink target, size; squashfs' own directory sizes left out) and the same
 * contents in every file, except for the scaffold's own store path, which
 * nixpkgs puts into its image and tsportable leaves out.
 */
import { fileDigests, listImage, type ImageEntry } from './squashfs.js';

/** What must agree: everything -lls shows, except squashfs' own directory sizes. */
export function comparable(entries: Map<string, ImageEntry>, without?: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [path, e] of entries) {
    if (without !== undefined && (path === without || path.startsWith(`${without}/`))) continue;
    out.set(path, { mode: e.mode, owner: e.owner, mtime: e.mtime, target: e.target, size: e.mode.startsWith('d') ? undefined : e.size });
  }
  return out;
}

/** `map` without `prefix` and what is below it. */
export function without<T>(map: Map<string, T>, prefix: string): Map<string, T> {
  return new Map([...map].filter(([p]) => p !== prefix && !p.startsWith(`${prefix}/`)));
}

/** The trees and contents of both images, ready for `expect(...).toEqual(...)`; `scaffold` is the nix image's scaffold (no leading '/'). */
export async function imagesToCompare(nixImage: string, tsImage: string, scaffold: string) {
  const [nixTree, tsTree, nixFiles, tsFiles] = await Promise.all([listImage(nixImage), listImage(tsImage), fileDigests(nixImage), fileDigests(tsImage)]);
  return {
    nix: { tree: comparable(nixTree, scaffold), files: without(nixFiles, scaffold) },
    ts: { tree: comparable(tsTree), files: tsFiles },
    scaffoldInNix: nixTree.get(scaffold)?.mode,
    scaffoldInTs: tsTree.has(scaffold),
  };
}
