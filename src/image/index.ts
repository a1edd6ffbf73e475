/** The image builder's public face: realised inputs in, a portable service image out. */
export { buildImage, type BuildOptions, type BuildProgress, type BuildPhase, type BuildResult } from './build.js';
export {
  checkUnitName, compressionWords, inStore, placeSymlinks, validateImageInput, storeDir,
  type ImageField, type ImageInput, type ImageProblem, type ImageSymlink, type ImageUnit, type StorePath,
} from './input.js';
export { mksquashfsOptions, type SquashSettings } from './squashOptions.js';
export { osReleaseText, type OsReleaseFields } from './osRelease.js';
export { requisites, referenceGraph, closureIn, scaffoldReferences, storePathOf, hashPart } from './closure.js';
export { imageClosure, type ImageClosure } from './imageClosure.js';
export { cacheLocation, cacheRoot, type CacheLocation } from './cache.js';
export { collectGarbage, type GcImage, type GcResult } from './gc.js';
