/** Where tsportable's own files are, wherever it is installed or run from. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('tsportable: cannot find its package.json');
    dir = parent;
  }
  return dir;
}

/** The directory holding tsportable's package.json, grammar/ and nix/. */
export const packageRoot = findPackageRoot();

/** The Nix side of tsportable: bridge expressions and the default package set. */
export const nixDir = join(packageRoot, 'nix');
