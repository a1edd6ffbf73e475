/**
 * Which nixpkgs `<nixpkgs>` means, found the way Nix's search path finds it
 * (`nixpkgs=PATH` entries, or plain entries holding a `nixpkgs` directory), so
 * the bridge can recognise `import <nixpkgs>` and decide whether tsportable's
 * own package set must stand in. URL entries are skipped: only Nix can fetch them.
 */
import { existsSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';

/** The nixpkgs directory the search path names, as `<nixpkgs>` finds it. */
export function findNixpkgs(searchPath: readonly string[], cwd: string): string | undefined {
  for (const entry of searchPath) {
    const eq = entry.indexOf('=');
    const prefix = eq >= 0 ? entry.slice(0, eq) : '';
    const p = eq >= 0 ? entry.slice(eq + 1) : entry;
    if (/^[a-z][a-z0-9+.-]*:/i.test(p)) continue;
    const candidate = prefix === 'nixpkgs' ? resolvePath(cwd, p) : prefix === '' ? join(resolvePath(cwd, p), 'nixpkgs') : undefined;
    if (candidate && existsSync(candidate)) return candidate;
  }
  return undefined;
}

