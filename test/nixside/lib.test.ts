/**
 * The stand-in `lib` (nix/lib) evaluated by real Nix: each function against the
 * value nixpkgs' lib gives for the same call. All cases are evaluated in one
 * nix-instantiate run; error cases each need their own run.
 */
import { evalFailure, evalJson } from './nixRun.js';

interface LibCase {
  name: string;
  /** A Nix expression with `lib` and `pkgs` in scope. */
  expr: string;
  expected: unknown;
}

const cases: LibCase[] = [
  // lists
  { name: 'optional true', expr: 'lib.optional true 1', expected: [1] },
  { name: 'optional false', expr: 'lib.optional false 1', expected: [] },
  { name: 'optionals', expr: '[ (lib.optionals true [ 1 2 ]) (lib.optionals false [ 1 2 ]) ]', expected: [[1, 2], []] },
  { name: "foldl' order", expr: 'lib.foldl\' (acc: x: acc + x) "a" [ "b" "c" ]', expected: 'abc' },
  { name: 'foldl order', expr: 'lib.foldl (acc: x: acc + x) "a" [ "b" "c" ]', expected: 'abc' },
  { name: 'foldl is lazy in the accumulator', expr: 'lib.foldl (acc: x: x) (throw "forced") [ 1 2 ]', expected: 2 },
  { name: 'foldr order', expr: 'lib.foldr (x: acc: x + acc) "z" [ "a" "b" ]', expected: 'abz' },
  { name: 'flatten', expr: 'lib.flatten [ 1 [ 2 [ 3 [ ] ] ] 4 ]', expected: [1, 2, 3, 4] },
  { name: 'flatten of a non-list', expr: 'lib.flatten 1', expected: [1] },
  { name: 'unique keeps first occurrences', expr: 'lib.unique [ 3 1 3 2 1 ]', expected: [3, 1, 2] },
  { name: 'elem', expr: '[ (lib.elem 2 [ 1 2 ]) (lib.elem 5 [ 1 2 ]) ]', expected: [true, false] },
  { name: 'all/any', expr: '[ (lib.all (x: x > 0) [ 1 2 ]) (lib.any (x: x > 1) [ 1 ]) (lib.all (x: false) [ ]) ]', expected: [true, false, true] },
  { name: 'imap0/imap1', expr: '[ (lib.imap0 (i: v: "${toString i}${v}") [ "a" "b" ]) (lib.imap1 (i: v: i * v) [ 10 20 ]) ]', expected: [['0a', '1b'], [10, 40]] },
  { name: 'last/init', expr: '[ (lib.last [ 1 2 3 ]) (lib.init [ 1 2 3 ]) ]', expected: [3, [1, 2]] },
  { name: 'take/drop/sublist', expr: '[ (lib.take 2 [ 1 2 3 ]) (lib.drop 2 [ 1 2 3 ]) (lib.take 9 [ 1 ]) (lib.sublist 1 5 [ 1 2 3 ]) ]', expected: [[1, 2], [3], [1], [2, 3]] },
  { name: 'range', expr: '[ (lib.range 2 4) (lib.range 3 1) ]', expected: [[2, 3, 4], []] },
  { name: 'reverseList', expr: 'lib.reverseList [ 1 2 3 ]', expected: [3, 2, 1] },
  { name: 'remove/count/findFirst', expr: '[ (lib.remove 2 [ 1 2 3 2 ]) (lib.count (x: x == 2) [ 2 1 2 ]) (lib.findFirst (x: x > 1) 0 [ 1 5 7 ]) (lib.findFirst (x: x > 9) 0 [ 1 ]) ]', expected: [[1, 3], 2, 5, 0] },
  { name: 'toList', expr: '[ (lib.toList 1) (lib.toList [ 1 ]) ]', expected: [[1], [1]] },
  { name: 'subtractLists/intersectLists', expr: '[ (lib.subtractLists [ 2 ] [ 1 2 3 ]) (lib.intersectLists [ 2 3 ] [ 1 2 3 ]) ]', expected: [[1, 3], [2, 3]] },
  { name: 'zipListsWith', expr: 'lib.zipListsWith (a: b: a + b) [ 1 2 3 ] [ 10 20 ]', expected: [11, 22] },
  { name: 'naturalSort', expr: 'lib.naturalSort [ "a10" "a2" "a1" ]', expected: ['a1', 'a2', 'a10'] },

  // strings
  { name: 'concatStringsSep', expr: 'lib.concatStringsSep ", " [ "a" "b" ]', expected: 'a, b' },
  { name: 'concatMapStringsSep', expr: 'lib.concatMapStringsSep "\\n" (x: "-${x}") [ "a" "b" ]', expected: '-a\n-b' },
  { name: 'concatMapStrings', expr: 'lib.concatMapStrings (x: x + x) [ "a" "b" ]', expected: 'aabb' },
  { name: 'concatStrings', expr: 'lib.concatStrings [ "a" "b" "c" ]', expected: 'abc' },
  { name: 'concatLines', expr: 'lib.concatLines [ "a" "b" ]', expected: 'a\nb\n' },
  { name: 'optionalString', expr: '[ (lib.optionalString true "x") (lib.optionalString false "x") ]', expected: ['x', ''] },
  { name: 'hasPrefix', expr: '[ (lib.hasPrefix "foo" "foobar") (lib.hasPrefix "bar" "foobar") (lib.hasPrefix "" "x") ]', expected: [true, false, true] },
  { name: 'hasSuffix', expr: '[ (lib.hasSuffix ".service" "a.service") (lib.hasSuffix "long-suffix" "x") ]', expected: [true, false] },
  { name: 'hasInfix', expr: '[ (lib.hasInfix "b.c" "ab.cd") (lib.hasInfix "b.c" "abxcd") ]', expected: [true, false] },
  { name: 'removePrefix', expr: '[ (lib.removePrefix "/nix/" "/nix/store") (lib.removePrefix "x" "abc") ]', expected: ['store', 'abc'] },
  { name: 'removeSuffix', expr: '[ (lib.removeSuffix ".nix" "default.nix") (lib.removeSuffix "x" "abc") ]', expected: ['default', 'abc'] },
  { name: 'splitString', expr: 'lib.splitString "." "a.b..c"', expected: ['a', 'b', '', 'c'] },
  { name: 'splitString with a regex character', expr: 'lib.splitString "|" "a|b"', expected: ['a', 'b'] },
  { name: 'splitString keeps context', expr: 'builtins.hasContext (builtins.head (lib.splitString "/" "${pkgs.hello}/bin"))', expected: true },
  { name: 'toUpper/toLower', expr: '[ (lib.toUpper "abC1") (lib.toLower "ABc1") ]', expected: ['ABC1', 'abc1'] },
  { name: 'escapeShellArg plain word', expr: 'lib.escapeShellArg "/nix/store/abc-x_1.2+3:4@5%"', expected: '/nix/store/abc-x_1.2+3:4@5%' },
  { name: 'escapeShellArg quotes', expr: 'lib.escapeShellArg "it\'s here"', expected: "'it'\\''s here'" },
  { name: 'escapeShellArg empty', expr: 'lib.escapeShellArg ""', expected: "''" },
  { name: 'escapeShellArg of an int', expr: 'lib.escapeShellArg 42', expected: '42' },
  { name: 'escapeShellArgs', expr: 'lib.escapeShellArgs [ "a" "b c" ]', expected: "a 'b c'" },
  { name: 'escape', expr: 'lib.escape [ "=" ] "a=b"', expected: 'a\\=b' },
  { name: 'escapeNixString', expr: 'lib.strings.escapeNixString "a\\"\\${b}"', expected: '"a\\"\\${b}"' },
  { name: 'stringToCharacters', expr: 'lib.stringToCharacters "abc"', expected: ['a', 'b', 'c'] },
  { name: 'makeBinPath', expr: 'lib.makeBinPath [ "/a" "/b" ]', expected: '/a/bin:/b/bin' },
  { name: 'makeBinPath picks the bin output', expr: 'lib.makeBinPath [ pkgs.multiOutputDemo ] == "${pkgs.multiOutputDemo.bin}/bin"', expected: true },
  { name: 'makeLibraryPath picks the lib output', expr: 'lib.makeLibraryPath [ pkgs.multiOutputDemo pkgs.libdemo ] == "${pkgs.multiOutputDemo.lib}/lib:${pkgs.libdemo.out}/lib"', expected: true },
  { name: 'versionOlder/versionAtLeast', expr: '[ (lib.versionOlder "1.2" "1.10") (lib.versionAtLeast "2.0" "2.0") (lib.versionAtLeast lib.version "23.11") ]', expected: [true, true, true] },
  { name: 'getName/getVersion', expr: '[ (lib.getName "hello-2.12.1") (lib.getVersion "hello-2.12.1") (lib.getName pkgs.hello) (lib.getVersion pkgs.hello) ]', expected: ['hello', '2.12.1', 'hello', '1.0'] },
  { name: 'trim', expr: 'lib.strings.trim "  a b \\n"', expected: 'a b' },
  { name: 'toInt', expr: '[ (lib.toInt "42") (lib.toInt " -7 ") (lib.toInt "010") ]', expected: [42, -7, 10] },
  { name: 'fixedWidthNumber', expr: 'lib.fixedWidthNumber 3 7', expected: '007' },
  { name: 'isStorePath', expr: '[ (lib.isStorePath "${pkgs.hello}") (lib.isStorePath "${pkgs.hello}/bin") (lib.isStorePath "/tmp") ]', expected: [true, false, false] },

  // attrsets
  { name: 'optionalAttrs', expr: '[ (lib.optionalAttrs true { a = 1; }) (lib.optionalAttrs false { a = 1; }) ]', expected: [{ a: 1 }, {}] },
  { name: 'filterAttrs', expr: 'lib.filterAttrs (n: v: v != null) { a = 1; b = null; c = 3; }', expected: { a: 1, c: 3 } },
  { name: 'mapAttrs', expr: 'lib.mapAttrs (n: v: n + v) { a = "1"; b = "2"; }', expected: { a: 'a1', b: 'b2' } },
  { name: "mapAttrs'", expr: 'lib.mapAttrs\' (n: v: lib.nameValuePair "x-${n}" (v * 2)) { a = 1; b = 2; }', expected: { 'x-a': 2, 'x-b': 4 } },
  { name: 'mapAttrsToList sorted by name', expr: 'lib.mapAttrsToList (n: v: "${n}=${v}") { b = "2"; a = "1"; }', expected: ['a=1', 'b=2'] },
  { name: 'attrNames/attrValues', expr: '[ (lib.attrNames { b = 1; a = 2; }) (lib.attrValues { b = 1; a = 2; }) ]', expected: [['a', 'b'], [2, 1]] },
  { name: 'genAttrs', expr: 'lib.genAttrs [ "x" "y" ] (n: "v-${n}")', expected: { x: 'v-x', y: 'v-y' } },
  { name: 'listToAttrs later entries lose', expr: 'lib.listToAttrs [ (lib.nameValuePair "a" 1) (lib.nameValuePair "a" 2) ]', expected: { a: 1 } },
  { name: 'nameValuePair', expr: 'lib.nameValuePair "n" 1', expected: { name: 'n', value: 1 } },
  { name: 'recursiveUpdate', expr: 'lib.recursiveUpdate { a = { b = 1; c = 2; }; d = 1; } { a = { b = 3; }; d = { e = 1; }; }', expected: { a: { b: 3, c: 2 }, d: { e: 1 } } },
  { name: 'recursiveUpdate set over scalar', expr: 'lib.recursiveUpdate { a = 1; } { a.b = 2; }', expected: { a: { b: 2 } } },
  { name: 'attrByPath/hasAttrByPath/setAttrByPath', expr: '[ (lib.attrByPath [ "a" "b" ] 0 { a.b = 5; }) (lib.attrByPath [ "a" "x" ] 0 { a.b = 5; }) (lib.hasAttrByPath [ "a" "b" ] { a.b = 1; }) (lib.setAttrByPath [ "a" "b" ] 1) ]', expected: [5, 0, true, { a: { b: 1 } }] },
  { name: 'zipAttrsWith', expr: 'lib.zipAttrsWith (n: vs: vs) [ { a = 1; } { a = 2; b = 3; } ]', expected: { a: [1, 2], b: [3] } },
  { name: 'collect', expr: 'lib.collect builtins.isInt { a = 1; b = { c = 2; }; d = "x"; }', expected: [1, 2] },
  { name: 'attrsToList', expr: 'lib.attrsToList { b = 2; a = 1; }', expected: [{ name: 'a', value: 1 }, { name: 'b', value: 2 }] },
  { name: 'isDerivation', expr: '[ (lib.isDerivation pkgs.hello) (lib.isDerivation { }) ]', expected: [true, false] },

  // outputs and getExe
  { name: 'getExe with mainProgram', expr: 'lib.getExe pkgs.hello == "${pkgs.hello}/bin/hello"', expected: true },
  { name: 'getExe of a multi-output package uses bin', expr: 'lib.getExe pkgs.multiOutputDemo == "${pkgs.multiOutputDemo.bin}/bin/multi-output-demo"', expected: true },
  { name: 'getExe of writeShellScriptBin', expr: 'lib.getExe (pkgs.writeShellScriptBin "tool" "true") == "${pkgs.writeShellScriptBin "tool" "true"}/bin/tool"', expected: true },
  { name: 'getExe of writeScriptBin (mainProgram from destination)', expr: '(pkgs.writeScriptBin "s" "").meta.mainProgram', expected: 's' },
  { name: 'getExe falls back to pname', expr: 'let d = pkgs.runCommand "pkg-9.1" { pname = "pkg"; version = "9.1"; } "touch $out"; in lib.getExe d == "${d}/bin/pkg"', expected: true },
  { name: 'getExe falls back to the parsed name', expr: 'let d = pkgs.runCommand "tool-2.0" { } "touch $out"; in lib.getExe d == "${d}/bin/tool"', expected: true },
  { name: "getExe'", expr: 'lib.getExe\' pkgs.bash "sh" == "${pkgs.bash}/bin/sh"', expected: true },
  { name: 'getBin/getOutput/getDev/getLib', expr: '[ (lib.getBin pkgs.multiOutputDemo == pkgs.multiOutputDemo.bin) (lib.getOutput "dev" pkgs.multiOutputDemo == pkgs.multiOutputDemo.dev) (lib.getDev pkgs.hello == pkgs.hello.out) (lib.getLib pkgs.libdemo == pkgs.libdemo.out) ]', expected: [true, true, true, true] },
  { name: 'getOutput honours outputSpecified', expr: 'lib.getBin pkgs.multiOutputDemo.dev == pkgs.multiOutputDemo.dev', expected: true },
  { name: 'getOutput of a plain string', expr: 'lib.getBin "/usr"', expected: '/usr' },

  // generators
  { name: 'toKeyValue sorts and drops quotes', expr: 'lib.generators.toKeyValue { } { PORTABLE_ID = "demo"; ID = "nixos"; N = 3; B = true; F = false; Z = null; }', expected: 'B=true\nF=false\nID=nixos\nN=3\nPORTABLE_ID=demo\nZ=null\n' },
  { name: 'toKeyValue escapes the separator in keys', expr: 'lib.generators.toKeyValue { } { "a=b" = "c=d"; }', expected: 'a\\=b=c=d\n' },
  { name: 'toKeyValue of a derivation', expr: 'lib.generators.toKeyValue { } { P = pkgs.hello; } == "P=${pkgs.hello}\\n"', expected: true },
  { name: 'toKeyValue with a custom separator', expr: 'lib.generators.toKeyValue { mkKeyValue = lib.generators.mkKeyValueDefault { } " = "; } { a = 1; }', expected: 'a = 1\n' },
  { name: 'toKeyValue with lists as duplicate keys', expr: 'lib.generators.toKeyValue { listsAsDuplicateKeys = true; } { a = [ 1 2 ]; b = 3; }', expected: 'a=1\na=2\nb=3\n' },
  { name: 'toKeyValue indent', expr: 'lib.generators.toKeyValue { indent = "  "; } { a = 1; }', expected: '  a=1\n' },
  { name: 'toINI', expr: 'lib.generators.toINI { } { main = { a = 1; b = "x"; }; other = { c = true; }; }', expected: '[main]\na=1\nb=x\n\n[other]\nc=true\n' },
  { name: 'generators.toJSON', expr: 'lib.generators.toJSON { } { a = [ 1 ]; }', expected: '{"a":[1]}' },

  // versions
  { name: 'versions', expr: 'with lib.versions; [ (major "1.2.3") (minor "1.2.3") (patch "1.2.3") (majorMinor "1.2.3") (majorMinor "4") (pad 3 "1.2") (pad 2 "1.2.3-rc1") (splitVersion "1.2a") ]', expected: ['1', '2', '3', '1.2', '4', '1.2.0', '1.2-rc1', ['1', '2', 'a']] },

  // trivial and fixed points
  { name: 'id/const/flip/pipe', expr: '[ (lib.id 1) (lib.const 1 2) (lib.flip lib.const 1 2) (lib.pipe 2 [ (x: x + 1) (x: x * 10) ]) ]', expected: [1, 1, 2, 30] },
  { name: 'defaultTo/boolToString/mod/min/max', expr: '[ (lib.defaultTo 1 null) (lib.defaultTo 1 2) (lib.boolToString true) (lib.mod 7 3) (lib.min 1 2) (lib.max 1 2) ]', expected: [1, 2, 'true', 1, 1, 2] },
  { name: 'fix', expr: '(lib.fix (self: { a = 1; b = self.a + 1; })).b', expected: 2 },
  { name: 'extends', expr: 'lib.fix (lib.extends (final: prev: { b = prev.b * 10; c = final.b; }) (self: { a = 1; b = self.a + 1; }))', expected: { a: 1, b: 20, c: 20 } },
  { name: 'composeManyExtensions', expr: 'lib.fix (lib.extends (lib.composeManyExtensions [ (f: p: { x = p.x + "b"; }) (f: p: { x = p.x + "c"; }) ]) (self: { x = "a"; }))', expected: { x: 'abc' } },
  { name: 'makeExtensible', expr: '((lib.makeExtensible (self: { a = 1; b = self.a; })).extend (f: p: { a = 5; })).b', expected: 5 },
  { name: 'assertMsg true', expr: 'lib.assertMsg true "never"', expected: true },
  { name: 'isFunction sees functors', expr: '[ (lib.isFunction (x: x)) (lib.isFunction { __functor = self: x: x; }) (lib.isFunction 1) ]', expected: [true, true, false] },
  { name: 'functionArgs', expr: 'lib.functionArgs ({ a, b ? 1 }: a)', expected: { a: false, b: true } },
  { name: 'fakeHash', expr: 'lib.fakeHash', expected: 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' },

  // the less common helpers
  { name: 'concatImapStringsSep', expr: 'lib.concatImapStringsSep "-" (i: x: x + toString i) [ "a" "b" ]', expected: 'a1-b2' },
  { name: 'intersperse', expr: 'lib.intersperse "/" [ "a" "b" "c" ]', expected: ['a', '/', 'b', '/', 'c'] },
  { name: 'fixedWidthString', expr: 'lib.fixedWidthString 5 "0" "15"', expected: '00015' },
  { name: 'stringAsChars', expr: 'lib.stringAsChars (c: if c == "a" then "A" else c) "banana"', expected: 'bAnAnA' },
  { name: 'escapeRegex', expr: 'lib.escapeRegex "a.b*"', expected: 'a\\.b\\*' },
  { name: 'trimWith', expr: '[ (lib.strings.trimWith { start = true; } "  a  ") (lib.strings.trimWith { end = true; } "  a  ") ]', expected: ['a  ', '  a'] },
  { name: 'nameFromURL', expr: 'lib.nameFromURL "https://x.org/foo-1.2.tar.gz" "-"', expected: 'foo' },
  { name: 'enableFeature/withFeature', expr: '[ (lib.enableFeature true "x") (lib.withFeature false "y") ]', expected: ['--enable-x', '--without-y'] },
  { name: 'fileContents drops the final newline', expr: 'lib.fileContents ./files/part1.conf', expected: '[Unit]\nDescription=part one' },
  { name: 'filterAttrsRecursive', expr: 'lib.filterAttrsRecursive (n: v: v != null) { a = { b = null; c = 1; }; d = null; }', expected: { a: { c: 1 } } },
  { name: 'mapAttrsRecursive', expr: 'lib.mapAttrsRecursive (path: v: lib.concatStringsSep "." path) { a = { b = 1; }; c = 2; }', expected: { a: { b: 'a.b' }, c: 'c' } },
  { name: 'mapAttrsRecursiveCond', expr: 'lib.mapAttrsRecursiveCond (as: !(as ? stop)) (path: v: builtins.length path) { a = { stop = 1; }; b.c = 0; }', expected: { a: 1, b: { c: 2 } } },
  { name: 'concatMapAttrs', expr: 'lib.concatMapAttrs (n: v: { "${n}1" = v; "${n}2" = v; }) { a = 1; }', expected: { a1: 1, a2: 1 } },
  { name: 'foldAttrs', expr: 'lib.foldAttrs (item: acc: [ item ] ++ acc) [ ] [ { a = 2; } { a = 3; b = 1; } ]', expected: { a: [2, 3], b: [1] } },
  { name: 'getAttrFromPath', expr: 'lib.getAttrFromPath [ "a" "b" ] { a.b = 1; }', expected: 1 },
  { name: 'zipAttrs', expr: 'lib.zipAttrs [ { a = 1; } { a = 2; } ]', expected: { a: [1, 2] } },
  { name: 'unionOfDisjoint', expr: '[ (lib.unionOfDisjoint { a = 1; } { b = 2; }) (lib.unionOfDisjoint { a = 1; } { a = 2; b = 3; }).b ]', expected: [{ a: 1, b: 2 }, 3] },
  { name: 'toPretty', expr: 'lib.generators.toPretty { } { a = [ 1 "x" ]; "b-c" = "l1\nl2"; f = { x, y ? 1 }: x; d = null; e = { }; g = [ ]; }', expected: '{\n  a = [\n    1\n    "x"\n  ];\n  b-c = \'\'\n    l1\n    l2\'\';\n  d = null;\n  e = { };\n  f = <function, args: {x, y?}>;\n  g = [ ];\n}' },
  { name: 'toPretty on one line', expr: 'lib.generators.toPretty { multiline = false; } [ 1 { a = 2; } "q\\"" (x: x) pkgs.hello ]', expected: '[ 1 { a = 2; } "q\\"" <function> <derivation hello-1.0> ]' },
  { name: 'getFirstOutput', expr: 'lib.getFirstOutput [ "lib" "out" ] pkgs.multiOutputDemo == pkgs.multiOutputDemo.lib', expected: true },
  { name: 'recurseIntoAttrs', expr: 'lib.recurseIntoAttrs { a = 1; }', expected: { a: 1, recurseForDerivations: true } },
  { name: 'lowPrio/hiPrio/setName', expr: '[ (lib.lowPrio pkgs.hello).meta.priority (lib.hiPrio pkgs.hello).meta.priority (lib.setName "x" { name = "y"; }).name ]', expected: [10, -10, 'x'] },
  { name: 'getLicenseFromSpdxId', expr: '(lib.getLicenseFromSpdxId "MIT").shortName', expected: 'mit' },
  { name: 'findSingle', expr: '[ (lib.findSingle (x: x == 3) "none" "multiple" [ 1 3 3 ]) (lib.findSingle (x: x == 3) "none" "multiple" [ 1 ]) (lib.findSingle (x: x == 3) "none" "multiple" [ 1 3 ]) ]', expected: ['multiple', 'none', 3] },
  { name: 'replicate', expr: 'lib.replicate 3 "a"', expected: ['a', 'a', 'a'] },
  { name: 'mutuallyExclusive', expr: '[ (lib.mutuallyExclusive [ 1 2 ] [ 3 4 ]) (lib.mutuallyExclusive [ 1 2 ] [ 2 ]) ]', expected: [true, false] },
  { name: 'zipLists', expr: 'lib.zipLists [ 1 2 ] [ "a" "b" ]', expected: [{ fst: 1, snd: 'a' }, { fst: 2, snd: 'b' }] },
  { name: 'compareLists', expr: '[ (lib.compareLists lib.compare [ 1 2 ] [ 1 3 ]) (lib.compareLists lib.compare [ ] [ ]) (lib.compareLists lib.compare [ 1 ] [ ]) ]', expected: [-1, 0, 1] },
  { name: 'allUnique', expr: '[ (lib.allUnique [ 1 2 1 ]) (lib.allUnique [ 1 2 ]) ]', expected: [false, true] },
  { name: 'ifilter0', expr: 'lib.ifilter0 (i: v: i == 0 || v > 2) [ 1 2 3 ]', expected: [1, 3] },
  { name: 'singleton/concat/xor', expr: '[ (lib.singleton 1) (lib.concat [ 1 ] [ 2 ]) (lib.xor true false) (lib.xor true true) ]', expected: [[1], [1, 2], true, false] },
  { name: 'throwIf/warnIf/toFunction when quiet', expr: '[ (lib.throwIf false "x" 1) (lib.warnIf false "x" 2) (lib.toFunction 1 2) ((lib.toFunction (x: x + 1)) 2) ]', expected: [1, 2, 1, 3] },
  { name: 'setFunctionArgs', expr: 'lib.functionArgs (lib.setFunctionArgs (x: x) { a = false; })', expected: { a: false } },
  { name: "fix'", expr: '(lib.fix\' (self: { a = 1; })) ? __unfix__', expected: true },
  { name: 'composeExtensions', expr: 'lib.fix (lib.extends (lib.composeExtensions (f: p: { x = p.x + 1; }) (f: p: { x = p.x * 10; })) (self: { x = 1; }))', expected: { x: 20 } },
  { name: 'makeScope', expr: '(lib.makeScope lib.callPackageWith (self: { a = 1; b = self.callPackage ({ a }: a + 1) { }; })).b', expected: 2 },
  { name: 'callPackagesWith', expr: 'lib.callPackagesWith { a = 1; } ({ a, b ? 2 }: a + b) { }', expected: 3 },
  { name: 'assertOneOf', expr: 'lib.assertOneOf "x" "a" [ "a" "b" ]', expected: true },
  { name: 'toYAML', expr: 'lib.generators.toYAML { } { a = 1; }', expected: '{"a":1}' },
  { name: 'mkValueStringDefault of a float', expr: 'lib.generators.mkValueStringDefault { } 1.5', expected: '1.500000' },
  { name: 'overrideDerivation', expr: '(lib.overrideDerivation pkgs.hello (old: { name = "hello-renamed"; })).name', expected: 'hello-renamed' },

  // sub-sets, licenses, the lib seen two ways
  { name: 'sub-sets hold the same functions', expr: '[ (lib.strings.hasPrefix "a" "ab") (lib.lists.flatten [ [ 1 ] ]) (lib.attrsets.getBin "/x") (lib.trivial.id 3) (lib.meta.getExe pkgs.hello == lib.getExe pkgs.hello) ]', expected: [true, [1], '/x', 3, true] },
  { name: 'licenses', expr: '[ lib.licenses.mit.spdxId lib.licenses.gpl3Plus.spdxId lib.licenses.unfree.free ]', expected: ['MIT', 'GPL-3.0-or-later', false] },
  { name: 'platforms', expr: 'builtins.elem "x86_64-linux" lib.platforms.linux', expected: true },
  { name: 'pkgs.lib is <nixpkgs/lib>', expr: 'builtins.attrNames pkgs.lib == builtins.attrNames (import <nixpkgs/lib>)', expected: true },
  { name: 'callPackageWith and override', expr: 'let f = { a, b ? 2 }: { sum = a + b; }; r = lib.callPackageWith { a = 1; b = 5; c = 9; } f { }; in [ r.sum (r.override { a = 10; }).sum (r.override (old: { b = old.b * 2; })).sum ]', expected: [6, 15, 11] },
];

describe('the stand-in lib, evaluated by Nix', () => {
  let results: Record<string, unknown>;

  beforeAll(async () => {
    const body = cases.map((c, i) => `"${i}" = (${c.expr});`).join('\n');
    results = (await evalJson(
      `let lib = import <nixpkgs/lib>; pkgs = import <nixpkgs> { }; in {\n${body}\n}`,
    )) as Record<string, unknown>;
  });

  test.each(cases.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    expect(results[String(i)]).toEqual(cases[i]!.expected);
  });
});

