/**
 * The `show` plan of a portableService spec: what the image will hold, known
 * without running Nix. Units made by a builder plugin show their text; units
 * only Nix can build show where they come from. Store paths Nix has not
 * computed are written `${expression}` (the convention of src/show/plan.ts),
 * which the bridge's `renderText` does for placeholders inside texts.
 */
import { showPlanSchemaVersion, toPlanSpan, type PlannedUnit, type PlanWarning, type ShowPlan } from '../../show/plan.js';
import { compressionWords } from '../../image/input.js';
import { mksquashfsOptions } from '../../image/squashOptions.js';
import { osReleaseText } from '../../image/osRelease.js';
import { knownText } from '../knownText.js';
import { plainPreviewEnv, type PreviewEnv, type StoreObject } from '../types.js';
import type { PortableServiceSpec } from './spec.js';
import { unitSpan } from './checks.js';

/** A store object as `show` writes it: its path when known, else `${expression}`. */
function describeObject(obj: StoreObject, env: PreviewEnv): string {
  if (obj.kind === 'path') return `\${${obj.path}}`;
  return env.renderText(obj.outPath);
}

/** Where a unit's file comes from, for people. */
function unitSource(obj: StoreObject): string {
  if (obj.kind !== 'path' && obj.kind !== 'string' && obj.builtBy) return `pkgs.${obj.builtBy.plugin.attrPath}`;
  return `built by Nix: ${obj.describe}`;
}

export function planPortableService(spec: PortableServiceSpec, env: PreviewEnv = plainPreviewEnv): ShowPlan {
  const warnings: PlanWarning[] = [];
  // PlannedUnit.span is the `units` argument (show-api.md); the builder's own
  // warnings about one unit point where that unit is made.
  const unitsSpan = spec.spans.units && toPlanSpan(spec.spans.units);
  const units = spec.units.map((u, i): PlannedUnit => {
    const made = unitSpan(spec, i);
    const madeSpan = made && toPlanSpan(made);
    const name = env.renderText(u.name);
    const builtBy = u.object.kind === 'derivation' || u.object.kind === 'foreign' ? u.object.builtBy : undefined;
    if (builtBy) {
      const p = builtBy.plugin.preview(builtBy.spec, env);
      for (const problem of p.problems) {
        warnings.push({ severity: 'error', code: 'builder-problem', message: problem, unit: name, span: madeSpan });
      }
      if (p.output === 'directory') {
        warnings.push({
          severity: 'error', code: 'unit-not-file', unit: name, span: madeSpan,
          message: `unit '${name}' is a directory (${p.destination ? `its file is at ${p.destination}` : 'not a file'}); nixpkgs copies each unit with cp, which fails on a directory`,
        });
      }
    }
    const text = knownText(u.object, env);
    return { name, source: unitSource(u.object), ...(text === undefined ? {} : { text }), ...(unitsSpan ? { span: unitsSpan } : {}) };
  });
  return {
    schemaVersion: showPlanSchemaVersion,
    imageFileName: `${spec.pname}_${spec.version}.raw`,
    pname: spec.pname,
    version: spec.version,
    ...(spec.spans.pname ? { pnameSpan: toPlanSpan(spec.spans.pname) } : {}),
    osRelease: osReleaseText(spec),
    units,
    symlinks: spec.symlinks.map((l) => ({
      symlink: l.symlink,
      object: describeObject(l.object, env),
      ...(l.symlinkSpan ? { span: toPlanSpan(l.symlinkSpan) } : {}),
    })),
    contents: spec.contents.map((c) => ({
      description: c.kind === 'path' || c.kind === 'string' ? describeObject(c, env) : c.describe,
      ...(spec.spans.contents ? { span: toPlanSpan(spec.spans.contents) } : {}),
    })),
    mksquashfs: {
      compression: compressionWords(spec.compression),
      blockSize: spec.blockSize,
      options: mksquashfsOptions(spec),
    },
    warnings,
  };
}
