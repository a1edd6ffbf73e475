/**
 * One AttrShape per list of names, however many set expressions have it: a
 * generated file with 300,000 sets of the same three names then has one
 * shape (and one index of names), not 300,000. The table is bounded: past
 * `Limits.Shapes` shapes it starts again (a shape is only shared, never
 * required to be unique).
 */
import { AttrShape } from '../value/index.js';

const enum Limits {
  /** Distinct name lists remembered; a long-lived process (the language server) must not grow without bound. */
  Shapes = 50_000,
  /** Names beyond which a set is not looked up (sets that large are one of a kind, and the key costs its size). */
  SharedNames = 64,
}

let shapes = new Map<string, AttrShape>();

/** The shape of a set with these names, in this order. */
export function attrShape(names: readonly string[]): AttrShape {
  if (names.length > Limits.SharedNames) return new AttrShape(names);
  // Nix strings hold no NUL byte, so NUL separates names; the count tells [] from [''].
  const key = `${names.length}\0${names.join('\0')}`;
  let shape = shapes.get(key);
  if (shape === undefined) {
    if (shapes.size >= Limits.Shapes) shapes = new Map();
    shape = new AttrShape(names);
    shapes.set(key, shape);
  }
  return shape;
}
