/**
 * Writes `file` whole under a temporary name and renames it, so that a reader
 * sees the old file or the new one, never half of one: how the caches (parse
 * cache, facts, rebuild records) write their entries. Best effort: false when
 * it could not (a read-only or full cache), with nothing left behind.
 * `makeDir`: creates the file's folder first. No imports beyond node:fs: the
 * cached rebuild's small bundle uses it too.
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** `data` may be given in parts, written one after another (a large entry is not joined first). */
export function replaceFile(file: string, data: string | Uint8Array | readonly Uint8Array[], options: { makeDir?: boolean } = {}): boolean {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    if (options.makeDir) mkdirSync(dirname(file), { recursive: true });
    if (typeof data === 'string' || data instanceof Uint8Array) writeFileSync(temporary, data);
    else writeParts(temporary, data);
    renameSync(temporary, file);
    return true;
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // nothing was written
    }
    return false;
  }
}

function writeParts(file: string, parts: readonly Uint8Array[]): void {
  const fd = openSync(file, 'w');
  try {
    // On a descriptor, writeFileSync writes at the current offset until the whole part is written.
    for (const part of parts) writeFileSync(fd, part);
  } finally {
    closeSync(fd);
  }
}
