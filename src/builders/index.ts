/**
 * The public face of the builder plugins, for the bridge (getBuilder), the
 * build command (portableServiceSpecOf, realisePortableService) and `show`
 * (planPortableService).
 */
import { isForeign, type Value } from '../eval/value/index.js';
import type { ForeignWithBuilder } from './types.js';
import { portableService } from './portableService.js';
import type { PortableServiceSpec } from './portableService/spec.js';

export { getBuilder, builderAttrPaths } from './registry.js';
export type { BuilderPlugin, BuilderPreview, BuiltBy, NixText, PreviewEnv, StoreObject } from './types.js';
export { plainPreviewEnv } from './types.js';
export type { PortableServiceSpec, PortableUnit, PortableSymlink } from './portableService/spec.js';
export { planPortableService } from './portableService/plan.js';
export { realisePortableService, type RealiseBridge } from './portableService/realise.js';

/** The spec of a `pkgs.portableService { ... }` value, or undefined when the value is something else. */
export function portableServiceSpecOf(v: Value): PortableServiceSpec | undefined {
  if (!isForeign(v)) return undefined;
  const b = (v as ForeignWithBuilder).builder;
  return b && b.plugin === (portableService as unknown) ? (b.spec as PortableServiceSpec) : undefined;
}
