/**
 * Store objects whose paths tsportable computed natively but that may not be
 * in the store yet: local paths added by "${./file}" or `builtins.path`, and
 * `builtins.toFile` texts. Evaluation gets the real store path at once; the
 * object itself is made by Nix inside the next batch, because write-back turns
 * each such path in a string into the Nix expression that makes it, which Nix
 * evaluates to the very same path.
 */
import { basename } from 'node:path';
import { existsSync } from 'node:fs';
import { NixError } from '../eval/errors.js';
import type { Span } from '../eval/span.js';
import { NixString } from '../eval/value/index.js';
import { osPath } from '../eval/value/bytes.js';
import { isValidStoreName, sourceStorePath, textStorePath } from './storePath.js';
import { pathLiteral, stringLiteral } from './nixLiterals.js';
import type { NixProgram, PendingStorePaths } from './writeBack.js';

type Pending =
  | { readonly kind: 'source'; readonly path: string; readonly name: string }
  | { readonly kind: 'text'; readonly name: string; readonly contents: string | NixString };

export class PendingStore implements PendingStorePaths {
  private readonly byStorePath = new Map<string, Pending>();
  private readonly sources = new Map<string, string>();

  /** "${path}": the store path of `path` under its base name (or `name`), as `nix-store --add` gives. */
  addSource(path: string, span: Span | undefined, name = basename(path)): string {
    const key = `${name}\0${path}`;
    const known = this.sources.get(key);
    if (known) return known;
    if (!existsSync(osPath(path))) throw new NixError('eval', `path '${path}' does not exist`, span);
    if (!isValidStoreName(name)) {
      throw new NixError('eval', `store path name '${name}' (of the path '${path}') contains a character Nix does not allow in store paths`, span);
    }
    let storePath: string;
    try {
      storePath = sourceStorePath(path, name);
    } catch (e) {
      throw new NixError('eval', `cannot add '${path}' to the store: ${(e as Error).message}`, span);
    }
    this.sources.set(key, storePath);
    this.byStorePath.set(storePath, { kind: 'source', path, name });
    return storePath;
  }

  /** `builtins.toFile name contents`; `references` are the plain store paths of the contents' context. */
  addText(name: string, contents: string | NixString, references: readonly string[], span: Span | undefined): string {
    if (!isValidStoreName(name)) throw new NixError('eval', `invalid store path name '${name}'`, span);
    const text = typeof contents === 'string' ? contents : contents.s;
    const storePath = textStorePath(name, text, references);
    this.byStorePath.set(storePath, { kind: 'text', name, contents });
    return storePath;
  }

  sourceOf(storePath: string, program: NixProgram): string | undefined {
    const p = this.byStorePath.get(storePath);
    if (!p) return undefined;
    if (p.kind === 'text') return `builtins.toFile ${stringLiteral(p.name)} ${program.value(p.contents)}`;
    if (p.name === basename(p.path)) return pathLiteral(p.path);
    return `builtins.path { path = ${pathLiteral(p.path)}; name = ${stringLiteral(p.name)}; }`;
  }

  /** The local file a pending store path stands for, to read it before it exists. */
  localContents(storePath: string): { path: string } | { text: string } | undefined {
    const p = this.byStorePath.get(storePath);
    if (!p) return undefined;
    return p.kind === 'source' ? { path: p.path } : { text: typeof p.contents === 'string' ? p.contents : p.contents.s };
  }
}
