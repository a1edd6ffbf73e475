/**
 * builtins.parseFlakeRef / flakeRefToString / fetchTree's argument checks
 * (current Nix, flakes: checked against its documented examples and
 * messages), and the search-path details shared with Nix 2.8 (findFile
 * entries whose `path` is a path value, `<nix/fetchurl.nix>`), checked
 * against the real nix-instantiate.
 */
import { createEvaluator } from '../../src/eval/index.js';
import { NixError } from '../../src/eval/errors.js';
import { nixPrint } from '../eval/nix.js';

const dir = '/tmp';
const ev = createEvaluator({ cwd: dir });
const evalStrict = (e: string) => ev.printValue(ev.evalExpr(e, dir), { strict: true });
function failure(e: string): string {
  try {
    evalStrict(e);
  } catch (err) {
    if (err instanceof NixError) return err.message;
    throw err;
  }
  throw new Error(`no error: ${e}`);
}

describe('parseFlakeRef', () => {
  test("the manual's example", () => {
    expect(evalStrict('builtins.parseFlakeRef "github:NixOS/nixpkgs/23.05?dir=lib"'))
      .toBe('{ dir = "lib"; owner = "NixOS"; ref = "23.05"; repo = "nixpkgs"; type = "github"; }');
  });

  test('the forms flake files use', () => {
    const cases: Array<[string, string]> = [
      ['nixpkgs', '{ id = "nixpkgs"; type = "indirect"; }'],
      ['nixpkgs/nixos-24.05', '{ id = "nixpkgs"; ref = "nixos-24.05"; type = "indirect"; }'],
      ['github:NixOS/nixpkgs/0123456789abcdef0123456789abcdef01234567',
        '{ owner = "NixOS"; repo = "nixpkgs"; rev = "0123456789abcdef0123456789abcdef01234567"; type = "github"; }'],
      ['gitlab:o/r?host=git.example.org', '{ host = "git.example.org"; owner = "o"; repo = "r"; type = "gitlab"; }'],
      ['git+https://example.org/r.git?ref=main&submodules=1',
        '{ ref = "main"; submodules = true; type = "git"; url = "https://example.org/r.git"; }'],
      ['path:/srv/flake?lastModified=12', '{ lastModified = 12; path = "/srv/flake"; type = "path"; }'],
      ['/srv/flake', '{ path = "/srv/flake"; type = "path"; }'],
      ['https://example.org/src.tar.gz', '{ type = "tarball"; url = "https://example.org/src.tar.gz"; }'],
    ];
    for (const [ref, attrs] of cases) expect([ref, evalStrict(`builtins.parseFlakeRef "${ref}"`)]).toEqual([ref, attrs]);
  });

  test('refused references', () => {
    expect(failure('builtins.parseFlakeRef "./rel"')).toBe("flake reference './rel' is not an absolute path");
    expect(failure('builtins.parseFlakeRef "nixpkgs#hello"')).toBe("unexpected fragment 'hello' in flake reference 'nixpkgs#hello'");
    expect(failure('builtins.parseFlakeRef "github:NixOS"')).toBe("URL 'github:NixOS' is invalid");
  });
});

describe('flakeRefToString', () => {
  test("the manual's example, and round trips", () => {
    expect(evalStrict('builtins.flakeRefToString { dir = "lib"; owner = "NixOS"; ref = "23.05"; repo = "nixpkgs"; type = "github"; }'))
      .toBe('"github:NixOS/nixpkgs/23.05?dir=lib"');
    for (const ref of ['flake:nixpkgs/nixos-24.05', 'git+https://example.org/r.git?dir=d&ref=main', 'path:/srv/flake', 'gitlab:o/r?host=h.org']) {
      expect(evalStrict(`builtins.flakeRefToString (builtins.parseFlakeRef "${ref}")`)).toBe(`"${ref}"`);
    }
  });

  test("attribute values are strings, Booleans or non-negative integers, as in Nix's messages", () => {
    expect(failure('builtins.flakeRefToString { type = "github"; owner = "o"; repo = -1; }'))
      .toBe('negative value given for flake ref attr repo: -1');
    expect(failure('builtins.flakeRefToString { type = "github"; owner = "o"; repo = [ ]; }'))
      .toBe("flake reference attribute sets may only contain integers, Booleans, and strings, but attribute 'repo' is a list");
    expect(failure('builtins.flakeRefToString { type = "github"; owner = "o"; repo = "r"; branch = "b"; }'))
      .toBe("unsupported input attribute 'branch'");
  });
});

describe('fetchTree checks its argument before needing Nix', () => {
  test('negative integers, relative file URLs', () => {
    expect(failure('builtins.fetchTree { type = "file"; url = "file:///x"; owner = -1; }'))
      .toBe("negative value given for 'fetchTree' argument 'owner': -1");
    expect(failure('builtins.fetchTree "file:./x.tar.gz"'))
      .toBe("tarball 'file:./x.tar.gz' must use an absolute path. The 'file' scheme does not support relative paths.");
    expect(failure('builtins.fetchTree "github:NixOS/nixpkgs"')).toContain('needs Nix');
  });
});

describe('search path, as nix-instantiate 2.8', () => {
  test('findFile entries with path values; <nix/fetchurl.nix> is a function with the documented arguments', async () => {
    const exprs = [
      'builtins.findFile [ { prefix = "t"; path = /tmp; } ] "t"',
      'builtins.isFunction (import <nix/fetchurl.nix>)',
      // Current Nix's fetchurl.nix also takes `impure` (not in 2.8's).
      'builtins.removeAttrs (builtins.functionArgs (import <nix/fetchurl.nix>)) [ "impure" ]',
    ];
    const theirs = await nixPrint(`[ ${exprs.map((e) => `(${e})`).join(' ')} ]`, dir);
    expect(`[ ${exprs.map(evalStrict).join(' ')} ]`).toBe(theirs);
  });
});
