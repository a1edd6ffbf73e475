/**
 * The real-world cases: portableService files written in the shapes found in
 * public repositories (uwsgi/php service images, flakes, nixpkgs' manual,
 * multi-service images), each a folder under test/realworld/cases/ holding a
 * default.nix that nix-build accepts unchanged with the nixpkgs-like test set.
 * Listed here rather than read from the folder so a case that disappears is
 * noticed; each entry says which shape it stands for.
 */
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';

export interface RealWorldCase {
  /** Folder name under test/realworld/cases/. */
  readonly name: string;
  /** Test name when one folder is built twice with different arguments (defaults to `name`). */
  readonly id?: string;
  /** The shape it reproduces, for the reader of a failure. */
  readonly shape: string;
  /** Extra arguments given to both nix-build and tsportable build (-A, --arg, --argstr). */
  readonly args?: readonly string[];
}

/** Nix's name for this machine's system, as builtins.currentSystem gives it (Linux only). */
const hostSystem = `${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux`;

export const casesDir = join(packageRoot, 'test', 'realworld', 'cases');

export const realWorldCases: readonly RealWorldCase[] = [
  { name: 'substitute-all', shape: 'legacy substituteAll of ./x.service.in with @vars@, flag argument, cacert and /bin/sh symlinks' },
  { id: 'substitute-all --arg pkgs', name: 'substitute-all', shape: 'the same file given its package set and flag with --arg (an overlaid import <nixpkgs>)', args: ['--arg', 'pkgs', 'import <nixpkgs> { overlays = [ (final: prev: { bash = prev.bash; }) ]; }', '--arg', 'withJournal', 'false'] },
  { name: 'replace-vars', shape: 'replaceVars of checked-in units, inherit (pkgs) in the replacements, concatText socket, three units' },
  { name: 'hand-made-units', shape: 'flake outputs with nixpkgs.legacyPackages.${system}; units as { name; outPath; } (x@.service via readFile, "${./x.socket}")' },
  { name: 'callpackage', shape: 'the manual\'s package-style file ({ lib, writeText, portableService, hello }:) through callPackage' },
  { name: 'override', shape: '.override of a callPackage\'d package, lib.getExe, lib ? pkgs.lib argument, zstd' },
  { name: 'override-attrs', shape: 'overrideAttrs (old: { ... }) reading old attributes, gzip with a 128K block' },
  { name: 'build-env', shape: 'buildEnv profile linked at /bin and /usr/bin and put in contents' },
  { name: 'with-lib', shape: 'with pkgs; with lib; string helpers, writeShellScriptBin, a timer unit' },
  { name: 'multi-output', shape: 'multi-output packages: lib.getExe of the bin output, one output as symlink object, .dev in contents' },
  { name: 'generated-units', shape: 'units from lib.generators.toINI (repeated keys, a float) via mapAttrsToList, a runCommand-written timer' },
  { name: 'local-derivation', shape: 'stdenv.mkDerivation rec from ./src with phases, builtins.toFile, builtins.path in contents' },
  { name: 'overlay', shape: 'not a function: import <nixpkgs> { overlays = [ (final: prev: ...) ]; }' },
  { name: 'symlink-join', shape: 'symlinkJoin of packages (one multi-output), the tree linked at /opt/bundle' },
  { name: 'new-scope', shape: 'newScope + callPackage of service folders returning { service; }, lz4' },
  { name: 'read-file', shape: 'builtins.readFile + replaceStrings, lib.fileContents, concatText of fragments, a derivation as symlink object, squashfsTools' },
  { name: 'flake-packages', shape: 'flake packages = rec { ... } picked with -A, substituteAll of self.packages, self.lastModifiedDate, drv + "/etc/ssl"', args: ['-A', 'portable-service'] },
  { name: 'config-file', shape: 'builtins.toJSON config via writeText on the command line, recursiveUpdate, makeBinPath, getExe\', writeTextFile' },
  { name: 'local-files', shape: 'local script and directory interpolated in the unit and as a symlink object, writeScript with runtimeShell, toString of a drv' },
  { name: 'final-attrs', shape: 'mkDerivation (finalAttrs: ...), overrideAttrs (finalAttrs: prev: ...), pkgs.extend, lib.getBin/getLib' },
  { name: 'import-local', shape: 'import ./app.nix { inherit pkgs; } with src = ./app, lib.optional(s) units from --arg flags, symlinks via map', args: ['--arg', 'withSocket', 'true'] },
  { name: 'link-farm', shape: 'linkFarm, writeTextDir, runCommandLocal in contents; non-ASCII description/homepage; a .path unit' },
  { name: 'escapes', shape: 'unit text with \'\'${, \'\'\', \\${, \\t, $$, %i/%%, trailing spaces; a path literal as symlink object; a deep symlink' },
  { name: 'relative-symlinks', shape: 'symlink paths relative to the root (bin/sh), with ./ and //, through a .. inside the root, naming an existing directory (etc/)' },
  { name: 'wants-link', shape: 'symlink objects that are not store paths: a relative .wants link, /var/run -> /run' },
  { name: 'source-filter', shape: 'builtins.filterSource and builtins.path { filter } with lambdas, used by runCommand' },
  { name: 'unit-dir', shape: 'units from builtins.readDir ./units, path + "/${name}", readFile + replaceStrings' },
  { name: 'image-set', shape: 'lib.genAttrs of images plus a non-image attribute, one picked with -A', args: ['-A', 'west'] },
  { name: 'writeback', shape: 'user-made writeShellScriptBin/writeText in buildEnv paths, overrideAttrs calling a local function, symlinkJoin postBuild with a local file' },
  { name: 'flake-with', shape: 'genAttrs systems (system: with nixpkgs.legacyPackages.${system}; rec { ... }), -A packages.<system>.portable', args: ['-A', `packages.${hostSystem}.portable`] },
  { name: 'builders-mix', shape: 'lib.makeOverridable unit maker + .override, writeTextFile executable/destination, writeScriptBin, concatTextFile, appendOverlays, lib.getName/versions/concatLines, mapAttrs\'' },
  { name: 'foreign-data', shape: 'package data as plain data: toJSON of packages, outputs lists, meta.description, stdenv.isLinux, hostPlatform.system' },
  { name: 'pkgs-path', shape: 'import pkgs.path { overlays = ...; } for a second package set, lib from import <nixpkgs/lib>' },
  { name: 'squash-options', shape: 'description = null, empty contents/symlinks, homepage with ?&#, "xz -Xbcj x86 -Xdict-size 50%" with a 64K block' },
  { name: 'many-units', shape: '40 units from lib.genList, each with its own script and .override of a package' },
  { name: 'args-merge', shape: 'portableService (common // rec { ... }) using its own pname; a unit named by baseNameOf ./x.socket' },
  { name: 'with-import', shape: 'with import <nixpkgs> { }; at the top, callPackage ./tool.nix { greeting = ...; }, the image in an attrset of one (no -A)' },
  { name: 'ifd', shape: 'import from derivation: lib.fileContents of a runCommand for the version, builtins.readFile of a generated unit text mentioning a package' },
  { name: 'context-drop', shape: 'store paths through builtins.match/split (no context in Nix), unsafeDiscardStringContext, substring (keeps it)' },
  { name: 'nixpkgs-arg', shape: '{ nixpkgs ? <nixpkgs>, system, pkgs ? import nixpkgs { inherit system; config.allowUnfree = true; }, ... }, --argstr', args: ['--argstr', 'flavour', 'spicy'] },
];

