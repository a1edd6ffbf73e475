/**
 * From a portableService spec to the image builder's input: every store path
 * the image needs (unit files and names only Nix knows, symlink objects,
 * contents, a mksquashfs package) is resolved through the bridge in one batch,
 * local paths are added to the store as Nix adds them when interpolated, and
 * the result is checked again with its real paths before anything is built.
 */
import type { Span } from '../../eval/span.js';
import { hooks } from '../../eval/value/hooks.js';
import type { ImageInput } from '../../image/input.js';
import type { NixText, StoreObject } from '../types.js';
import { checkInput, imageInput, osReleaseOf } from './checks.js';
import type { PortableServiceSpec } from './spec.js';

/** What realisation needs from the bridge (src/bridge: `realiseStrings`). */
export interface RealiseBridge {
  /**
   * Every placeholder in the texts replaced by its real store path, with one Nix run for all; contexts
   * realised, and for each text the store paths its context names.
   */
  realiseStrings(strings: readonly NixText[], span?: Span): Promise<{ readonly texts: readonly string[]; readonly contextPaths: readonly (readonly string[])[] }>;
}

/** The program mksquashfs of the package set's default: the host's. */
const hostMksquashfs = 'mksquashfs';

export async function realisePortableService(spec: PortableServiceSpec, bridge: RealiseBridge): Promise<ImageInput> {
  const texts: NixText[] = [];
  const add = (t: NixText): number => texts.push(t) - 1;
  const addObject = (obj: StoreObject, span: Span | undefined): number => {
    if (obj.kind !== 'path') return add(obj.outPath);
    // As "${./file}" does: the path is added to the store, and the string refers to it.
    const storePath = hooks.copyPathToStore(obj.path, span);
    return add({ text: storePath, context: [storePath] });
  };
  const s = spec.spans;
  const unitNames = spec.units.map((u) => add(u.name));
  const unitFiles = spec.units.map((u) => addObject(u.object, s.units ?? s.call));
  const symlinkObjects = spec.symlinks.map((l) => addObject(l.object, l.objectSpan ?? s.symlinks ?? s.call));
  const contents = spec.contents.map((c) => addObject(c, s.contents ?? s.call));
  // With its context: what a description or homepage names is built, and the scaffold may refer to it.
  const osRelease = add(osReleaseOf(spec));
  const tools = spec.mksquashfs.kind === 'package' ? addObject(spec.mksquashfs.object, s.mksquashfs ?? s.call) : undefined;

  const resolved = await bridge.realiseStrings(texts, s.call);
  const at = (i: number) => resolved.texts[i];
  const input = imageInput(spec, {
    unitNames: unitNames.map(at),
    unitFiles: unitFiles.map(at),
    symlinkObjects: symlinkObjects.map(at),
    contents: contents.map(at),
    mksquashfs: tools === undefined ? hostMksquashfs : `${at(tools)}/bin/mksquashfs`,
    osRelease: at(osRelease),
    osReleaseContext: resolved.contextPaths[osRelease],
  });
  checkInput(spec, input, spec.units.map(() => true));
  return input;
}
