/**
 * Which store paths the image holds. In nixpkgs the scaffold is a derivation
 * whose output Nix scans for references: the 32-character hash of every path
 * in the derivation's input closure that occurs anywhere in the output's
 * bytes (file contents, symlink targets, entry names). The image then holds
 * the requisites of the scaffold and of `contents`. tsportable has no scaffold
 * store path, so it repeats the scan over the scaffold's texts itself, with
 * the closure of its inputs (the units, the symlink objects, what the os-release text names) as the candidates, and asks
 * `nix-store --query --requisites` for everything else.
 */
import { execa } from 'execa';
import { NixError } from '../eval/errors.js';
import { storeDir, type StorePath } from './input.js';

/** The store path a string inside the store belongs to: `/nix/store/<hash>-name/sub` gives `/nix/store/<hash>-name`. */
export function storePathOf(s: string): StorePath {
  const rest = s.slice(storeDir.length + 1);
  const slash = rest.indexOf('/');
  return `${storeDir}/${slash < 0 ? rest : rest.slice(0, slash)}`;
}

/** The hash part of a store path: the 32 characters after `/nix/store/`. */
export function hashPart(path: StorePath): string {
  return path.slice(storeDir.length + 1, storeDir.length + 33);
}

/** Nix's base-32 alphabet, the characters of store path hashes. */
const hashChars = new Uint8Array(256);
for (const c of '0123456789abcdfghijklmnpqrsvwxyz') hashChars[c.charCodeAt(0)] = 1;

/**
 * The hashes of `candidates` found in `bytes`, checking every 32-byte window
 * of hash characters as Nix's reference scanner does (a longer run of hash
 * characters may hide a hash at any offset).
 */
export function scanForHashes(bytes: Uint8Array, candidates: ReadonlySet<string>, found: Set<string>): void {
  let run = 0;
  for (let i = 0; i < bytes.length; i++) {
    run = hashChars[bytes[i]] ? run + 1 : 0;
    if (run >= 32) {
      const hash = Buffer.from(bytes.buffer, bytes.byteOffset + i - 31, 32).toString('latin1');
      if (candidates.has(hash)) found.add(hash);
    }
  }
}

/** `nix-store --query --requisites`: the closure of `paths`, sorted. */
export async function requisites(paths: readonly StorePath[]): Promise<StorePath[]> {
  if (paths.length === 0) return [];
  const unique = [...new Set(paths)];
  const result = await execa('nix-store', ['--query', '--requisites', ...unique], { reject: false, stripFinalNewline: true });
  if (result.exitCode !== 0) {
    throw new NixError('build', `nix-store --query --requisites failed: ${String(result.stderr).trim() || `exit code ${result.exitCode}`}`);
  }
  return String(result.stdout).split('\n').filter((l) => l !== '').sort();
}

/** The reference graph of the closure of some store paths: each path with the paths it refers to. */
export type ReferenceGraph = ReadonlyMap<StorePath, readonly StorePath[]>;

/**
 * `nix-store --query --graph`: the closure of `paths` with its references, in
 * one process, so that the closures of several subsets (the scaffold's
 * candidates, then the image's) need no further query.
 */
export async function referenceGraph(paths: readonly StorePath[]): Promise<ReferenceGraph> {
  const graph = new Map<StorePath, StorePath[]>();
  if (paths.length === 0) return graph;
  const result = await execa('nix-store', ['--query', '--graph', ...new Set(paths)], { reject: false, stripFinalNewline: true });
  if (result.exitCode !== 0) {
    throw new NixError('build', `nix-store --query --graph failed: ${String(result.stderr).trim() || `exit code ${result.exitCode}`}`);
  }
  const node = (name: string): StorePath => {
    const p = `${storeDir}/${name}`;
    if (!graph.has(p)) graph.set(p, []);
    return p;
  };
  // Dot lines: `"hash-name" [label ...];` for a node, `"ref" -> "referrer" [...];` for a reference.
  for (const m of String(result.stdout).matchAll(/^"([^"]+)"(?: -> "([^"]+)")?/gm)) {
    const from = node(m[1]);
    if (m[2] !== undefined) graph.get(node(m[2]))!.push(from);
  }
  return graph;
}

/** The closure of `paths` within `graph` (as `requisites` gives it), sorted. */
export function closureIn(graph: ReferenceGraph, paths: readonly StorePath[]): StorePath[] {
  const seen = new Set<StorePath>();
  const todo = [...paths];
  for (let p = todo.pop(); p !== undefined; p = todo.pop()) {
    if (seen.has(p)) continue;
    seen.add(p);
    const refs = graph.get(p);
    if (refs === undefined) throw new NixError('build', `internal: ${p} is not in the queried closure`);
    todo.push(...refs);
  }
  return [...seen].sort();
}

/**
 * The store paths the scaffold refers to: those of the candidate closure whose
 * hash occurs in any of the scaffold's byte strings.
 */
export function scaffoldReferences(candidateClosure: readonly StorePath[], scaffoldBytes: Iterable<Uint8Array>): StorePath[] {
  const byHash = new Map(candidateClosure.map((p) => [hashPart(p), p] as const));
  const found = new Set<string>();
  const candidates = new Set(byHash.keys());
  for (const bytes of scaffoldBytes) scanForHashes(bytes, candidates, found);
  return [...found].map((h) => byHash.get(h)!).sort();
}
