/**
 * The checks of a portableService call, made twice: on the spec as soon as it
 * is read (with placeholders for the store paths only Nix knows) so that
 * `show` and the editor report them at once, and on the realised input before
 * the image is built. The rules themselves are the image builder's
 * (`validateImageInput`, src/image/input.ts): here they only get their spans.
 * nixpkgs' own assertion on unit names is checked here, with its wording.
 */
import { NixError } from '../../eval/errors.js';
import type { Span } from '../../eval/span.js';
import { type ImageInput, type ImageProblem, storeDir, validateImageInput } from '../../image/input.js';
import { osReleaseText } from '../../image/osRelease.js';
import { baseNameOf } from '../knownText.js';
import type { NixText, StoreObject } from '../types.js';
import type { PortableServiceSpec } from './spec.js';

/** A stand-in store path for an object whose path Nix has not computed yet. */
function provisionalPath(obj: StoreObject): string {
  if (obj.kind === 'path') return `${storeDir}/${'0'.repeat(32)}-${baseNameOf(obj.path)}`;
  return obj.outPath.text;
}

/**
 * The os-release text with the context of the description and homepage: nixpkgs writes it with
 * `writeText`, so what they name is built first and is among what the scaffold can refer to.
 */
export function osReleaseOf(spec: PortableServiceSpec): NixText {
  const text = osReleaseText({ pname: spec.pname, description: spec.description?.text, homepage: spec.homepage?.text });
  return { text, context: [...new Set([...(spec.description?.context ?? []), ...(spec.homepage?.context ?? [])])] };
}

/** The image input as far as it is known before realisation (placeholders stand for store paths). */
export function provisionalInput(spec: PortableServiceSpec): ImageInput {
  return imageInput(spec, {
    unitNames: spec.units.map((u) => u.name.text),
    unitFiles: spec.units.map((u) => provisionalPath(u.object)),
    symlinkObjects: spec.symlinks.map((l) => provisionalPath(l.object)),
    contents: spec.contents.map(provisionalPath),
    mksquashfs: 'mksquashfs',
    osRelease: osReleaseOf(spec).text,
    osReleaseContext: [],
  });
}

/** The strings an image input is made of, once resolved. */
export interface ResolvedParts {
  readonly unitNames: readonly string[];
  readonly unitFiles: readonly string[];
  readonly symlinkObjects: readonly string[];
  readonly contents: readonly string[];
  readonly mksquashfs: string;
  /** The os-release text (its description can name a package: `"${pkgs.hello} as a service"`). */
  readonly osRelease: string;
  /** The store paths its context names, realised. */
  readonly osReleaseContext: readonly string[];
}

export function imageInput(spec: PortableServiceSpec, parts: ResolvedParts): ImageInput {
  return {
    pname: spec.pname,
    version: spec.version,
    osRelease: parts.osRelease,
    osReleaseContext: parts.osReleaseContext,
    units: spec.units.map((_, i) => ({ name: parts.unitNames[i], file: parts.unitFiles[i] })),
    symlinks: spec.symlinks.map((l, i) => ({ symlink: l.symlink, object: parts.symlinkObjects[i] })),
    contents: parts.contents,
    compression: spec.compression,
    blockSize: spec.blockSize,
    mksquashfs: parts.mksquashfs,
  };
}

/** Where a unit is made (its builder call or set), else the `units` argument. */
export function unitSpan(spec: PortableServiceSpec, index: number | undefined): Span | undefined {
  const obj = index === undefined ? undefined : spec.units[index]?.object;
  const madeAt = obj && (obj.kind === 'derivation' || obj.kind === 'foreign') ? obj.madeAt : undefined;
  return madeAt ?? spec.spans.units ?? spec.spans.call;
}

/** Where an image problem is written in the user's file. */
function problemSpan(spec: PortableServiceSpec, p: ImageProblem): Span | undefined {
  const s = spec.spans;
  switch (p.field) {
    case 'pname': return s.pname ?? s.call;
    case 'version': return s.version ?? s.call;
    case 'units': return unitSpan(spec, p.index);
    case 'symlinks': {
      const link = p.index === undefined ? undefined : spec.symlinks[p.index];
      const onObject = p.message.startsWith('symlink object');
      return (onObject ? link?.objectSpan : link?.symlinkSpan) ?? s.symlinks ?? s.call;
    }
    case 'contents': return s.contents ?? s.call;
    case 'compression': return s.compression ?? s.call;
    case 'blockSize': return s.blockSize ?? s.call;
    case 'mksquashfs': return s.mksquashfs ?? s.call;
    case 'osRelease': return s.call;
  }
}

/** "Unit names must be prefixed with the service name": nixpkgs' `lib.hasPrefix pname u.name`. */
function prefixError(spec: PortableServiceSpec, unitNames: readonly (string | undefined)[]): NixError | undefined {
  const badIndex = unitNames.findIndex((n) => n !== undefined && !n.startsWith(spec.pname));
  if (badIndex < 0) return undefined;
  const bad = unitNames.filter((n): n is string => n !== undefined && !n.startsWith(spec.pname));
  const e = new NixError('throw', 'Unit names must be prefixed with the service name', unitSpan(spec, badIndex));
  e.hints.push(`${bad.map((n) => `'${n}'`).join(', ')} ${bad.length === 1 ? 'does' : 'do'} not start with pname '${spec.pname}'`);
  return e;
}

/**
 * Throws the first problem of an input as a NixError at its span (the others
 * as related errors). `knownNames` selects the unit names that are real text
 * (a placeholder name is checked after realisation).
 */
export function checkInput(spec: PortableServiceSpec, input: ImageInput, knownNames: readonly boolean[]): void {
  const errors: NixError[] = [];
  const prefix = prefixError(spec, input.units.map((u, i) => (knownNames[i] ? u.name : undefined)));
  if (prefix) errors.push(prefix);
  for (const p of validateImageInput(input)) {
    if (p.field === 'units' && p.index !== undefined && !knownNames[p.index] && !p.message.startsWith('unit \'')) continue;
    errors.push(new NixError('eval', `portableService: ${p.message}`, problemSpan(spec, p)));
  }
  if (errors.length === 0) return;
  const [first, ...rest] = errors;
  first.related.push(...rest);
  throw first;
}
