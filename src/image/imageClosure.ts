/**
 * The store part of an image, computed without building it: what the scaffold
 * refers to (scanned as Nix would, among the closure of the scaffold's inputs), then the requisites of that and of
 * `contents` (one `nix-store --query --graph` for both). `show --closure` uses it; `buildImage` uses it too, passing the
 * scaffold plan it has already made.
 */
import { closureIn, referenceGraph, scaffoldReferences, storePathOf, type ReferenceGraph } from './closure.js';
import { fileIdentity, type Facts } from './facts.js';
import { inStore, type ImageInput, type StorePath } from './input.js';
import { planScaffold, scaffoldBytes, type ScaffoldPlan } from './scaffold.js';

export interface ImageClosure {
  readonly references: readonly StorePath[];
  readonly closure: readonly StorePath[];
}

/** `facts`: where the reference graph is remembered between runs (facts.ts); without, it is always asked of Nix. */
export async function imageClosure(input: ImageInput, plan?: ScaffoldPlan, facts?: Facts): Promise<ImageClosure> {
  const scaffold = plan ?? (await planScaffold(input));
  // Only a symlink object inside the store has a closure; any other target is just the link's text.
  const objects = input.symlinks.map((s) => s.object).filter(inStore);
  // The scaffold's inputs: the units, the symlink objects, and the os-release file, which refers to what its text names.
  const roots = [...input.units.map((u) => storePathOf(u.file)), ...objects.map(storePathOf), ...(input.osReleaseContext ?? []).map(storePathOf)];
  const contents = input.contents.map(storePathOf);
  // One query for both closures: the references are within the roots' closure.
  const graph = facts ? await rememberedGraph(facts, [...roots, ...contents]) : await referenceGraph([...roots, ...contents]);
  const references = scaffoldReferences(closureIn(graph, roots), scaffoldBytes(scaffold));
  const closure = closureIn(graph, [...references, ...contents]);
  return { references, closure };
}

/** The reference graph of `paths`' closure, remembered by the paths' identities (see facts.ts). */
async function rememberedGraph(facts: Facts, paths: readonly StorePath[]): Promise<ReferenceGraph> {
  const roots = [...new Set(paths)].sort();
  const identities = roots.map(fileIdentity);
  if (identities.includes(undefined)) return referenceGraph(roots); // Nix says what is missing
  const entries = await facts.remember('references', { roots, identities }, async () => [...(await referenceGraph(roots))]);
  return new Map(entries);
}
