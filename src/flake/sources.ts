/**
 * Where each input's files are, in the order `nix build` would find them:
 *   1. a local tree read now (the flake itself, a local path input, an
 *      `--override-input`): its store path is computed natively;
 *   2. a lock entry with a `narHash`: the store path that hash implies
 *      (`/nix/store/<hash>-source`, as fetchTree names it), used as it is
 *      when it is in the store, without any Nix process;
 *   3. anything else: one Nix process (nix-instantiate with the flakes
 *      feature switched on for that call only) copies the local trees that
 *      are not in the store yet and fetches every missing input, all at once.
 * A relative path input is a directory of the source of the flake naming it.
 *
 * A fetch that fails (offline, say) is one line naming the input and the
 * `--override-input` that gives it a local copy instead.
 */
import { NixError } from '../eval/errors.js';
import type { NixRunner } from '../bridge/runner.js';
import { pathLiteral, stringLiteral } from '../bridge/nixLiterals.js';
import { sourcePathOfNarHash } from '../bridge/storePath.js';
import { allInputs, findInput, FlakeInputError, joinFlakeDir, type LockGraph, type LockedInput } from './lock.js';
import { refToString, showInputPath, strAttr, type InputAttrs } from './ref.js';
import { hexOfSri, inStore, type LocalTree } from './tree.js';

/** An input's files, in the store. */
export interface ResolvedSource {
  /** The store path of the whole source tree. */
  readonly storePath: string;
  /** What the input's sourceInfo.outPath names inside it: '' (the tree), or a relative input's directory. */
  readonly sourceDir: string;
  /** The flake's directory inside it ('' for the top, `sub` for `dir=sub`). */
  readonly flakeDir: string;
  /** The locked attributes sourceInfo reports (narHash, lastModified, rev, revCount, dirtyRev...). */
  readonly attrs: InputAttrs;
  readonly revCount?: () => number;
}

export interface SourceOptions {
  readonly runner: NixRunner;
  /** For the message about a missing `nixpkgs`: tsportable's own package set, usable as an override. */
  readonly standInDir: string;
}

type Job =
  | { readonly kind: 'copy'; readonly tree: LocalTree; readonly what: string }
  | { readonly kind: 'fetch'; readonly input: LockedInput };

/**
 * The one Nix expression for every job: `{ j0 = { path; hash; }; ... }`. A
 * fetch error is not an evaluation error, so Nix gives it no trace of ours:
 * the failing job is the one whose key Nix's JSON output had opened when it
 * stopped (it prints as it evaluates), or the one whose reference Nix names.
 */
function jobsExpression(jobs: readonly Job[]): string {
  const entries = jobs.map((job, i) => {
    const body = job.kind === 'copy' ? copyExpression(job.tree) : `builtins.fetchTree ${attrsLiteral(fetchAttrs(job.input.locked))}`;
    return `j${i} = let r = ${body}; in { path = "\${r}"; hash = r.narHash or null; };`;
  });
  return `{ ${entries.join(' ')} }`;
}

function attrsLiteral(attrs: InputAttrs): string {
  const parts = [...attrs].map(([k, v]) => `${stringLiteral(k)} = ${typeof v === 'string' ? stringLiteral(v) : String(v)};`);
  return `{ ${parts.join(' ')} }`;
}

/** The locked reference without what is the flake's and not the fetcher's (`dir`). */
function fetchAttrs(locked: InputAttrs): InputAttrs {
  const out = new Map(locked);
  out.delete('dir');
  return out;
}

/** `builtins.path` of the tree under the name `source`; a Git tree keeps only its tracked entries. */
function copyExpression(tree: LocalTree): string {
  if (!tree.tracked) return `builtins.path { path = ${pathLiteral(tree.root)}; name = "source"; }`;
  const set = (names: Iterable<string>) => `{ ${[...names].map((n) => `${stringLiteral(n)} = true;`).join(' ')} }`;
  return `let files = ${set(tree.tracked)}; dirs = ${set(tree.trackedDirs ?? [])}; prefix = ${stringLiteral(`${tree.root}/`)}; in `
    + `builtins.path { path = ${pathLiteral(tree.root)}; name = "source"; filter = p: t: `
    + 'let rel = builtins.substring (builtins.stringLength prefix) (-1) p; in files ? ${rel} || (t == "directory" && dirs ? ${rel}); }';
}

