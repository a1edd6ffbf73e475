/**
 * What `build` says about each image it built: the warnings `show` gives
 * before a build (the plan's checks, at their place in the Nix file) and
 * `inspect`'s findings on the built image (can its programs start, does it
 * follow systemd's rules), remembered beside the cached image. They are
 * warnings: the image is built, as nix-build would build it, and the exit
 * code stays 0. On stderr for people, in `--json` as data.
 */
import { planPortableService, type PortableServiceSpec } from '../builders/index.js';
import type { PreviewEnv } from '../builders/types.js';
import { chalkFor, formatProblem } from '../inspect/format.js';
import { findingsOfBuiltImage, findingWhere, type Finding } from '../inspect/index.js';
import { planWarningWhere, withChecks, type PlanWarning } from '../show/index.js';
import { colorFor } from './color.js';

/** A warning of the plan (with its span in the Nix file) or a finding on the image (with its path in the image). */
export type BuildWarning = (PlanWarning & { readonly from: 'plan' }) | (Finding & { readonly from: 'image' });

export interface BuildChecks {
  readonly warnings: readonly BuildWarning[];
  /** The warnings as lines for stderr (no newline). */
  readonly lines: readonly string[];
}

/** The checks of one built image: `spec` is what was built, `image` the file in its cache directory. */
export async function checkBuiltImage(spec: PortableServiceSpec, env: PreviewEnv, image: string): Promise<BuildChecks> {
  const plan = withChecks(planPortableService(spec, env));
  const findings = await findingsOfBuiltImage(image);
  // What the image shows about a unit's command replaces what the plan guessed about it.
  const seen = new Set(findings.filter((f) => f.unit !== undefined && f.line !== undefined).map((f) => `${f.unit}:${f.line}`));
  const warnings: BuildWarning[] = [
    ...plan.warnings.filter((w) => !(w.line !== undefined && seen.has(`${w.unit}:${w.line}`))).map((w) => ({ ...w, from: 'plan' as const })),
    ...findings.map((f) => ({ ...f, severity: f.severity === 'info' ? 'info' as const : 'warning' as const, from: 'image' as const })),
  ];
  const c = chalkFor({ color: colorFor('stderr') });
  const lines = warnings.map((w) => formatProblem(w, w.from === 'plan' ? planWarningWhere(w) : findingWhere(w), c));
  return { warnings, lines };
}
