/**
 * Local source trees: a flake's directory (a `path:` flake or input) or a Git
 * working tree (a flake inside a Git repository), as Nix's fetchers copy them
 * to the store, computed here without Nix: which files belong to the tree,
 * its NAR hash and so its store path (name `source`), and the attributes the
 * fetcher reports (`lastModified`; for Git `rev`, `revCount`, or `dirtyRev`).
 *
 * What is hard: the tree of a Git repository is its tracked files only (an
 * untracked file is not part of the flake, whatever is on disk), read from
 * the working tree; a tree with changes to tracked files is "dirty": it has
 * no `rev` (current Nix gives `dirtyRev` instead), and its `lastModified` is
 * still the time of the last commit. A `path:` tree is everything in the
 * directory, and its `lastModified` is the newest mtime in it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NixError } from '../eval/errors.js';
import { formatHash } from '../eval/builtins/hashFormats.js';
import { narHashHex, sourcePathOfNarHash, storeDir } from '../bridge/storePath.js';
import type { AttrValue, InputAttrs } from './ref.js';

/** A tree on disk whose store path tsportable computed; it may not be in the store yet. */
export interface LocalTree {
  /** The directory the tree is read from (a path flake's directory, a Git repository's top level). */
  readonly root: string;
  /** Git: the tracked entries (files, symlinks) relative to `root`; undefined: every entry. */
  readonly tracked?: ReadonlySet<string>;
  /** Git: the directories holding tracked entries (the tree's directories). */
  readonly trackedDirs?: ReadonlySet<string>;
  readonly narHashHex: string;
  /** `/nix/store/<hash>-source`. */
  readonly storePath: string;
  /** The locked input attributes: `type`, `path`/`url`, `narHash`, `lastModified`; Git: `rev` or `dirtyRev`... */
  readonly attrs: InputAttrs;
  /** Git, clean: the number of commits (computed when asked, as current Nix does). */
  readonly revCount?: () => number;
}

/** `sha256-<base64>` of a hex SHA-256. */
export function sriOfHex(hex: string): string {
  return formatHash('sha256', Buffer.from(hex, 'hex'), 'sri');
}

/** The hex SHA-256 of a lock file's SRI NAR hash (`sha256-<base64>`, what Nix writes); any other form gives undefined (the input is then fetched by Nix). */
export function hexOfSri(sri: string): string | undefined {
  const m = /^sha256-([A-Za-z0-9+/]+=*)$/.exec(sri);
  if (!m) return undefined;
  const bytes = Buffer.from(m[1]!, 'base64');
  return bytes.length === 32 ? bytes.toString('hex') : undefined;
}

/** Whether a store path is in the store (checked on disk: no Nix process). */
export function inStore(storePath: string): boolean {
  return storePath.startsWith(`${storeDir}/`) && existsSync(storePath);
}

/** Every entry of `dir`, as the `path` fetcher copies it. */
export function pathTree(dir: string): LocalTree {
  let newest = 0;
  const hex = narHashHex(dir, { onStat: (st) => { newest = Math.max(newest, Math.floor(st.mtimeMs / 1000)); } });
  return {
    root: dir,
    narHashHex: hex,
    storePath: sourcePathOfNarHash(hex, 'source'),
    attrs: new Map<string, AttrValue>([['type', 'path'], ['path', dir], ['lastModified', newest], ['narHash', sriOfHex(hex)]]),
  };
}

/** The top level of the Git repository holding `dir` (the nearest directory with `.git`), if any. */
export function gitTopLevel(dir: string): string | undefined {
  for (let d = dir; ; d = join(d, '..')) {
    if (existsSync(join(d, '.git'))) return d;
    if (join(d, '..') === d) return undefined;
  }
}

function git(repo: string, args: readonly string[]): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new NixError('eval', `cannot run git for the flake in '${repo}': ${r.error.message}`);
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

/** The tracked files of the repository at `repo`, read from its working tree, as Nix's `git+file` fetcher copies them. */
export function gitTree(repo: string): LocalTree {
  const files = git(repo, ['ls-files', '-z']);
  if (!files.ok) throw new NixError('eval', `'${repo}' is not a Git repository Nix can read: ${files.stderr.trim()}`);
  const tracked = new Set(files.stdout.split('\0').filter((f) => f !== ''));
  const dirs = new Set<string>();
  for (const f of tracked) {
    for (let i = f.indexOf('/'); i >= 0; i = f.indexOf('/', i + 1)) dirs.add(f.slice(0, i));
  }
  const hex = narHashHex(repo, { include: (rel, isDir) => (isDir ? dirs.has(rel) || tracked.has(rel) : tracked.has(rel)) });
  const attrs: InputAttrs = new Map<string, AttrValue>([['type', 'git'], ['url', `file://${repo}`]]);
  const head = git(repo, ['log', '-1', '--format=%H %ct', 'HEAD']);
  const [rev, time] = head.ok ? head.stdout.trim().split(' ') : [];
  const dirty = git(repo, ['status', '--porcelain', '--untracked-files=no']).stdout.trim() !== '';
  let revCount: (() => number) | undefined;
  if (!dirty) {
    attrs.set('rev', rev ?? '0'.repeat(40));
    let count: number | undefined;
    revCount = () => (count ??= rev === undefined ? 0 : Number(git(repo, ['rev-list', '--count', 'HEAD']).stdout.trim()));
  } else if (rev !== undefined) {
    attrs.set('dirtyRev', `${rev}-dirty`);
    attrs.set('dirtyShortRev', `${rev.slice(0, 7)}-dirty`);
  }
  attrs.set('lastModified', time === undefined ? 0 : Number(time));
  attrs.set('narHash', sriOfHex(hex));
  return { root: repo, tracked, trackedDirs: dirs, narHashHex: hex, storePath: sourcePathOfNarHash(hex, 'source'), attrs, revCount };
}

/** Reads a local tree: `git` for a Git working tree's tracked files, else every file of `dir`. */
export type TreeReader = (dir: string, git: boolean) => LocalTree;

export const readTree: TreeReader = (dir, git) => (git ? gitTree(dir) : pathTree(dir));

/** Whether `rel` (a file of the tree, relative to its root) is part of it: a Git tree leaves out untracked files. */
export function treeHas(tree: LocalTree, rel: string): boolean {
  return tree.tracked ? tree.tracked.has(rel) : existsSync(join(tree.root, rel));
}
