/**
 * Which nixpkgs `<nixpkgs>` means, found the way Nix's search path finds it
 * (`nixpkgs=PATH` entries, or plain entries holding a `nixpkgs` directory), so
 * the bridge can recognise `import <nixpkgs>`; and whether the search path
 * names nixpkgs at all. tsportable's own package set stands in only when no
 * entry is `nixpkgs=...`: one that names a path that does not exist (a typo)
 * leaves `<nixpkgs>` to fail as in Nix, after Nix's warning about the entry,
 * instead of switching package sets behind the user's back. URL entries are
 * skipped here: only Nix can fetch them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isUrl, parseSearchPath } from '../eval/searchPath.js';

/** The nixpkgs directory the search path names, as `<nixpkgs>` finds it. */
export function findNixpkgs(searchPath: readonly string[], cwd: string): string | undefined {
  for (const { prefix, path } of parseSearchPath(searchPath, cwd)) {
    if (isUrl(path)) continue;
    const candidate = prefix === 'nixpkgs' ? path : prefix === '' ? join(path, 'nixpkgs') : undefined;
    if (candidate && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Whether an entry is `nixpkgs=...`, whatever its path: the user chose a nixpkgs. */
export function namesNixpkgs(searchPath: readonly string[]): boolean {
  return parseSearchPath(searchPath, '/').some((e) => e.prefix === 'nixpkgs');
}
