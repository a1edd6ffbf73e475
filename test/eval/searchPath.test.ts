/**
 * The search path on its own: entry parsing (`name=path`, plain, URLs),
 * NIX_PATH splitting, and lookup order (first existing candidate wins, the
 * prefix must match whole components).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSearchPath, splitNixPath, findInSearchPath } from '../../src/eval/searchPath.js';
import { NixError } from '../../src/eval/errors.js';
import { diagnostics, type NixWarning } from '../../src/eval/diagnostics.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/eval/fixtures');

describe('search path', () => {
  test('NIX_PATH splits on colons but not inside URLs', () => {
    expect(splitNixPath('nixpkgs=/a:/b:x=https://example.org/t.tar.gz:/c')).toEqual([
      'nixpkgs=/a', '/b', 'x=https://example.org/t.tar.gz', '/c',
    ]);
    expect(splitNixPath('')).toEqual([]);
    expect(splitNixPath(undefined)).toEqual([]);
  });

  test('entries are resolved against the working directory', () => {
    expect(parseSearchPath(['fx=fixtures', 'dir', 'u=https://x.org/a'], '/w')).toEqual([
      { prefix: 'fx', path: '/w/fixtures' }, { prefix: '', path: '/w/dir' }, { prefix: 'u', path: 'https://x.org/a' },
    ]);
  });

  test('lookup: prefixes match whole components, the first existing candidate wins', () => {
    const entries = parseSearchPath([`f=${fixtures}/nope`, `fix=${fixtures}/dir`, `f=${fixtures}`, path.dirname(fixtures)], '/');
    expect(findInSearchPath(entries, 'f/simple.nix', undefined)).toBe(`${fixtures}/simple.nix`);
    expect(findInSearchPath(entries, 'fix', undefined)).toBe(`${fixtures}/dir`);
    expect(findInSearchPath(entries, 'fixtures/fn.nix', undefined)).toBe(`${fixtures}/fn.nix`);
    expect(() => findInSearchPath(entries, 'fixx', undefined))
      .toThrow(new NixError('throw', "file 'fixx' was not found in the Nix search path (add it using $NIX_PATH or -I)"));
  });

  test('an entry whose path does not exist is skipped with Nix\'s warning', () => {
    const warnings: NixWarning[] = [];
    const saved = diagnostics.warn;
    diagnostics.warn = (w) => warnings.push(w);
    try {
      const entries = parseSearchPath([`fx=${fixtures}/nope`, `fx=${fixtures}`, `other=${fixtures}/gone`], '/');
      expect(findInSearchPath(entries, 'fx/simple.nix', undefined)).toBe(`${fixtures}/simple.nix`);
    } finally {
      diagnostics.warn = saved;
    }
    // Only entries the lookup goes through are looked at: `other=` is not.
    expect(warnings.map((w) => w.message)).toEqual([`Nix search path entry '${fixtures}/nope' does not exist, ignoring`]);
  });

  test('URL entries need Nix to fetch them', () => {
    const entries = parseSearchPath(['nixpkgs=https://example.org/nixpkgs.tar.gz'], '/');
    expect(() => findInSearchPath(entries, 'nixpkgs/lib', undefined)).toThrow(/needs Nix to fetch it/);
  });
});