export function resolveSources(graph: LockGraph, options: SourceOptions): Map<LockedInput | 'root', ResolvedSource> {
  const out = new Map<LockedInput | 'root', ResolvedSource>();
  const jobs: Job[] = [];
  const fromTree = (tree: LocalTree, flakeDir: string): ResolvedSource =>
    ({ storePath: tree.storePath, sourceDir: '', flakeDir, attrs: tree.attrs, revCount: tree.revCount });

  const root = graph.root;
  const top = fromTree(root.tree, root.flakeDir);
  out.set('root', graph.changed ? forceDirty(top) : top);
  if (!inStore(root.tree.storePath)) jobs.push({ kind: 'copy', tree: root.tree, what: `the flake ${root.name}` });

  const inputs = allInputs(graph);
  for (const input of inputs) {
    const s = input.source;
    if (s.kind === 'tree') {
      out.set(input, fromTree(s.tree, input.flakeDir));
      if (!inStore(s.tree.storePath) && !jobs.some((j) => j.kind === 'copy' && j.tree.storePath === s.tree.storePath)) {
        jobs.push({ kind: 'copy', tree: s.tree, what: `the flake input '${showInputPath(input.path)}'` });
      }
    } else if (s.kind === 'locked') {
      const narHash = strAttr(input.locked, 'narHash');
      const hex = narHash === undefined ? undefined : hexOfSri(narHash);
      const storePath = hex === undefined ? undefined : sourcePathOfNarHash(hex, strAttr(input.locked, 'name') ?? 'source');
      if (storePath !== undefined && inStore(storePath)) out.set(input, { storePath, sourceDir: '', flakeDir: input.flakeDir, attrs: input.locked });
      else jobs.push({ kind: 'fetch', input });
    }
  }

  if (jobs.length) runJobs(jobs, out, options);

  // Relative inputs last: they are directories of their parents' sources.
  const relative = (input: LockedInput, seen: Set<LockedInput>): ResolvedSource => {
    const known = out.get(input);
    if (known) return known;
    if (input.source.kind !== 'relative') throw new NixError('eval', `internal: no source for the flake input '${showInputPath(input.path)}'`);
    if (seen.has(input)) throw new NixError('eval', `the relative flake input '${showInputPath(input.path)}' is relative to itself`);
    seen.add(input);
    const parentPath = input.source.parent;
    const parentInput = parentPath.length === 0 ? undefined : findInput(graph, parentPath);
    if (parentPath.length > 0 && !parentInput) {
      throw new NixError('eval', `the flake input '${showInputPath(input.path)}' is relative to '${showInputPath(parentPath)}', which is not an input`);
    }
    const parent = parentInput ? relative(parentInput, seen) : out.get('root')!;
    const dir = joinFlakeDir(parent.flakeDir, strAttr(input.locked, 'path')!, `the flake input '${showInputPath(input.path)}'`);
    const resolved: ResolvedSource = {
      storePath: parent.storePath,
      sourceDir: dir,
      flakeDir: input.flakeDir === '' ? dir : joinFlakeDir(dir, input.flakeDir, `the flake input '${showInputPath(input.path)}'`),
      attrs: parent.attrs,
      revCount: parent.revCount,
    };
    out.set(input, resolved);
    return resolved;
  };
  for (const input of inputs) relative(input, new Set());
  return out;
}

/** Nix's "forceDirty" flake: a changed lock it did not write; its source has no rev. */
function forceDirty(src: ResolvedSource): ResolvedSource {
  const attrs = new Map(src.attrs);
  for (const k of ['rev', 'revCount']) attrs.delete(k);
  return { ...src, attrs, revCount: undefined };
}

function runJobs(jobs: readonly Job[], out: Map<LockedInput | 'root', ResolvedSource>, options: SourceOptions): void {
  // On standard input: a Git tree's list of files can be longer than a command line may be.
  const r = options.runner.run('nix-instantiate', ['--eval', '--strict', '--json', '--read-write-mode', '--show-trace',
    '--extra-experimental-features', 'flakes', '-'], { input: Buffer.from(jobsExpression(jobs)) });
  if (r.exitCode !== 0) throw jobFailure(jobs, failedJob(jobs, r.stdout, r.stderr), r.stderr, options);
  const results = JSON.parse(r.stdout) as Record<string, { path: string; hash: string | null }>;
  jobs.forEach((job, i) => {
    const got = results[`j${i}`]!;
    if (job.kind === 'copy') {
      if (got.path !== job.tree.storePath) {
        throw new NixError('eval', `internal: Nix copied ${job.what} to ${got.path}, but tsportable computed ${job.tree.storePath}`);
      }
      return;
    }
    const input = job.input;
    const attrs = new Map(input.locked);
    if (got.hash !== null && !attrs.has('narHash')) attrs.set('narHash', got.hash);
    out.set(input, { storePath: got.path, sourceDir: '', flakeDir: input.flakeDir, attrs });
  });
}

/** Nix's first error line, without "error: " and the trace. */
function firstErrorLine(stderr: string): string {
  const line = stderr.split('\n').find((l) => /^error:/.test(l.trim()));
  return (line ?? stderr.trim().split('\n').pop() ?? 'unknown error').trim().replace(/^error:\s*/, '');
}

/** Which job failed: the last one Nix's partial output opened, else the only fetch whose reference Nix's message names. */
function failedJob(jobs: readonly Job[], stdout: string, stderr: string): Job | undefined {
  const opened = [...stdout.matchAll(/"j(\d+)":/g)].pop();
  if (opened) return jobs[Number(opened[1])];
  const named = jobs.filter((j) => j.kind === 'fetch' && ['rev', 'url', 'path'].some((k) => {
    const v = strAttr(j.input.locked, k);
    return v !== undefined && stderr.includes(v);
  }));
  return named.length === 1 ? named[0] : jobs.length === 1 ? jobs[0] : undefined;
}

function jobFailure(jobs: readonly Job[], job: Job | undefined, stderr: string, options: SourceOptions): NixError {
  const reason = firstErrorLine(stderr);
  if (job === undefined) {
    const what = jobs.map((j) => (j.kind === 'copy' ? j.what : `the flake input '${showInputPath(j.input.path)}'`)).join(', ');
    return new NixError('eval', `cannot copy or fetch ${what}: ${reason}`);
  }
  if (job.kind === 'copy') return new NixError('eval', `cannot copy ${job.what} to the Nix store: ${reason}`);
  const name = showInputPath(job.input.path);
  const shown = new Map(job.input.locked);
  for (const k of ['narHash', 'lastModified', 'revCount']) shown.delete(k);
  const ref = refToString(shown);
  const local = name === 'nixpkgs' || name.endsWith('/nixpkgs')
    ? `'--override-input ${name} /path/to/nixpkgs' (or 'path:${options.standInDir}' for tsportable's own package set)`
    : `'--override-input ${name} /path/to/a/copy'`;
  return new FlakeInputError(job.input.path, `the flake input '${name}' (${ref}) is not in the Nix store and fetching it failed (${reason}); to use a local copy instead, add ${local}`);
}
