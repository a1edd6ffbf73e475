/**
 * Every family of builtins against real Nix: the expressions of cases.ts are
 * evaluated by tsportable and, in one batch, by `nix-instantiate --eval
 * --strict --json`; the JSON values must be equal. Then the messages of
 * common mistakes, against the final error line of current Nix (whose
 * wording differs from Debian's 2.8; each is quoted from current Nix's
 * language tests).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CASES } from './cases.js';
import { nixJsonBatch } from './nixOracle.js';
import { tsError, tsJson } from './tsEval.js';

let fixture = '';
const families = Object.entries(CASES);
const all = families.flatMap(([family, exprs]) => exprs.map((e) => ({ family, e })));
let expected: unknown[] = [];

beforeAll(async () => {
  fixture = fs.mkdtempSync(path.join(os.tmpdir(), 'h3-builtins-'));
  fs.writeFileSync(path.join(fixture, 'file.txt'), 'contents ✓\n');
  fs.mkdirSync(path.join(fixture, 'dir'));
  fs.symlinkSync('nowhere', path.join(fixture, 'dangling'));
  // Bytes that are not UTF-8, in contents and in a name.
  fs.mkdirSync(path.join(fixture, 'bytes'));
  fs.writeFileSync(path.join(fixture, 'bytes', 'a.bin'), Buffer.from([0x61, 0xe9, 0xff, 0xc3, 0xa9, 0x0a]));
  fs.writeFileSync(Buffer.from(`${fixture}/bytes/n\xe9`, 'latin1'), 'x');
  fs.writeFileSync(path.join(fixture, 'bytes', 'é'), 'y');
  process.env.H3_TEST_VAR = 'value of H3';
  expected = await nixJsonBatch(all.map(({ e }) => e.replaceAll('FIXTURE', fixture)));
});

afterAll(() => fs.rmSync(fixture, { recursive: true, force: true }));

describe.each(families)('%s builtins agree with nix-instantiate', (family, exprs) => {
  test.each(exprs)('%s', (e) => {
    const i = all.findIndex((c) => c.family === family && c.e === e);
    expect(tsJson(e.replaceAll('FIXTURE', fixture))).toEqual(expected[i]);
  });
});

/** Mistakes and current Nix's final error line for each (from NixOS/nix tests/functional/lang). */
const ERRORS: Array<[string, string]> = [
  ['builtins.substring (-3) 3 "sometext"', "error: negative start position in 'substring'"],
  ['builtins.substring { } "foo" true', 'error: expected an integer but found a set: { }'],
  ['builtins.replaceStrings [ 0 ] [ ] { }', "error: 'from' and 'to' arguments passed to builtins.replaceStrings have different lengths"],
  ['builtins.replaceStrings [ "oo" ] [ true ] "foo"', 'error: expected a string but found a Boolean: true'],
  ['builtins.match "(.*" ""', "error: invalid regular expression '(.*'"],
  ['builtins.split "f(o*o" "1foo2"', "error: invalid regular expression 'f(o*o'"],
  ['builtins.sort (_: _: 1) [ "foo" "bar" ]', 'error: expected a Boolean but found an integer: 1'],
  ['builtins.sort (a: b: a <= b) [ "foo" { } ]', 'error: cannot compare a string with a set; values are "foo" and { }'],
  ["builtins.foldl' 1 \"foo\" true", 'error: expected a function but found an integer: 1'],
  ['builtins.all 1 "foo"', 'error: expected a function but found an integer: 1'],
  ['builtins.elemAt [ ] 0', "error: 'builtins.elemAt' called with index 0 on a list of size 0"],
  ['builtins.head [ ]', "error: 'builtins.head' called on an empty list"],
  ['builtins.tail [ ]', "error: 'builtins.tail' called on an empty list"],
  ['builtins.genList (x: x) (-3)', 'error: cannot create list of size -3'],
  ['builtins.hashString "foo" "content"', "error: unknown hash algorithm 'foo', expect 'blake3', 'md5', 'sha1', 'sha256', or 'sha512'"],
  ['builtins.fromJSON "{\\"attr\\": 18446744073709551615}"', 'error: unsigned json number 18446744073709551615 outside of Nix integer range'],
  ["builtins.fromTOML ''attr = 9223372036854775808''", 'error: while parsing TOML: [error] toml::parse_dec_integer: too large integer: current max digits = 2^63'],
  ['builtins.toJSON { __toString = self: 42; }', 'error: `__toString` should return a string, but got an integer: 42'],
  ['builtins.toJSON (x: x)', 'error: cannot convert a function to JSON'],
  ['builtins.abort "bye"', "error: evaluation aborted with the following error message: 'bye'"],
  ['builtins.tryEval (builtins.abort "not caught")', "error: evaluation aborted with the following error message: 'not caught'"],
  ['builtins.tryEval { }.missing', "error: attribute 'missing' missing"],
  ['builtins.functionArgs 1', "error: 'functionArgs' requires a function"],
  ['builtins.listToAttrs [ { value = 1; } ]', "error: attribute 'name' missing"],
  ['builtins.fetchurl "https://example.com/~wiggle~"', "error: invalid store path name when fetching URL 'https://example.com/~wiggle~': name '~wiggle~' contains illegal character '~'. Please pass an attribute set with 'url' and 'name' attributes to 'fetchurl',  so that it can create a valid store path."],
  ['builtins.derivationStrict { name = "~jiggle~"; }', "error: invalid derivation name: name '~jiggle~' contains illegal character '~'. Please pass a different 'name'."],
  ['builtins.derivationStrict { name = "a"; system = "x"; }', "error: required attribute 'builder' missing"],
  ['builtins.derivationStrict { name = "a"; builder = "b"; system = "x"; outputs = [ "out" "out" ]; }', "error: duplicate derivation output 'out'"],
  ['builtins.storePath true', 'error: cannot coerce a Boolean to a string: true'],
  ['builtins.filterSource (_: _: 1) /tmp', 'error: expected a Boolean but found an integer: 1'],
  ['builtins.addDrvOutputDependencies "plain"', "error: context of string 'plain' must have exactly one element, but has 0"],
  ['builtins.appendContext "x" { "/not/store" = { path = true; }; }', "error: context key '/not/store' is not a store path"],
  ['builtins.toFile "x" "y"', "error: builtins.toFile 'x' needs Nix (the nixpkgs bridge), which is not available here"],
  ['builtins.toFile "a/b" "y"', "error: invalid store path name: name 'a/b' contains illegal character '/'"],
];

describe('errors read as current Nix', () => {
  test.each(ERRORS)('%s', (expr, message) => {
    expect(tsError(expr)).toBe(message);
  });
});
