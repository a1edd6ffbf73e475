/**
 * The store part of an image, computed without building it: what the scaffold
 * refers to (scanned as Nix would), then the requisites of that and of
 * `contents`. `show --closure` uses it; `buildImage` uses it too, passing the
 * scaffold plan it has already made.
 */
import { requisites, scaffoldReferences, storePathOf } from './closure.js';
import { inStore, type ImageInput, type StorePath } from './input.js';
import { planScaffold, scaffoldBytes, type ScaffoldPlan } from './scaffold.js';

export interface ImageClosure {
  readonly references: readonly StorePath[];
  readonly closure: readonly StorePath[];
}

export async function imageClosure(input: ImageInput, plan?: ScaffoldPlan): Promise<ImageClosure> {
  const scaffold = plan ?? (await planScaffold(input));
  // Only a symlink object inside the store has a closure; any other target is just the link's text.
  const objects = input.symlinks.map((s) => s.object).filter(inStore);
  const roots = [...input.units.map((u) => storePathOf(u.file)), ...objects.map(storePathOf)];
  const references = scaffoldReferences(await requisites(roots), scaffoldBytes(scaffold));
  const closure = await requisites([...references, ...input.contents.map(storePathOf)]);
  return { references, closure };
}
