/**
 * `tsportable gc`: removes the cached images no result link points to any
 * more, as `nix-collect-garbage` removes store paths no GC root reaches
 * (src/image/gc.ts has the model: every result link a build makes is recorded
 * as a root of the cache).
 */
import { cacheLocation, collectGarbage, type GcImage } from '../../image/index.js';
import { unusableCache } from '../../image/cache.js';
import { formatBytes } from '../../inspect/format.js';
import { io, type Command } from '../command.js';
import { optFlag } from '../options.js';
import { applyNixOptions, optionOption } from '../nixOptions.js';

export const gcCommand: Command = {
  spec: {
    name: 'gc',
    summary: 'Remove the cached images that no result link points to any more.',
    positional: '',
    maxPositional: 0,
    description: [
      'Built images are kept in a cache ($TSPORTABLE_CACHE_DIR, else $XDG_CACHE_HOME/tsportable, else',
      '~/.cache/tsportable) so that an unchanged rebuild reuses them; `result` links point into it. Every',
      'result link a build makes is recorded in the cache, as Nix records indirect GC roots: an image is',
      'kept while a recorded link still points to it, or while a build is using it, and removed once',
      'none does (the link was deleted, or points to a newer image). Images built with --no-out-link have',
      'no link and are removed. Prints each image removed and what was freed.',
    ].join('\n'),
    options: [
      { long: '--dry-run', description: 'Print what would be removed and how much would be freed; remove nothing.' },
      optionOption,
    ],
  },
  async run(args) {
    // Accepted as by every command; gc runs no Nix and evaluates nothing.
    applyNixOptions(args);
    const dryRun = optFlag(args, 'dry-run');
    const cache = cacheLocation();
    const result = await collectGarbage(cache, { dryRun }).catch(async (e: unknown) => {
      throw await unusableCache(cache, e);
    });
    for (const image of result.removed) io.stdout(`${dryRun ? 'would remove' : 'removing'} ${image.dir}${imageNames(image)}\n`);
    for (const dir of result.leftovers) io.stdout(`${dryRun ? 'would remove' : 'removing'} ${dir.dir} (left by an interrupted build)\n`);
    const count = plural(result.removed.length, 'image');
    const freed = formatBytes(result.bytesFreed);
    const holders = [plural(result.liveLinks, 'result link'), ...(result.runningBuilds ? [plural(result.runningBuilds, 'running build')] : [])];
    const kept = `${plural(result.kept.length, 'image')} kept (${holders.join(', ')})`;
    io.stdout(dryRun
      ? `${count} would be removed, ${freed} would be freed; ${kept} (${cache.dir})\n`
      : `${count} removed, ${freed} freed; ${kept} (${cache.dir})\n`);
    return 0;
  },
};

function imageNames(image: GcImage): string {
  return image.files.length ? ` (${image.files.join(', ')}, ${formatBytes(image.bytes)})` : ` (${formatBytes(image.bytes)})`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
