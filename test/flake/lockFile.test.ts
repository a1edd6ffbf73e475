/**
 * flake.lock as Nix reads it: versions 5 to 7, the root node, edges to nodes
 * or `follows` paths, `flake = false`, `parent`, version 5's `info`, and the
 * errors Nix gives for files it does not accept.
 */
import { parseLockFile, type LockNode } from '../../src/flake/lockFile.js';

const node = (locked: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ locked, original: { type: 'indirect', id: 'x' }, ...extra });

function lock(version: number, nodes: Record<string, unknown>, root = 'root'): string {
  return JSON.stringify({ version, root, nodes });
}

test('version 7: nodes linked by key, follows kept as paths, flake = false and parent read', () => {
  const l = parseLockFile(lock(7, {
    root: { inputs: { nixpkgs: 'nixpkgs', utils: 'utils', data: 'data', sub: 'sub' } },
    nixpkgs: node({ type: 'github', owner: 'NixOS', repo: 'nixpkgs', rev: 'a'.repeat(40), narHash: 'sha256-x', lastModified: 1700000000 }),
    utils: { ...node({ type: 'path', path: '/u', narHash: 'sha256-u' }), inputs: { nixpkgs: ['nixpkgs'] } },
    data: node({ type: 'path', path: '/d', narHash: 'sha256-d' }, { flake: false }),
    sub: node({ type: 'path', path: './sub' }, { parent: [] }),
  }), 'flake.lock');
  const root = l.nodes.get('root')!;
  const utils = root.inputs.get('utils') as LockNode;
  expect(utils.inputs.get('nixpkgs')).toEqual(['nixpkgs']);
  expect((root.inputs.get('nixpkgs') as LockNode).locked!.get('lastModified')).toBe(1700000000);
  expect((root.inputs.get('data') as LockNode).isFlake).toBe(false);
  expect((root.inputs.get('sub') as LockNode).parent).toEqual([]);
  expect(root.locked).toBeUndefined();
});

test("version 5: `info` is merged into the locked reference", () => {
  const l = parseLockFile(lock(5, {
    root: { inputs: { nixpkgs: 'nixpkgs' } },
    nixpkgs: { ...node({ type: 'github', owner: 'NixOS', repo: 'nixpkgs', rev: 'b'.repeat(40) }), info: { narHash: 'sha256-n', lastModified: 1600000000 } },
  }), 'flake.lock');
  const n = l.nodes.get('nixpkgs')!;
  expect(n.locked!.get('narHash')).toBe('sha256-n');
  expect(n.locked!.get('lastModified')).toBe(1600000000);
});

test('unsupported versions, missing nodes, cycles to the root and bad JSON are Nix\'s errors', () => {
  expect(() => parseLockFile(lock(4, { root: {} }), '/x/flake.lock')).toThrow("lock file '/x/flake.lock' has unsupported version 4");
  expect(() => parseLockFile(lock(8, { root: {} }), '/x/flake.lock')).toThrow('has unsupported version 8');
  expect(() => parseLockFile(lock(7, { root: { inputs: { a: 'a' } } }), 'f')).toThrow("lock file references missing node 'a'");
  expect(() => parseLockFile(lock(7, { root: { inputs: { a: 'a' } }, a: { ...node({ type: 'path', path: '/a' }), inputs: { b: 'root' } } }), 'f'))
    .toThrow('lock file contains cycle to root node');
  expect(() => parseLockFile('{ nope', '/x/flake.lock')).toThrow(/^Could not parse '\/x\/flake.lock'/);
  expect(() => parseLockFile(lock(7, { root: { inputs: { a: 'a' } }, a: { original: { type: 'path', path: '/a' } } }), 'f'))
    .toThrow("attribute 'locked' missing in lock file");
});

test('a root node that is not called root', () => {
  const l = parseLockFile(lock(7, { top: { inputs: { a: 'a' } }, a: node({ type: 'path', path: '/a', narHash: 'sha256-a' }) }, 'top'), 'f');
  expect(l.root).toBe('top');
  expect(l.nodes.get('top')!.inputs.get('a')).toBe(l.nodes.get('a'));
});
