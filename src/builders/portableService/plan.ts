/**
 * The `show` plan of a portableService spec: what the image will hold, known
 * without running Nix. Units made by a builder plugin show their text; units
 * only Nix can build show where they come from. Store paths Nix has not
 * computed are written `${expression}` (the convention of src/show/plan.ts),
 * which the bridge's `renderText` does for placeholders inside texts.
 */
import { showPlanSchemaVersion, toPlanSpan, type PlannedUnit, type PlanWarning, type ShowPlan } from '../../show/plan.js';
import { compressionWords, placeSymlinks, type PlacedSymlink } from '../../image/input.js';
import { compressionProblems, mksquashfsOptions } from '../../image/squashOptions.js';
import { knownText } from '../knownText.js';
import { plainPreviewEnv, type PreviewEnv, type StoreObject } from '../types.js';
import type { PortableServiceSpec } from './spec.js';
import { osReleaseOf, provisionalInput, unitSpan } from './checks.js';
import { checkExecPaths } from './execPaths.js';

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

/** A symlink's path in the image, `/`-rooted; as written when it cannot be placed (the build says why). */
function placedSymlinkPath(placed: PlacedSymlink | string | undefined, written: string): string {
  return placed === undefined || typeof placed === 'string' ? written : `/${placed.path}`;
}

export function planPortableService(spec: PortableServiceSpec, env: PreviewEnv = plainPreviewEnv): ShowPlan {
  const warnings: PlanWarning[] = [];
  // A unit's span, and the warnings about it, are where that unit is made
  // (its builder call, or its set's `name`), else the `units` argument.
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
    const raw = knownText(u.object, plainPreviewEnv);
    if (raw !== undefined) warnings.push(...checkExecPaths(name, raw, env, madeSpan));
    return { name, source: unitSource(u.object), ...(text === undefined ? {} : { text }), ...(madeSpan ? { span: madeSpan } : {}) };
  });
  // Where nixpkgs' script puts each symlink (`bin/sh` is /bin/sh); names only Nix knows cannot move them.
  const placed = placeSymlinks(provisionalInput(spec));
  const compressionSpan = spec.spans.compression ?? spec.spans.call;
  for (const problem of compressionProblems(spec.compression)) {
    warnings.push({
      severity: 'error', code: 'compression-unknown', message: `squash-compression: ${problem}; the build would fail`,
      ...(compressionSpan ? { span: toPlanSpan(compressionSpan) } : {}),
    });
  }
  return {
    schemaVersion: showPlanSchemaVersion,
    imageFileName: `${spec.pname}_${spec.version}.raw`,
    pname: spec.pname,
    version: spec.version,
    ...(spec.spans.pname ? { pnameSpan: toPlanSpan(spec.spans.pname) } : {}),
    // A description naming a package (`"${pkgs.hello} as a service"`) shows it as the units do.
    osRelease: env.renderText(osReleaseOf(spec)),
    units,
    symlinks: spec.symlinks.map((l, i) => ({
      symlink: placedSymlinkPath(placed[i], l.symlink),
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