/** Files nixpkgs refuses; tsportable must refuse them too, with an error at the user's file. */
export interface RefusedCase {
  readonly name: string;
  readonly shape: string;
  /** A phrase tsportable's message must hold. */
  readonly says: string;
  /** nix-build's exit code, which tsportable must give too: 1 for an evaluation error, 100 for a failed build. */
  readonly exitCode: 1 | 100;
}

export const refusedDir = join(packageRoot, 'test', 'realworld', 'refused');

export const refusedCases: readonly RefusedCase[] = [
  { name: 'bare-path-unit', shape: 'a checked-in ./x.socket given to units as a bare path', says: 'element 2 of argument \'units\' is the path', exitCode: 1 },
  { name: 'name-not-pname', shape: '`name` instead of `pname`', says: '\'pname\'', exitCode: 1 },
  { name: 'unprefixed-unit', shape: 'a unit not prefixed with pname', says: 'Unit names must be prefixed with the service name', exitCode: 1 },
  { name: 'leftover-var', shape: 'a replaceVars template with an @var@ left unfilled (the unit\'s build fails)', says: '@configFile@', exitCode: 100 },
];

export function caseId(c: RealWorldCase): string {
  return c.id ?? c.name;
}

export function caseFile(c: RealWorldCase): string {
  return join(casesDir, c.name, 'default.nix');
}
