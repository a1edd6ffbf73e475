/**
 * The grammar shim copies tree-sitter's tree into the flat tree by walking
 * tree-sitter's own subtrees (grammar/src/binding.c, `flatten`), not through
 * its public cursor. The nodes must be the ones the public API shows: here
 * each file is parsed by the `tree-sitter` package too, its tree walked with
 * the package's cursor and laid out as flatTree.ts describes (anonymous
 * tokens left out but for operators), and the two compared int for int.
 * Broken variants of each file bring ERROR and MISSING nodes.
 */
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { nixParser, parseFlat, type TSTree } from '../../src/eval/syntax/treeSitter.js';
import { packageRoot } from '../../src/paths.js';

/** Longer than any file: parsed whole, as the package parses. */
const WHOLE = 2 ** 31;
const NAMED_BIT = 0x10000;
const ERROR_BIT = 0x20000;
const KEPT_OPERATORS_UNDER = new Set(['binary_expression', 'unary_expression']);

/** The flat tree's ints for the package's tree (type, start, end, parent, after per node). */
function flatFromPackage(tree: TSTree): Int32Array {
  const out: number[] = [];
  const cursor = tree.walk();
  const open: number[] = [];
  const parentType: string[] = [];
  const emit = (): number => {
    const node = cursor.currentNode;
    const index = out.length / 5;
    out.push(node.typeId | (node.isNamed ? NAMED_BIT : 0), node.startIndex, node.endIndex, open.at(-1) ?? -1, index + 1);
    return index;
  };
  const leftOut = (): boolean => {
    const node = cursor.currentNode;
    return !node.isNamed && node.childCount === 0 && !KEPT_OPERATORS_UNDER.has(parentType.at(-1)!);
  };
  emit();
  if (tree.rootNode.hasError) out[0] |= ERROR_BIT;
  open.push(0);
  parentType.push(tree.rootNode.type);
  if (cursor.gotoFirstChild()) {
    for (;;) {
      let descended = false;
      if (!leftOut()) {
        const index = emit();
        const type = cursor.nodeType;
        if (cursor.gotoFirstChild()) {
          open.push(index);
          parentType.push(type);
          descended = true;
        }
      }
      if (descended) continue;
      while (!cursor.gotoNextSibling()) {
        const closed = open.pop()!;
        parentType.pop();
        out[closed * 5 + 4] = out.length / 5;
        if (open.length === 0 || !cursor.gotoParent()) break;
      }
      if (open.length === 0) break;
    }
  }
  while (open.length) out[open.pop()! * 5 + 4] = out.length / 5;
  return Int32Array.from(out);
}

function expectSameTree(text: string, label: string): number {
  const ours = new Int32Array(parseFlat(text, WHOLE));
  const theirs = flatFromPackage(nixParser().parse(text));
  if (ours.length !== theirs.length || !ours.every((v, i) => v === theirs[i])) {
    const at = ours.findIndex((v, i) => v !== theirs[i]);
    throw new Error(`${label}: flat trees differ at node ${Math.floor(at / 5)} (ours ${ours.length / 5} nodes, the package's ${theirs.length / 5})`);
  }
  return ours.length / 5;
}

describe('the shim walks tree-sitter subtrees into the nodes the public API shows', () => {
  test('operators, strings, comments, paths, inherits, errors', () => {
    const samples = [
      'a: b: -a + b * (c - !d) // { e = f.g or h; } ++ [ ./p/${q}.nix ~/x <y> http://z ]',
      'let a = 1; inherit (b) c d; "e" = 2; ${f} = 3; in rec { g = a; } # c\n/* d */',
      "''\n  ind ${x} ''${ '''\n'' + \"s ${y} \\\" \"",
      '{ a, b ? 1, ... }@args: assert a; with b; if c then d else e',
      '{ a = 1; b = ; }',
      '[ 1 2 (',
      'let in',
      'x: x.',
    ];
    for (const [k, text] of samples.entries()) expectSameTree(text, `sample ${k}`);
  });

  test('every .nix file of the repository, whole and broken', () => {
    const files = execSync('git ls-files "*.nix"', { cwd: packageRoot, encoding: 'utf8' }).split('\n').filter(Boolean);
    let nodes = 0;
    for (const rel of files) {
      const text = readFileSync(join(packageRoot, rel), 'utf8');
      nodes += expectSameTree(text, rel);
      const cut = Math.floor(text.length / 2);
      expectSameTree(text.slice(0, cut), `${rel}, its first half`);
      expectSameTree(`${text.slice(0, cut)} ) ] } ${text.slice(cut)}`, `${rel}, with closing brackets in the middle`);
    }
    expect(files.length).toBeGreaterThan(100);
    expect(nodes).toBeGreaterThan(20_000);
  });
});
