/**
 * flake.lock, versions 5 to 7, as Nix reads it: a graph of nodes keyed by
 * name, with a root node; each other node has the `locked` and `original`
 * references of an input, `flake = false` for a plain source, and `parent`
 * for a relative path input (the input path of the flake it is relative to).
 * A node's `inputs` map an input name to a node key or, for `follows`, to an
 * input path from the root (`["nixpkgs"]`). Version 5 kept part of the locked
 * reference in `info`; it is merged into `locked`, as Nix does.
 */
import { readFileSync } from 'node:fs';
import { NixError } from '../eval/errors.js';
import type { AttrValue, InputAttrs } from './ref.js';

export interface LockNode {
  readonly key: string;
  readonly locked?: InputAttrs;
  readonly original?: InputAttrs;
  readonly isFlake: boolean;
  readonly parent?: readonly string[];
  /** Input name → the node, or a `follows` input path from the root. */
  readonly inputs: ReadonlyMap<string, LockNode | readonly string[]>;
}

export interface LockFile {
  readonly version: number;
  readonly root: string;
  readonly nodes: ReadonlyMap<string, LockNode>;
}

/** flake.lock of the flake in `dir`, or undefined when there is none. */
export function readLockFile(path: string): LockFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new NixError('eval', `cannot read '${path}': ${(e as Error).message}`);
  }
  return parseLockFile(text, path);
}

function attrsOf(json: unknown, what: string, path: string): InputAttrs {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad(path, `${what} is not an object`);
  const out: InputAttrs = new Map();
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'boolean') out.set(k, v);
    else if (typeof v === 'number' && Number.isInteger(v) && v >= 0) out.set(k, v);
    else throw bad(path, `attribute '${k}' of ${what} is neither a string, a Boolean nor a non-negative integer`);
  }
  return out;
}

function bad(path: string, why: string): NixError {
  return new NixError('eval', `lock file '${path}' is not valid: ${why}`);
}

export function parseLockFile(text: string, path: string): LockFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new NixError('eval', `Could not parse '${path}': ${(e as Error).message}`);
  }
  if (typeof json !== 'object' || json === null) throw bad(path, 'it is not a JSON object');
  const j = json as { version?: unknown; root?: unknown; nodes?: unknown };
  const version = typeof j.version === 'number' ? j.version : 0;
  if (version < 5 || version > 7) throw new NixError('eval', `lock file '${path}' has unsupported version ${version}`);
  const root = typeof j.root === 'string' ? j.root : 'root';
  if (typeof j.nodes !== 'object' || j.nodes === null) throw bad(path, "it has no 'nodes'");
  const nodes = new Map<string, LockNode>();
  const edges = new Map<string, Map<string, LockNode | readonly string[]>>();
  const raws = j.nodes as Record<string, unknown>;
  for (const [key, raw] of Object.entries(raws)) {
    const n = (raw ?? {}) as Record<string, unknown>;
    const inputs = new Map<string, LockNode | readonly string[]>();
    edges.set(key, inputs);
    let locked: InputAttrs | undefined;
    if (key !== root || n.locked !== undefined) {
      if (n.locked === undefined) throw new NixError('eval', `attribute 'locked' missing in lock file`);
      locked = attrsOf(n.locked, `the locked reference of '${key}'`, path);
      // Version 5 kept rev-independent attributes (narHash, lastModified) apart.
      if (n.info !== undefined) for (const [k, v] of attrsOf(n.info, `the info of '${key}'`, path)) locked.set(k, v as AttrValue);
    }
    if (key !== root && n.original === undefined) throw new NixError('eval', `attribute 'original' missing in lock file`);
    nodes.set(key, {
      key,
      locked,
      original: n.original === undefined ? undefined : attrsOf(n.original, `the original reference of '${key}'`, path),
      isFlake: n.flake === undefined ? true : n.flake === true,
      parent: Array.isArray(n.parent) ? (n.parent as string[]) : undefined,
      inputs,
    });
  }
  if (!nodes.has(root)) throw bad(path, `its root node '${root}' is missing`);
  // Edges name nodes by key; linked once every node exists (a follows path stays a path).
  for (const [key, raw] of Object.entries(raws)) {
    const n = (raw ?? {}) as Record<string, unknown>;
    for (const [name, target] of Object.entries((n.inputs ?? {}) as Record<string, unknown>)) {
      if (typeof target === 'string') {
        const node = nodes.get(target);
        if (!node) throw new NixError('eval', `lock file references missing node '${target}'`);
        if (target === root) throw new NixError('eval', 'lock file contains cycle to root node');
        edges.get(key)!.set(name, node);
      } else if (Array.isArray(target) && target.every((t) => typeof t === 'string')) {
        edges.get(key)!.set(name, target as string[]);
      } else {
        throw bad(path, `input '${name}' of node '${key}' is neither a node name nor an input path`);
      }
    }
  }
  return { version, root, nodes };
}