describe('lib errors, as nixpkgs words them', () => {
  test('assertOneOf names the allowed values', async () => {
    const { stderr } = await evalFailure('(import <nixpkgs/lib>).assertOneOf "color" "red" [ "blue" ]');
    // Nix indents the continuation lines of a message.
    expect(stderr).toMatch(/color must be one of \[\n\s+"blue"\n\s+\], but is: "red"/);
  });

  test('fixedWidthString refuses a string longer than the width', async () => {
    const { stderr } = await evalFailure('(import <nixpkgs/lib>).fixedWidthString 1 "0" "123"');
    expect(stderr).toContain('fixedWidthString: requested string length (1) must not be shorter than actual length (3)');
  });

  test('unionOfDisjoint names the collision when the attribute is read', async () => {
    const { stderr } = await evalFailure('((import <nixpkgs/lib>).unionOfDisjoint { a = 1; b = 1; } { a = 2; b = 2; c = 3; }).a');
    expect(stderr).toContain('unionOfDisjoint: collision on a; complete list: a b');
  });

  test('assertMsg throws its message', async () => {
    const { stderr } = await evalFailure('let lib = import <nixpkgs/lib>; in assert lib.assertMsg false "the reason"; 1');
    expect(stderr).toContain('the reason');
  });

  test("getExe' rejects a nested path", async () => {
    const { stderr } = await evalFailure('let pkgs = import <nixpkgs> { }; in pkgs.lib.getExe\' pkgs.hello "bin/hello"');
    expect(stderr).toContain('is a nested path with a "/" character');
  });

  test('mkValueStringDefault refuses lists', async () => {
    const { stderr } = await evalFailure('(import <nixpkgs/lib>).generators.toKeyValue { } { a = [ 1 ]; }');
    expect(stderr).toMatch(/generators\.mkValueStringDefault: lists not supported: \[\n\s+1\n\s+\]/);
  });

  test('getExe without mainProgram warns', async () => {
    const { stderr } = await evalFailure(
      'let pkgs = import <nixpkgs> { }; d = pkgs.runCommand "tool-2.0" { } "touch $out"; in builtins.seq (pkgs.lib.getExe d) (throw "done")',
    );
    // meta.name ("tool-2.0") is what nixpkgs names, quoted as it is no identifier.
    expect(stderr).toContain('warning: getExe: package "tool-2.0" has no meta.mainProgram');
  });
});
