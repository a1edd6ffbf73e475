/**
 * The last step of a build, shared with the cached rebuild (src/cli/rebuild.ts),
 * which knows its image's key without building: the result link made, after
 * it is recorded as a root of the cache (gc.ts). This module is in the small
 * bundle that answers a rebuild, so it stays light: the cache, gc roots and
 * the link only.
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BuildProgress } from './build.js';
import { cacheLocation, type CacheLocation } from './cache.js';
import { holdImage, recordRoot } from './gc.js';
import { replaceLink } from './outLink.js';

/**
 * The result link to `resultDir` (`outLink`: a path, default `result`, or
 * null for none), recorded as a root of the cache first; its absolute path.
 */
export async function linkResult(cache: CacheLocation, resultDir: string, outLink: string | null | undefined, progress: (p: BuildProgress) => void): Promise<string | null> {
  const linkOption = outLink === undefined ? 'result' : outLink;
  if (linkOption === null) return null;
  progress({ phase: 'link', message: `linking ${linkOption}` });
  await recordRoot(cache, resolve(linkOption));
  return replaceLink(linkOption, resultDir);
}

/** Whether `link` is a symlink whose text is `target`. */
function pointsTo(link: string, target: string): boolean {
  try {
    return readlinkSync(link) === target;
  } catch {
    return false;
  }
}

/**
 * The image `key/fileName` of the cache linked as `buildImage` links it,
 * held against `tsportable gc` meanwhile; undefined when the cache no longer
 * has it.
 */
export async function linkCachedImage(
  key: string,
  fileName: string,
  options: {
    /** The result link, absolute, or null for none. */
    readonly outLink: string | null;
    /** The root that records it (gc.ts's `rootOf`), when known: with both in place, nothing is written. */
    readonly root?: string;
    readonly onProgress: (p: BuildProgress) => void;
  },
): Promise<{ readonly imagePath: string; readonly outLink: string | null } | undefined> {
  const cache = cacheLocation();
  const resultDir = join(cache.dir, key);
  const imagePath = join(resultDir, fileName);
  const hold = await holdImage(cache, key);
  try {
    if (lstatSync(imagePath, { throwIfNoEntry: false }) === undefined) return undefined;
    options.onProgress({ phase: 'cached', message: `reusing ${imagePath}` });
    const { outLink, root } = options;
    if (outLink !== null && root !== undefined && pointsTo(root, outLink) && pointsTo(outLink, resultDir)) {
      options.onProgress({ phase: 'link', message: `linking ${outLink}` });
      return { imagePath, outLink };
    }
    return { imagePath, outLink: await linkResult(cache, resultDir, outLink, options.onProgress) };
  } finally {
    await hold.release();
  }
}
