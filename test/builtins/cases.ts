/**
 * Expressions exercising each builtin, grouped by family. Each must evaluate
 * (no error) in both Debian's Nix 2.8 and current Nix to the same JSON, so
 * they are compared with `nix-instantiate --eval --strict --json`. Builtins
 * Nix 2.8 lacks or where current Nix changed behaviour are tested in
 * current.test.ts against current Nix's documented results instead.
 * `FIXTURE` is replaced by a directory the test creates (see fixture.ts).
 * A lone surrogate U+DC80–U+DCFF in a case is a byte that is not UTF-8
 * (src/eval/value/bytes.ts); results must be UTF-8 to be JSON (test/eval's
 * cases compare the printed form, which carries any byte).
 */
export const CASES: Record<string, string[]> = {
  types: [
    'map builtins.typeOf [ null true 1 1.5 "s" /x [ ] { } (x: x) builtins.map (builtins.add 1) ]',
    '[ (builtins.isNull null) (isNull 1) (builtins.isFunction builtins.map) (builtins.isFunction { __functor = s: x: x; }) ]',
    '[ (builtins.isInt 1) (builtins.isInt 1.0) (builtins.isFloat 1.0) (builtins.isString "x") (builtins.isString /x) ]',
    '[ (builtins.isBool false) (builtins.isPath /x) (builtins.isPath "/x") (builtins.isAttrs { }) (builtins.isList [ ]) ]',
  ],
  math: [
    '[ (builtins.add 1 2) (builtins.add 1 2.5) (builtins.sub 10 3) (builtins.sub 1.5 1) (builtins.mul 6 7) (builtins.mul 2 0.5) ]',
    '[ (builtins.div 7 2) (builtins.div (-7) 2) (builtins.div 7.0 2) (builtins.div 1 4.0) ]',
    '[ (builtins.bitAnd 12 10) (builtins.bitOr 12 10) (builtins.bitXor 12 10) (builtins.bitAnd (-1) 255) ]',
    '[ (builtins.lessThan 1 2) (builtins.lessThan "b" "a") (builtins.lessThan [ 1 2 ] [ 1 3 ]) (builtins.lessThan 1.5 2) ]',
    '[ (builtins.ceil 1.2) (builtins.floor 1.8) (builtins.ceil (-1.2)) (builtins.floor (-1.2)) (builtins.floor 3) ]',
    'builtins.add 9007199254740991 9007199254740991',
    'builtins.mul 3037000499 3037000499',
  ],
  strings: [
    '[ (toString 1) (toString true) (toString false) (toString null) (toString [ 1 [ ] "a" [ 2 ] ]) (toString 1.5) (toString /a/b) ]',
    'toString { __toString = self: "x${self.y}"; y = "z"; }',
    'toString { outPath = "/nix/store/x"; }',
    '[ (builtins.substring 0 3 "hello") (builtins.substring 3 100 "hello") (builtins.substring 10 2 "hello") (builtins.substring 1 (-1) "hello") ]',
    '[ (builtins.substring 0 2 "é") (builtins.substring 1 2 "aéb") (builtins.substring 0 0 "x") (builtins.substring 1 4 "a😀") ]',
    '[ (builtins.stringLength "hello") (builtins.stringLength "é✓") (builtins.stringLength "") ]',
    '[ (builtins.stringLength "\udce9") (builtins.stringLength "é\udcff😀") (builtins.stringLength (builtins.replaceStrings [ "" ] [ "" ] "é")) ]',
    '[ ("\udce9" < "é") ("é" < "\udcff") ("\uffff" < "\udcff") ("😀" < "\uffff") (builtins.substring 0 1 "é" + builtins.substring 1 1 "é" == "é") ]',
    'builtins.concatStringsSep ", " [ "a" "b" "c" ]',
    'builtins.concatStringsSep "" [ ]',
    'builtins.replaceStrings [ "a" "b" ] [ "b" "a" ] "aabbab"',
    'builtins.replaceStrings [ "" ] [ "-" ] "abc"',
    'builtins.replaceStrings [ "" "a" ] [ "X" "Y" ] "ab"',
    'builtins.replaceStrings [ "oo" "o" ] [ "0" "1" ] "foooo"',
    'builtins.replaceStrings [ ] [ ] "same"',
    // The first string listed wins where several start; regular-expression characters are text; a list used twice.
    'let f = builtins.replaceStrings [ "a" "ab" "." "\\\\" "(" "$" ] [ "X" "Y" "D" "B" "P" "S" ]; in [ (f "aab.ab\\\\(c$") (f "ab") (f "") (f "zz") ]',
    '[ (builtins.replaceStrings [ "x" ] [ "y" ] "éxx") (builtins.replaceStrings [ "é" "e" ] [ "e" "E" ] "café e") ]',
    '[ (baseNameOf "/a/b/c") (baseNameOf "/a/b/") (baseNameOf "c") (baseNameOf /a/b) (baseNameOf "") ]',
    '[ (dirOf "/a/b/c") (dirOf "a") (dirOf "/a") (dirOf "a/b") (toString (dirOf /a/b)) (toString (dirOf /a)) ]',
  ],
  lists: [
    'map (x: x * 2) [ 1 2 3 ]',
    'builtins.length (map (x: throw "lazy") [ 1 2 ])',
    'builtins.filter (x: x > 1) [ 1 2 3 0 5 ]',
    '[ (builtins.elem 2 [ 1 2 ]) (builtins.elem 3 [ 1 2 ]) (builtins.elem [ 1 ] [ [ 1 ] ]) ]',
    '[ (builtins.elemAt [ 1 2 3 ] 1) (builtins.head [ "a" "b" ]) (builtins.tail [ 1 2 3 ]) (builtins.length [ 1 2 ]) ]',
    'builtins.concatLists [ [ 1 ] [ ] [ 2 3 ] ]',
    'builtins.concatMap (x: [ x x ]) [ 1 2 ]',
    'builtins.foldl\' (acc: x: acc + x) 0 (builtins.genList (x: x) 100000)',
    'builtins.foldl\' (acc: x: [ x ] ++ acc) [ ] [ 1 2 3 ]',
    '[ (builtins.any (x: x > 2) [ 1 3 ]) (builtins.any (x: x) [ ]) (builtins.all (x: x > 0) [ 1 2 ]) (builtins.all (x: x) [ ]) ]',
    'builtins.genList (i: i * i) 5',
    'builtins.sort builtins.lessThan [ 3 1 2 10 (-1) ]',
    'builtins.sort (a: b: a.k < b.k) [ { k = 2; v = "a"; } { k = 1; v = "b"; } { k = 2; v = "c"; } { k = 1; v = "d"; } ]',
    'builtins.sort (a: b: a > b) [ "b" "c" "a" ]',
    'builtins.partition (x: x > 2) [ 1 2 3 4 ]',
    'builtins.groupBy (x: if x > 2 then "big" else "small") [ 1 2 3 4 ]',
    'builtins.genericClosure { startSet = [ { key = 1; } ]; operator = x: if x.key < 5 then [ { key = x.key + 1; } { key = x.key; } ] else [ ]; }',
    'builtins.genericClosure { startSet = [ { key = "a"; v = 1; } { key = "a"; v = 2; } ]; operator = x: [ ]; }',
    'builtins.genericClosure { startSet = [ { key = [ 1 2 ]; } ]; operator = x: [ { key = [ 1 2 ]; } { key = [ 1 3 ]; } ]; }',
  ],
  attrs: [
    'builtins.attrNames { b = 1; a = 2; "A" = 3; "é" = 4; "_" = 5; }',
    'builtins.attrValues { b = 1; a = 2; }',
    '[ (builtins.getAttr "a" { a = 1; }) (builtins.hasAttr "a" { a = 1; }) (builtins.hasAttr "b" { a = 1; }) ]',
    'removeAttrs { a = 1; b = 2; c = 3; } [ "a" "c" "z" ]',
    // Names in byte order through removeAttrs, mapAttrs and `//` (sorted names kept or shared along the way).
    'let s = { b = 1; "é" = 2; a = 3; "Z" = 4; "\u00ff" = 5; "\u4e00" = 6; }; t = s // { "😀" = 7; "\uffff" = 8; }; in [ (builtins.attrNames t) (builtins.attrNames (removeAttrs t [ "a" ])) (builtins.attrNames (removeAttrs s [ "b" "x" ])) (builtins.attrNames (builtins.mapAttrs (n: v: n) s)) (builtins.attrNames (s // { c = 1; })) (removeAttrs s [ "a" ] == removeAttrs s [ "a" "q" ]) ]',
    'let n = "a"; s = { a = 1; }; in [ (s.${n} or 2) (s.${"b"} or 3) (s ? ${n}) (s ? ${"b"}) (1 ? ${n}) (s.a or 4) ]',
    'builtins.listToAttrs [ { name = "a"; value = 1; } { name = "b"; value = 2; } { name = "a"; value = 3; } ]',
    'builtins.intersectAttrs { a = 0; b = 0; } { b = 1; c = 2; }',
    'builtins.catAttrs "a" [ { a = 1; } { b = 2; } { a = 3; } ]',
    'builtins.mapAttrs (name: value: name + toString value) { x = 1; y = 2; }',
    'builtins.zipAttrsWith (name: values: values) [ { a = 1; } { a = 2; b = 3; } ]',
    'builtins.functionArgs ({ a, b ? 1, ... }: a)',
    '[ (builtins.functionArgs (x: x)) (builtins.functionArgs builtins.map) ]',
    'builtins.unsafeGetAttrPos "x" { y = 1; }',
  ],
  control: [
    'builtins.tryEval (throw "x")',
    'builtins.tryEval (assert false; 1)',
    'builtins.tryEval 42',
    '(builtins.tryEval { a = throw "deep is not forced"; }).success',
    'builtins.seq 1 2',
    'builtins.deepSeq [ 1 { a = 2; } ] "ok"',
    'builtins.addErrorContext "ctx" 5',
    'builtins.trace "to stderr" 7',
  ],
  regex: [
    'builtins.match "([a-z]+)-([0-9.]+)" "hello-1.2.3"',
    'builtins.match "[[:space:]]*" "  \\t"',
    'builtins.match "ab" "xaby"',
    'builtins.split "(,)|;" "a,b;c"',
    'builtins.split "x" "none"',
    // Nix matches UTF-8 bytes: "." is one byte, a bracket with "é" holds its two bytes.
    '[ (builtins.match "(.)" "é") (builtins.match "(..)" "é") (builtins.match "[é]+" "éé") (builtins.match "(.*)ü(.*)" "äüö") ]',
    'builtins.split "é" "aébéc"',
    '[ (builtins.match "\udce9(.)" "\udce9a") (builtins.match "[\udce9-\udcff]+(.*)" "\udcf0\udce9ab") (builtins.split "\udcff" "a\udcffb") ]',
  ],
  versions: [
    'builtins.compareVersions "1.2.3" "1.2.10"',
    'builtins.splitVersion "1.2.3pre4-rc1"',
    'builtins.parseDrvName "hello-2.10"',
  ],
  hash: [
    'map (a: builtins.hashString a "abc") [ "md5" "sha1" "sha256" "sha512" ]',
    'builtins.hashFile "sha256" FIXTURE/file.txt',
    'map (a: builtins.hashString a "\udce9é\udcff") [ "md5" "sha1" "sha256" "sha512" ]',
    'builtins.hashString "sha256" (builtins.readFile FIXTURE/bytes/a.bin) == builtins.hashFile "sha256" FIXTURE/bytes/a.bin',
  ],
  json: [
    'builtins.toJSON { a = [ 1 "two" true null { } ]; b."c d" = "e\\nf"; }',
    'builtins.toJSON { __toString = self: "str"; }',
    'builtins.toJSON { outPath = "/nix/store/x"; other = 1; }',
    'builtins.fromJSON "{\\"a\\": [1, 2.5, \\"x\\", null, true], \\"b\\": {}}"',
    'builtins.fromJSON "\\"\\\\u00e9\\\\n\\""',
  ],
  toml: [
    'builtins.fromTOML "a = 1\\n[b]\\nc = \\"d\\"\\n[[e]]\\nf = true"',
  ],
  context: [
    'builtins.hasContext "plain"',
    'builtins.getContext "plain"',
    'builtins.unsafeDiscardStringContext "plain"',
    'builtins.hasContext (builtins.appendContext "x" { })',
  ],
  fs: [
    'builtins.readFile FIXTURE/file.txt',
    'builtins.readDir FIXTURE',
    '[ (builtins.pathExists FIXTURE/file.txt) (builtins.pathExists FIXTURE/missing) (builtins.pathExists (toString FIXTURE + "/file.txt/")) ]',
    '[ (builtins.pathExists (toString FIXTURE + "/dir/")) (builtins.pathExists FIXTURE/dangling) ]',
    'builtins.toPath "/a//b/../c/"',
    'builtins.getEnv "H3_TEST_VAR"',
    'builtins.getEnv "H3_SURELY_UNSET_VARIABLE"',
    'toString (builtins.findFile [ { prefix = "fx"; path = toString FIXTURE; } ] "fx/file.txt")',
    // Contents and names that are not UTF-8 keep their bytes.
    'map builtins.stringLength (builtins.attrNames (builtins.readDir FIXTURE/bytes))',
    'builtins.attrValues (builtins.readDir FIXTURE/bytes)',
    'builtins.stringLength (builtins.readFile FIXTURE/bytes/a.bin)',
    '[ (builtins.readFile (FIXTURE/bytes + "/n\udce9")) (builtins.pathExists (FIXTURE/bytes + "/n\udce9")) ]',
  ],
  system: [
    'builtins.storeDir',
    'builtins.currentSystem',
    'builtins.placeholder "out"',
    'builtins.placeholder "dev"',
    'builtins.langVersion',
  ],
  xml: [
    'builtins.toXML { a = 1; b = [ "x" true null 1.5 ]; f = { x, y ? 1, ... }: x; g = z: z; }',
  ],
};
