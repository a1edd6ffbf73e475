/**
 * The differential cases of the evaluator: Nix expressions grouped by the
 * construct they exercise. `okCases` must evaluate without error in Nix 2.8
 * and current Nix alike (the harness compares the printed form and the JSON
 * form with the real nix-instantiate); `errorCases` name the message of
 * current Nix that tsportable follows (Nix 2.8's older wording is only
 * required to fail too). Each group is one construct of the language.
 *
 * Nix strings are bytes: in an expression, a lone surrogate U+DC80–U+DCFF
 * stands for a byte that is not UTF-8 (src/eval/value/bytes.ts), and the
 * harness hands Nix the bytes. `"\udce9"` is the one byte E9.
 */

export const okCases: Record<string, readonly string[]> = {
  literals: [
    '1', '0', '-5', '9223372036854775807', '(-9223372036854775807 - 1)', '1.5', '0.1', '.5', '1.0', '3.14159265',
    '123456789.0', '0.0001', '0.00001', '1.0e20', '2.5e-7', '"abc"', '""', '"a\\nb\\tc\\r\\\\d\\"e"', '"\\${x}"',
    '"$a $ {b}"', "''indented\n  text''", "''\n  a\n    b\n  c\n''", "''a''$b ''\\n x'''' y''", 'null', 'true', 'false',
    '"unicode é ∀ 😀"', '/tmp/a/../b', '/.', 'https://example.org/x?y=1', '[ ]', '{ }',
  ],
  arithmetic: [
    '1 + 2', '1 - 2', '2 * 3', '7 / 2', '(-7) / 2', '7 / (-2)', '1 + 2.5', '2.5 + 1', '1.5 * 2', '1 / 2.0', '-(3)',
    '- 2.5', '4611686018427387904 + 4611686018427387903', '3037000499 * 3037000499', '9007199254740993 - 2',
    '9007199254740992 + 1', '9007199254740993 * 1', '123456.7', '1234567.0', '0.000123456789', '0.0 - 0.0', '1.0e100',
    '99999.95', '999999.5', '0.1 * 3', '1.0 / 7', '-1.5e-10', '2.0 / 3 * 3', '(-7) / 2 * 2 + 7 - (-7) / 2 * 2',
    '3037000499 * 3037000499 - 1', '(-4611686018427387904) * 2', '9223372036854775807 / (-1)', '(-9223372036854775807) - 1',
    '4294967296 * 2147483647', '9007199254740993 / 3', '-9007199254740993 / 7', '1000000000000 * 1000000', '(9223372036854775807) / 3', '100 - 200 - 300',
    '2 * 3 + 4 * 5', '10 - -5', '1.0 - 0.9', '0.1 + 0.2', '1.0 / 3.0', '2.0 * 1.0e300 * 1.0e300 == 2.0 * 1.0e300 * 1.0e300',
  ],
  comparison: [
    '1 == 1', '1 == 1.0', '1 != 2', '"a" == "a"', '"a" < "b"', '"B" < "a"', '"ab" < "abc"', '1 < 2', '2 <= 2', '3 > 2',
    '2 >= 3', '1 < 1.5', '1.5 < 1', '[1 2] < [1 3]', '[1 2] < [1 2 0]', '[ ] < [ 1 ]', './a < ./b', '[1 2] == [1 2]',
    '[1 [2]] == [1 [2]]', '{ a = 1; } == { a = 1; }', '{ a = 1; } == { a = 1.0; }', '{ a = 1; } == { b = 1; }',
    '(x: x) == (x: x)', 'let f = x: x; in f == f', 'let f = x: x; in [ f ] == [ f ]', 'let f = x: x; in { a = f; } == { a = f; }',
    'null == null', 'null == false', 'true == true', '"a" == ./a', './a == ./a', '[] == {}',
    '{ type = "derivation"; outPath = "x"; a = 1; } == { type = "derivation"; outPath = "x"; a = 2; }',
    '"é" < "z"', '"😀" > "\uffff"', '9007199254740993 == 9007199254740992', '9007199254740993 > 9007199254740992',
  ],
  logic: [
    'true && false', 'true || false', 'false -> false', 'true -> false', '!true', '!false', 'false && throw "no"',
    'true || throw "no"', 'false -> throw "no"', '!(1 == 2)', 'true && true && false || true',
  ],
  strings: [
    '"a" + "b"', '"a${"b"}c"', '"${"x"}"', 'let x = "y"; in "a${x}b${x}"', '"x" + toString 1', 'toString 1.5',
    'toString true', 'toString false', 'toString null', 'toString [ 1 "a" [ ] 2 ]', 'toString [ [ ] [ ] 1 ]',
    'toString ./a', 'toString { outPath = "o"; }', 'toString { __toString = self: "s${self.x}"; x = "!"; }',
    '"${{ outPath = "p"; }}"', '"${{ __toString = _: "t"; }}"', 'toString (-3)', 'toString 9223372036854775807',
    'toString 1.0e20', 'toString 0.000001', "''\n  ${\"a\"}\n    b\n''", "''${\"x\"}''", '"a" + "\\n"',
    'builtins.stringLength "${"é"}"',
  ],
  bytes: [
    // Issue 14: lengths, offsets, replaceStrings' empty pattern and joins count bytes.
    'builtins.replaceStrings [ "" ] [ "-" ] "é"', 'builtins.stringLength (builtins.replaceStrings [ "" ] [ "-" ] "é")',
    'builtins.substring 1 1 "é"', 'builtins.substring 0 1 "é"', 'let s = "é"; in builtins.substring 0 1 s + builtins.substring 1 1 s == s',
    'let s = "é"; in "${builtins.substring 0 1 s}${builtins.substring 1 1 s}" == s',
    'let s = "😀"; in builtins.concatStringsSep "" (builtins.genList (i: builtins.substring i 1 s) 4) == s',
    'let s = "a€😀"; in builtins.genList (i: builtins.substring i 1 s) (builtins.stringLength s)',
    'let s = "é✓"; in builtins.substring 1 3 s', 'builtins.substring 1 (-1) "éa"', 'builtins.replaceStrings [ "" ] [ "." ] "a😀"',
    'builtins.replaceStrings [ "\udcc3" ] [ "x" ] "é"', 'builtins.replaceStrings [ "é" ] [ "\udce9" ] "aéb"',
    'builtins.replaceStrings [ "a" ] [ "\udcc3" ] "a\udca9" == "é"', 'builtins.replaceStrings [ "\udca9" "" ] [ "!" "-" ] "é"',
    'builtins.replaceStrings [ "\udca9b" ] [ "" ] "éb"',
    // Bytes that are not UTF-8, in the source and out of it.
    '"a\udce9b"', 'builtins.stringLength "\udce9\udcff"', '"\udcc3" + "\udca9" == "é"', '"\udcc3\\\udca9" == "é"',
    "''\udcc3''\\\udca9'' == \"é\"", '"${"\udcc3"}${"\udca9"}" == "é"', 'builtins.concatStringsSep "\udcc3" [ "a" "\udca9" ]',
    'toString [ "\udcc3" "\udca9" ]', 'builtins.stringLength "😀\udcff\udc80"', '{ "\udce9" = 1; "é" = 2; }',
    'builtins.hasAttr "é" { ${"\udcc3" + "\udca9"} = 1; }', '"\udce9\\n\\t${"$"}{x}"', '[ "\udcf0\udc9f" "\udc98\udc80" ]',
    'builtins.substring 0 2 "😀" + builtins.substring 2 2 "😀"', 'builtins.unsafeDiscardStringContext "\udce9"',
    // Order is by bytes: escaped bytes, BMP characters and surrogate pairs in every combination.
    '"\udce9" < "é"', '"\udc80" < "\u0100"', '"é" < "\udcff"', '"\uffff" < "\udcff"', '"😀" < "\udcf5"', '"\udcc3" < "é"',
    'builtins.sort builtins.lessThan [ "\udcff" "é" "a" "\udc80" "😀" "\uffff" "ÿ" "\udcc3" "\udcc3a" ]',
    'builtins.attrNames { "\udcff" = 1; "é" = 2; "\udc80" = 3; "😀" = 4; "\uffff" = 5; z = 6; "\udcc3" = 7; }',
    'builtins.lessThan "a\udce9" "a\udcea"',
    // Regular expressions match bytes.
    'builtins.match "(.)(.*)" "é"', 'builtins.match "\udce9(.*)" "\udce9x"', 'builtins.match "[\udce9]" "\udce9"',
    'builtins.split "\udcc3" "aéb"', 'builtins.split "(.)" "é"', 'builtins.match ".*(\udca9).*" "éé"',
    // Hashes, XML, JSON and versions of bytes.
    'builtins.hashString "sha256" "\udce9"', 'builtins.hashString "md5" "é\udcff"', 'builtins.toXML "a\udce9<"',
    'builtins.fromJSON (builtins.toJSON "é😀")',
    'builtins.parseDrvName "foo-\udce9-1.0"', 'builtins.splitVersion "1\udce9a2"', 'builtins.compareVersions "1\udce9" "1é"',
    'baseNameOf "/a/\udce9b"', 'dirOf "/\udce9/b"',
  ],
  paths: [
    './a', './a/b/../c', './a + "/b"', './a + "b"', '/x + ./y', './a/${"b"}', './${"b"}/c', '/a/${"b"}',
    '"${toString ./a}/x"', 'baseNameOf ./a/b.nix', 'builtins.typeOf ./.', './. + "/x/./y"', './a' + ' + "/"',
  ],
  lists: [
    '[ 1 2 3 ]', '[ 1 "a" null [ 2 ] { } ]', '[ 1 ] ++ [ 2 ]', '[ ] ++ [ ]', 'builtins.length ([ 1 ] ++ [ 2 3 ])',
    'builtins.elemAt [ 1 2 3 ] 1', 'map (x: x * 2) [ 1 2 3 ]', '[ (1 + 1) (x: x) ]',
    'let xs = [ x ]; x = 1; in xs', '[ [ ] [ [ ] ] ]', 'let a = { x = 1; }; in [ a a ]', 'let l = [ 1 ]; in { a = l; b = l; }',
    'let e = [ ]; in [ e e ]', 'let s = { }; in [ s s ]',
  ],
  attrs: [
    '{ a = 1; b = 2; }', '{ b = 1; a = 2; }', '{ a.b = 1; a.c = 2; }', '{ a.b.c = 1; }', '{ a = { b = 1; }; a.c = 2; }',
    'rec { a = 1; b = a + 1; }', 'rec { a = b; b = 2; }', '{ a = 1; }.a', '{ a.b = 1; }.a.b', '{ a = 1; }.b or 3',
    '{ a = 1; }.a.b or 4', '(1).a or 5', '{ a = 1; } ? a', '{ a = 1; } ? b', '{ a.b = 1; } ? a.b', '{ a.b = 1; } ? a.c',
    '1 ? a', '{ a = 1; } ? a.b', '{ a = 1; } // { b = 2; }', '{ a = 1; } // { a = 2; }', '{ } // { }',
    '{ ${"a" + "b"} = 1; }', '{ "a b" = 1; }', '{ "${"x"}" = 1; }', '{ ${null} = 1; b = 2; }', 'let n = "k"; in { ${n} = 1; }.${n}',
    '{ a = 1; }."a"', '{ a = 1; }.${"a"}', 'let x = 1; in { inherit x; }', 'let s = { x = 1; y = 2; }; in { inherit (s) x y; }',
    'rec { x = 1; inherit (s) y; s = { y = x; }; }', 'let x = 1; in rec { x = 2; y = { inherit x; }; }.y',
    'builtins.attrNames { b = 1; a = 2; "B" = 3; "_" = 4; "é" = 5; "z" = 6; }', 'builtins.attrNames { "😀" = 1; "\uffff" = 2; }',
    '{ a = { b = 1; }; } // { a = { c = 2; }; }', 'let a = { x = 1; }; in a // { }', '{ "" = 1; }', '{ or = 1; }.or',
    'let { body = x; x = 1; }', '{ a = 1; b = { c = 2; }; }.b.c', '(rec { f = x: if x == 0 then 0 else f (x - 1); }).f 10',
    '{ __overrides = { }; a = 1; }', 'rec { a = 1; b = a; __overrides = { a = 2; c = 3; }; }',
    'let n = "d"; in rec { a = 1; ${n} = a; b = { c = a; }; }', '{ a = 1; b = 2; } // { c = 3; } // { a = 4; }',
    'builtins.attrNames ({ z = 1; a = 2; } // { m = 3; })', 'let s = { a = 1; }; t = s // { b = 2; }; in [ (t ? a) (t ? c) t.b ]',
    'let big = builtins.listToAttrs (builtins.genList (i: { name = "n${toString i}"; value = i; }) 100); l1 = big // { x = 1; }; l2 = l1 // { n5 = "five"; }; in [ l2.n5 l2.x l2.n99 (builtins.length (builtins.attrNames l2)) (l2 == l1) ]',
  ],
  let_with: [
    'let x = 1; y = x + 1; in y', 'let x = 1; in let x = 2; in x', 'let f = x: x + 1; in f 1', 'with { a = 1; }; a',
    'with { a = 1; }; with { a = 2; }; a', 'let a = 1; in with { a = 2; }; a', 'with { a = 1; }; let a = 2; in a',
    'with { true = false; }; true', 'with { b = 1; }; with { a = 2; }; b', 'with builtins; length [ 1 ]',
    'let inherit ({ x = 1; }) x; in x', 'let a = { b = 1; }; inherit (a) b; in b', 'with { x = 1; }; { y = x; }',
    'with { x = 1; }; rec { y = x; x = 2; }.y', 'let x = 1; in with { }; x', 'with (throw "not forced"); 1',
    'let f = { x }: with { y = 2; }; x + y; in f { x = 1; }',
  ],
  functions: [
    '(x: x) 1', '(x: y: x - y) 5 3', '({ a, b }: a + b) { a = 1; b = 2; }', '({ a, b ? 2 }: a + b) { a = 1; }',
    '({ a, ... }: a) { a = 1; b = 2; }', '(args@{ a, ... }: args.b) { a = 1; b = 2; }', '({ a, ... }@args: args) { a = 1; c = 2; }',
    '({ a ? b, b ? 3 }: a) { }', '(s@{ a ? s.b, ... }: a) { b = 7; }', '({ a ? 1 }: a) { a = 2; }', '(x: { inherit x; }) 1',
    'let f = n: if n == 0 then 0 else n + f (n - 1); in f 100', '(f: f f) (x: 1)', '(x: x) (x: x) 5', 'builtins.functionArgs ({ a, b ? 1 }: a)',
    'let compose = f: g: x: f (g x); in compose (x: x * 2) (x: x + 1) 5', '({ }: 1) { }', '({ ... }: 1) { a = 1; }',
    'let f = { a ? throw "no" }: 1; in f { }', '(x: 1) (throw "lazy")', '{ __functor = self: x: self.n + x; n = 10; } 5',
    'let id = x: x; in id id id 1', '(a: b: c: a + b + c) 1 2 3',
  ],
  control: [
    'if true then 1 else 2', 'if false then 1 else 2', 'if 1 == 1 then "y" else throw "n"', 'assert true; 1',
    'assert 1 < 2; "ok"', '(builtins.tryEval (throw "x")).success', '(builtins.tryEval (assert false; 1)).success',
    '(builtins.tryEval 1).value', 'builtins.seq 1 2', 'let x = { a = throw "lazy"; }; in x ? a',
  ],
  laziness: [
    'let x = throw "never"; in 1', '{ a = throw "never"; b = 1; }.b', 'builtins.length [ (throw "a") (throw "b") ]',
    'let xs = builtins.genList (x: x) 5; in builtins.elemAt xs 4', 'let fib = n: if n < 2 then n else fib (n - 1) + fib (n - 2); in fib 15',
    'let s = rec { a = b; b = c; c = 3; }; in s.a', 'builtins.attrNames { a = throw "x"; b = throw "y"; }',
    'let l = [ 1 ] ++ l2; l2 = [ 2 ]; in l', '(rec { a = { b = a; }; }).a.b.b ? b',
  ],
  // «repeated»: a set by its identity, a list by the slot holding it (the same list in two slots prints twice);
  // cycles (which have no JSON form) are in print.test.ts.
  printing: [
    'let l = [ 1 ]; in [ l l ]', '[ [ 1 ] [ 1 ] ]', 'let l = [ 1 ]; in [ (builtins.head [ l ]) l ]',
    'let l = [ 1 ]; in { a = [ l ]; b = l; c = { d = l; }; }', 'let s = { a = 1; }; in { x = s; y = [ s ]; z = { inherit s; }; }',
    'let s = { a = { b = 1; }; }; in builtins.deepSeq s [ s s.a s ]', 'let f = x: [ x ]; l = f 1; in [ l l (f 1) ]',
    'let s = { a = 1; }; in [ s { inherit (s) a; } (s // { }) ]', 'let l = [ 1 2 ]; s = { inherit l; m = l; }; in [ s.l s.m s ]',
    'let e = { }; l = [ ]; in { inherit e l; f = e; m = l; n = [ e l ]; }',
  ],
  builtinsCore: [
    'builtins.typeOf 1', 'builtins.typeOf 1.0', 'builtins.typeOf "a"', 'builtins.typeOf null', 'builtins.typeOf true',
    'builtins.typeOf [ ]', 'builtins.typeOf { }', 'builtins.typeOf (x: x)', 'builtins.typeOf map', 'builtins.typeOf (map (x: x))',
    'builtins.isFunction builtins.add', 'builtins.add 1 2', 'builtins.sub 5 3', 'builtins.mul 4 5', 'builtins.div 7 2',
    'builtins.lessThan 1 2', '__add 1 2', 'builtins.isAttrs builtins', 'builtins.builtins ? map', 'isNull null',
    'builtins.foldl\' (a: b: a + b) 0 (builtins.genList (x: x) 100)', 'builtins ? true', 'builtins.true',
    'builtins.removeAttrs { a = 1; b = 2; } [ "a" ]', 'removeAttrs { a = 1; } [ "b" ]', 'builtins.langVersion > 4',
  ],
  imports: [
    'import ./fixtures/simple.nix', 'import ./fixtures/dir', '(import ./fixtures/fn.nix) { x = 2; }', 'import ./fixtures/relative.nix',
    'let a = import ./fixtures/simple.nix; b = import ./fixtures/simple.nix; in a == b',
    'scopedImport { y = 5; } ./fixtures/scoped.nix', 'scopedImport { map = 5; } ./fixtures/scoped-map.nix',
    'import ./fixtures/chain/c0.nix', '(import ./fixtures/with-rel.nix).p',
    'let __findFile = sp: p: "found ${p}"; in <some/where>', 'let __nixPath = [ { prefix = "fx"; path = toString ./fixtures; } ]; in (import <fx/simple.nix>).b',
    '(builtins.tryEval <nonexistent-xyz>).success', 'import ./fixtures/lib-usage.nix',
    // Positions in a file: of sets made by builtins (issue 14), and columns counting bytes that are not UTF-8.
    'import ./fixtures/builtin-positions.nix',
    'let s = import ./fixtures/bytes.nix; p = n: builtins.unsafeGetAttrPos n s; in [ s (map (n: (p n).column) [ "x" "y" "z" "w" "v" "u" "t" ]) (map (n: (p n).line) [ "x" "w" "t" ]) ]',
  ],
};

