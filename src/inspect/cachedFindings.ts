/**
 * inspect's findings on an image tsportable built, remembered beside the
 * cached image's directory (`<cache>/<key>.findings.json`; the directory
 * itself, where `result` points, holds only the image, as nix-build's does),
 * so that a rebuild served from the cache does not read the image again. A
 * cached image never changes (its key names its contents), so the findings
 * stay true until the checks themselves change: the file records the version
 * of the checks, and findings of another version are computed again. A cache
 * that cannot be written only means the findings are not remembered.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { findingsFileOf, workPrefix } from '../image/cache.js';
import { inspectImage } from './inspect.js';
import type { Finding } from './report.js';

/** Bump when a check is added or changes what it finds. */
const checksVersion = 1;

interface Remembered {
  readonly checksVersion: number;
  readonly image: string;
  readonly findings: readonly Finding[];
}

/** The findings of `inspect` on `image`, a file inside its cache directory. */
export async function findingsOfBuiltImage(image: string): Promise<readonly Finding[]> {
  const file = findingsFileOf(dirname(image));
  try {
    const remembered = JSON.parse(await readFile(file, 'utf8')) as Remembered;
    if (remembered.checksVersion === checksVersion && remembered.image === basename(image)) return remembered.findings;
  } catch {
    // Not there yet, or unreadable: inspect the image.
  }
  const { findings } = await inspectImage(image);
  const record: Remembered = { checksVersion, image: basename(image), findings };
  // Named as the cache's work directories are, so that one left by a killed build is swept (cache.ts).
  const temporary = join(dirname(file), `${workPrefix}${process.pid}-${basename(file)}`);
  try {
    await writeFile(temporary, JSON.stringify(record));
    await rename(temporary, file);
  } catch {
    // A read-only cache: the findings are simply not remembered.
    await rm(temporary, { force: true }).catch(() => undefined);
  }
  return findings;
}
