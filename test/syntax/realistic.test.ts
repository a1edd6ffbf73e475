/** Real-world shaped files: nixpkgs-style packages (nixfmt style), flakes, portable services. */
import { parse, printed } from './helpers.js';
import { FLAKE, NIXPKGS_STYLE, PORTABLE } from './samples.js';
import type { Expr, Lambda } from '../../src/eval/syntax/ast.js';

function lambda(e: Expr): Lambda {
  if (e.kind !== 'lambda') throw new Error(`not a lambda: ${e.kind}`);
  return e;
}

describe('realistic files', () => {
  it('parses a nixfmt-style nixpkgs package with trailing commas', () => {
    const f = lambda(parse(NIXPKGS_STYLE, '/pkgs/cowsay/package.nix'));
    expect(f.formals?.entries.map((x) => `${x.name}:${x.span.line}:${x.span.column}`))
      .toEqual(['lib:2:3', 'stdenv:3:3', 'fetchFromGitHub:4:3', 'cmake:5:3', 'withDocs:6:3', 'extraFlags:7:3']);
    expect(f.formals?.ellipsis).toBe(false);
    expect(f.body.kind).toBe('call');
    expect(f.body.span.line).toBe(10);
    const out = printed(NIXPKGS_STYLE);
    expect(out).toContain('rev = ("v" + (finalAttrs).version);');
    expect(out).toContain('postInstall = ("install -Dm644 " + /dir/cow.service + " $out/lib/systemd/system/cow.service\\nln -s $out/bin/cowsay $out/bin/cowthink\\n");');
  });

  it('parses a flake with URI literals', () => {
    const out = printed(FLAKE);
    expect(out).toContain('inputs = { flake-utils = { url = "github:numtide/flake-utils"; }; nixpkgs = { url = "github:NixOS/nixpkgs/nixos-24.05"; }; };');
    expect(out).toContain('units = [ (/dir/cow.service) ((/dir/cow + "-" + "socket.socket")) ];');
    expect(out).toContain('inherit ((pkgs).cowsay) version; pname = "cow";');
    expect(out).toContain('legacyPackages."${system}"');
  });

  it('parses a portable service with interpolated paths and an indented unit', () => {
    const out = printed(PORTABLE);
    expect(out).toContain('x = (/dir/cow + name + ".service");');
    expect(out).toContain('"[Unit]\\nDescription=A cow that " + "says" + " things\\n\\n[Service]\\nExecStart=" + (pkgs).cowsay + "/bin/cowsay \\"Moo\\"\\n"');
    expect(out).toContain('pkgs ? (import (__findFile __nixPath "nixpkgs") { })');
  });
});