export interface ErrorCase {
  readonly expr: string;
  /** The message as current Nix writes it (after "error: "). */
  readonly message: string;
  /** tsportable's kind (tryEval catches 'throw' and 'assert'). */
  readonly kind: 'parse' | 'eval' | 'throw' | 'assert' | 'abort';
  /** Nix 2.8 accepts it (it predates the check); the message is current Nix's. */
  readonly nix28Succeeds?: boolean;
}

export const errorCases: readonly ErrorCase[] = [
  { expr: 'x', message: "undefined variable 'x'", kind: 'parse' },
  { expr: 'let a = 1; in b', message: "undefined variable 'b'", kind: 'parse' },
  { expr: 'let f = x: neverEvaluated; in 1', message: "undefined variable 'neverEvaluated'", kind: 'parse' },
  { expr: 'rec { a = 1; b = { inherit c; }; }', message: "undefined variable 'c'", kind: 'parse' },
  { expr: 'let f = n: if n == 0 then 0 else 1 + f (n - 1); in f 10000', message: 'stack overflow; max-call-depth exceeded', kind: 'eval', nix28Succeeds: true },
  { expr: 'if true then 1 else undefinedThing', message: "undefined variable 'undefinedThing'", kind: 'parse' },
  { expr: 'with { a = 1; }; b', message: "undefined variable 'b'", kind: 'eval' },
  { expr: 'let x = x; in x', message: 'infinite recursion encountered', kind: 'eval' },
  { expr: 'rec { a = b; b = a; }.a', message: 'infinite recursion encountered', kind: 'eval' },
  { expr: '9223372036854775807 + 1', message: 'integer overflow in adding 9223372036854775807 + 1', kind: 'eval', nix28Succeeds: true },
  { expr: '(-9223372036854775807) - 2', message: 'integer overflow in subtracting -9223372036854775807 - 2', kind: 'eval', nix28Succeeds: true },
  { expr: '4611686018427387904 * 2', message: 'integer overflow in multiplying 4611686018427387904 * 2', kind: 'eval', nix28Succeeds: true },
  { expr: '4294967296 * 4294967295', message: 'integer overflow in multiplying 4294967296 * 4294967295', kind: 'eval', nix28Succeeds: true },
  { expr: '(-9223372036854775807 - 1) / (-1)', message: 'integer overflow in dividing -9223372036854775808 / -1', kind: 'eval' },
  { expr: '1 / 0', message: 'division by zero', kind: 'eval' },
  { expr: '1.0 / 0', message: 'division by zero', kind: 'eval' },
  { expr: 'builtins.div 1 0', message: 'division by zero', kind: 'eval' },
  { expr: '1 + "a"', message: 'cannot add a string to an integer', kind: 'eval' },
  { expr: '1.5 + "a"', message: 'cannot add a string to a float', kind: 'eval' },
  { expr: '"a" + 1', message: 'cannot coerce an integer to a string: 1', kind: 'eval' },
  { expr: '"${1}"', message: 'cannot coerce an integer to a string: 1', kind: 'eval' },
  { expr: '"${[ 1 ]}"', message: 'cannot coerce a list to a string: [ 1 ]', kind: 'eval' },
  { expr: '"${{ a = 1; }}"', message: 'cannot coerce a set to a string: { a = 1; }', kind: 'eval' },
  { expr: '"${x: x}"', message: 'cannot coerce a function to a string: «lambda @ «string»:1:4»', kind: 'eval' },
  { expr: '"a" + null', message: 'cannot coerce null to a string: null', kind: 'eval' },
  { expr: '1 - "a"', message: 'expected an integer but found a string: "a"', kind: 'eval' },
  { expr: '2 * true', message: 'expected an integer but found a Boolean: true', kind: 'eval' },
  { expr: '-"a"', message: 'expected an integer but found a string: "a"', kind: 'eval' },
  { expr: '1.5 - "a"', message: 'expected a float but found a string: "a"', kind: 'eval' },
  { expr: '1 < "a"', message: 'cannot compare an integer with a string; values are 1 and "a"', kind: 'eval' },
  { expr: '{ } < { }', message: 'cannot compare a set with a set; values of that type are incomparable (values are { } and { })', kind: 'eval' },
  { expr: '[ 1 ] < [ "a" ]', message: 'cannot compare an integer with a string; values are 1 and "a"', kind: 'eval' },
  { expr: 'if 1 then 2 else 3', message: 'expected a Boolean but found an integer: 1', kind: 'eval' },
  { expr: '!1', message: 'expected a Boolean but found an integer: 1', kind: 'eval' },
  { expr: '1 && true', message: 'expected a Boolean but found an integer: 1', kind: 'eval' },
  { expr: 'false || 1', message: 'expected a Boolean but found an integer: 1', kind: 'eval' },
  { expr: 'true -> "x"', message: 'expected a Boolean but found a string: "x"', kind: 'eval' },
  { expr: '1 ++ [ ]', message: 'expected a list but found an integer: 1', kind: 'eval' },
  { expr: '[ ] ++ { }', message: 'expected a list but found a set: { }', kind: 'eval' },
  { expr: '{ } // 1', message: 'expected a set but found an integer: 1', kind: 'eval' },
  { expr: 'with 1; x', message: 'expected a set but found an integer: 1', kind: 'eval' },
  { expr: 'let inherit (1) a; in a', message: 'expected a set but found an integer: 1', kind: 'eval' },
  { expr: 'let inherit ({ b = 1; }) a; in a', message: "attribute 'a' missing", kind: 'eval' },
  { expr: 'rec { a = 1; __overrides = 1; }', message: 'expected a set but found an integer: 1', kind: 'eval' },
  { expr: '"${./fixtures/missing-file}"', message: "path '$DIR/fixtures/missing-file' does not exist", kind: 'eval' },
  { expr: '{ a = 1; }.b', message: "attribute 'b' missing", kind: 'eval' },
  { expr: '{ a = { }; }.a.b', message: "attribute 'b' missing", kind: 'eval' },
  { expr: '(1).a', message: 'expected a set but found an integer: 1', kind: 'eval' },
  { expr: '{ a = 1; }.a.b', message: 'expected a set but found an integer: 1', kind: 'eval' },
  { expr: '{ a = 1; }.${1}', message: 'expected a string but found an integer: 1', kind: 'eval' },
  { expr: '{ ${"a"} = 1; a = 2; }', message: "attribute 'a' already defined at «string»:1:3", kind: 'parse' },
  { expr: 'let n = "a"; in { a = 1; ${n} = 2; }', message: "dynamic attribute 'a' already defined at «string»:1:19", kind: 'eval' },
  { expr: 'let n = "a"; in { ${n} = 1; ${n} = 2; }', message: "dynamic attribute 'a' already defined at «string»:1:19", kind: 'eval' },
  { expr: '{ ${1} = 1; }', message: 'expected a string but found an integer: 1', kind: 'eval' },
  { expr: '1 2', message: 'attempt to call something which is not a function but an integer: 1', kind: 'eval' },
  { expr: '"f" 2', message: 'attempt to call something which is not a function but a string: "f"', kind: 'eval' },
  { expr: '({ a }: a) { }', message: "function 'anonymous lambda' called without required argument 'a'", kind: 'eval' },
  { expr: 'let f = { a, b }: a; in f { }', message: "function 'f' called without required argument 'a'", kind: 'eval' },
  { expr: 'let f = { z, b }: z; in f { }', message: "function 'f' called without required argument 'b'", kind: 'eval' },
  { expr: '({ a }: a) { a = 1; b = 2; }', message: "function 'anonymous lambda' called with unexpected argument 'b'", kind: 'eval' },
  { expr: 'let f = { a }: a; in f { a = 1; c = 2; }', message: "function 'f' called with unexpected argument 'c'", kind: 'eval' },
  { expr: '({ a }: a) 1', message: 'expected a set but found an integer: 1', kind: 'eval' },
  { expr: 'throw "boom"', message: 'boom', kind: 'throw' },
  { expr: 'abort "stop"', message: "evaluation aborted with the following error message: 'stop'", kind: 'abort' },
  { expr: 'assert false; 1', message: "assertion 'false' failed", kind: 'assert' },
  { expr: 'let x = 1; in assert x + 1 == 3; x', message: "an integer with value '2' is not equal to an integer with value '3'", kind: 'assert' },
  { expr: 'assert "a" == "b"; 1', message: 'string \'"a"\' is not equal to string \'"b"\'', kind: 'assert' },
  { expr: 'assert [ 1 2 ] == [ 1 3 ]; 1', message: "an integer with value '2' is not equal to an integer with value '3'", kind: 'assert' },
  { expr: 'assert { a = 1; } == { b = 1; }; 1', message: "attribute name 'a' is contained in '{ a = 1; }', but not in '{ b = 1; }'", kind: 'assert' },
  { expr: 'assert 1 == 1.5; 1', message: "an integer with value '1' is not equal to a float with value '1.5'", kind: 'assert' },
  { expr: 'assert true == null; 1', message: "a Boolean of value 'true' is not equal to null of value 'null'", kind: 'assert' },
  { expr: 'assert 1 < 0; 1', message: "assertion '(__lessThan 1 0)' failed", kind: 'assert' },
  { expr: 'assert 1; 1', message: 'expected a Boolean but found an integer: 1', kind: 'eval' },
  { expr: '<nonexistent-xyz>', message: "file 'nonexistent-xyz' was not found in the Nix search path (add it using $NIX_PATH or -I)", kind: 'throw' },
  { expr: 'import ./fixtures/does-not-exist.nix', message: "path '$DIR/fixtures/does-not-exist.nix' does not exist", kind: 'eval' },
  { expr: 'import ./fixtures/self.nix', message: 'infinite recursion encountered', kind: 'eval' },
  { expr: 'import ./fixtures/undefined-var.nix', message: "undefined variable 'nope'", kind: 'parse' },
  { expr: 'import ./fixtures/bytes-duplicate.nix', message: "attribute 'a' already defined at $DIR/fixtures/bytes-duplicate.nix:1:15", kind: 'parse' },
  { expr: 'builtins.toJSON (x: x)', message: 'cannot convert a function to JSON', kind: 'eval' },
  // Nix 2.8 wrote the bytes into the JSON text; current Nix refuses them with nlohmann's message.
  { expr: 'builtins.toJSON "_invalid UTF-8: \udcff_"', message: 'JSON serialization error: [json.exception.type_error.316] invalid UTF-8 byte at index 16: 0xFF', kind: 'eval', nix28Succeeds: true },
  { expr: 'builtins.toJSON { a = "\udcc3x"; b = throw "first"; }', message: 'first', kind: 'throw' },
  { expr: 'builtins.toJSON [ "ok" "é" "a\udcc3" ]', message: 'JSON serialization error: [json.exception.type_error.316] incomplete UTF-8 string; last byte: 0xC3', kind: 'eval', nix28Succeeds: true },
  { expr: 'builtins.toJSON { "\udce0\udc80" = 1; }', message: 'JSON serialization error: [json.exception.type_error.316] invalid UTF-8 byte at index 1: 0x80', kind: 'eval', nix28Succeeds: true },
  { expr: 'builtins.fromJSON "\\"a\udce9b\\""', message: "[json.exception.parse_error.101] parse error at line 1, column 4: syntax error while parsing value - invalid string: ill-formed UTF-8 byte; last read: '\"a\udce9b'", kind: 'eval' },
  { expr: 'builtins.fromJSON "\\"\\\\ud800\\""', message: "[json.exception.parse_error.101] parse error at line 1, column 8: syntax error while parsing value - invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF; last read: '\"\\ud800\"'", kind: 'eval' },
  { expr: 'builtins.fromJSON "\\"\\\\udce9x\\""', message: "[json.exception.parse_error.101] parse error at line 1, column 7: syntax error while parsing value - invalid string: surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF; last read: '\"\\udce9'", kind: 'eval' },
];
