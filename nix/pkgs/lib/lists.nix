# List functions of nixpkgs' `lib.lists`. `foldl` and `foldr` are lazy in the
# accumulator as in nixpkgs; `foldl'` forces it at every step.
{ lib }:

let
  inherit (builtins) length elemAt genList filter head tail concatLists;
in
rec {
  inherit (builtins) length head tail filter elem elemAt concatLists concatMap genList sort all any partition groupBy;
  map = builtins.map;

  singleton = x: [ x ];
  toList = x: if builtins.isList x then x else [ x ];
  optional = cond: elem: if cond then [ elem ] else [ ];
  optionals = cond: elems: if cond then elems else [ ];

  foldr = op: nul: list:
    let
      len = length list;
      go = n: if n == len then nul else op (elemAt list n) (go (n + 1));
    in
    go 0;
  fold = foldr;

  foldl = op: nul: list:
    let go = n: if n == -1 then nul else op (go (n - 1)) (elemAt list n);
    in go (length list - 1);

  # nixpkgs forces the initial accumulator too, not only the intermediate ones.
  foldl' = op: acc: builtins.seq acc (builtins.foldl' op acc);

  imap0 = f: list: genList (n: f n (elemAt list n)) (length list);
  imap1 = f: list: genList (n: f (n + 1) (elemAt list n)) (length list);

  flatten = x: if builtins.isList x then builtins.concatMap flatten x else [ x ];

  remove = e: filter (x: x != e);
  count = pred: builtins.foldl' (c: x: if pred x then c + 1 else c) 0;
  findFirst = pred: default: list:
    let found = filter pred list; in if found == [ ] then default else head found;
  findSingle = pred: default: multiple: list:
    let found = filter pred list; n = length found; in
    if n == 0 then default else if n != 1 then multiple else head found;

  range = first: last: if first > last then [ ] else genList (n: first + n) (last - first + 1);
  replicate = n: elem: genList (_: elem) n;

  last = list:
    assert lib.assertMsg (list != [ ]) "lists.last: list must not be empty!";
    elemAt list (length list - 1);
  init = list:
    assert lib.assertMsg (list != [ ]) "lists.init: list must not be empty!";
    take (length list - 1) list;

  sublist = start: count: list:
    let
      len = length list;
      n = if start >= len then 0 else if start + count > len then len - start else count;
    in
    genList (i: elemAt list (i + start)) n;
  take = count: sublist 0 count;
  drop = count: list: sublist count (length list) list;

  reverseList = xs: let l = length xs; in genList (n: elemAt xs (l - n - 1)) l;

  unique = builtins.foldl' (acc: e: if builtins.elem e acc then acc else acc ++ [ e ]) [ ];
  subtractLists = e: filter (x: !(builtins.elem x e));
  intersectLists = e: filter (x: builtins.elem x e);
  mutuallyExclusive = a: b: length a == 0 || !(builtins.any (x: builtins.elem x a) b);

  zipListsWith = f: fst: snd:
    genList (n: f (elemAt fst n) (elemAt snd n)) (lib.min (length fst) (length snd));
  zipLists = zipListsWith (fst: snd: { inherit fst snd; });

  isList = builtins.isList;
  naturalSort = lst:
    let
      vectorise = s: map (x: if builtins.isList x then builtins.fromJSON (head x) else x) (builtins.split "(0|[1-9][0-9]*)" s);
      prepared = map (x: [ (vectorise x) x ]) lst;
      less = a: b: (compareLists lib.compare (head a) (head b)) < 0;
    in
    map (x: elemAt x 1) (sort less prepared);

  compareLists = cmp: a: b:
    if a == [ ] then (if b == [ ] then 0 else -1)
    else if b == [ ] then 1
    else
      let rel = cmp (head a) (head b); in
      if rel == 0 then compareLists cmp (tail a) (tail b) else rel;

  allUnique = list: length (unique list) == length list;
  ifilter0 = ipred: input:
    map (idx: elemAt input idx) (filter (idx: ipred idx (elemAt input idx)) (genList (x: x) (length input)));
}
