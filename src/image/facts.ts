/**
 * Facts about things that do not change, remembered in the cache directory
 * (`<cache>/facts/`) so that a rebuild whose image is already cached asks no
 * program what it asked last time:
 * - the reference graph of the closure of some store paths: a valid store
 *   path's references never change, and neither do its dependencies' (they
 *   stay valid while it is). A path deleted and built again is a new file:
 *   its inode and change time, part of the key, differ.
 * - the `-version` line of an mksquashfs binary, keyed by the file's identity
 *   (inode, size, modification and change times): a new build of it is
 *   another file, even at the same path.
 *
 * A fact whose file is missing, unreadable, damaged or unwritable is
 * computed as if never remembered; nothing is said.
 */
import { createHash } from 'node:crypto';
import { constants, readFileSync, statSync, accessSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { replaceFile } from '../replaceFile.js';

export interface Facts {
  /** `compute()`, or what it gave last time for the same `kind` and `key` (JSON data). */
  remember<T>(kind: string, key: unknown, compute: () => Promise<T>): Promise<T>;
}

/** The facts kept in `dir`. */
export function factsIn(dir: string): Facts {
  return {
    async remember<T>(kind: string, key: unknown, compute: () => Promise<T>): Promise<T> {
      const file = join(dir, `${kind}-${createHash('sha256').update(JSON.stringify(key)).digest('hex')}.json`);
      try {
        const entry = JSON.parse(readFileSync(file, 'utf8')) as { key: unknown; value: T };
        // The key is stored too: a hash collision, or a damaged file, is recomputed.
        if (JSON.stringify(entry.key) === JSON.stringify(key)) return entry.value;
      } catch {
        // not remembered (or unreadable): computed below
      }
      const value = await compute();
      // Not remembered this time when it cannot be written.
      replaceFile(file, JSON.stringify({ key, value }), { makeDir: true });
      return value;
    },
  };
}

/** What identifies a file's content without reading it; undefined when it does not exist. */
export function fileIdentity(path: string): string | undefined {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return undefined;
  }
}

/** The file `program` runs: itself when it names a path, else the first executable of that name on PATH. */
export function programFile(program: string): string | undefined {
  if (program.includes('/')) return program;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
