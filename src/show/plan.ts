/**
 * The data `tsportable show` prints: what an image will hold, known before
 * anything is built. The portableService builder plugin fills a `ShowPlan`
 * from the evaluated spec; this module only describes it. Everything here is
 * plain JSON data (no `Source` objects, no functions), because `show --json`
 * prints the plan as it is and editors read that form: its shape is the
 * contract documented in docs/show.schema.json, and changing it means changing
 * the schema and `schemaVersion`.
 *
 * What is hard: a plan is made without Nix, so some of it is not known. A unit
 * built by a builder plugin (writeText, ...) has its text; a unit that only
 * Nix can build (`pkgs.foo`, a `runCommand` output) has only a description of
 * where it comes from. Store paths of values not built yet cannot be written
 * as real paths; they are written as `${expression}` (see `PlannedUnit.text`).
 */
import type { Span } from '../eval/span.js';
import type { Severity } from '../inspect/rules.js';

export type { Severity };

/** Bumped when the JSON form changes incompatibly. */
export const showPlanSchemaVersion = 1;

/** A place in a Nix file: 1-based lines and columns, end exclusive (like `Span`). */
export interface PlanSpan {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** One problem found before the build, located in the Nix file and/or in a unit's text. */
export interface PlanWarning {
  readonly severity: Severity;
  /** Stable identifier for scripts and editors, e.g. `unit-prefix` (see docs/show.schema.json). */
  readonly code: string;
  readonly message: string;
  /** The place in the Nix file the warning concerns, when known. */
  readonly span?: PlanSpan;
  /** The unit concerned, by name. */
  readonly unit?: string;
  /** 1-based line in that unit's text. */
  readonly line?: number;
}

export interface PlannedUnit {
  /** The unit's file name inside the image, `etc/systemd/system/<name>`. */
  readonly name: string;
  /**
   * Where the unit's file comes from, for people: the builder that makes it
   * (`pkgs.writeText`) or, when only Nix can build it, `built by Nix: pkgs.foo`.
   */
  readonly source: string;
  /**
   * The unit's text, when a builder plugin knows it without building. Store
   * paths already known are written as they are (`/nix/store/<hash>-name`);
   * a value that only Nix can build is written `${pkgs.hello}` (the expression
   * as the user wrote it, inside `${}`), so checks can tell it is a store path.
   */
  readonly text?: string;
  /** Where the unit is made in the Nix file: its builder call (`pkgs.writeText ...`) or its set's `name`; else the `units` argument. */
  readonly span?: PlanSpan;
}

export interface PlannedSymlink {
  /** Absolute path inside the image, e.g. `/etc/ssl/certs/ca-certificates.crt`. */
  readonly symlink: string;
  /** The link's target: a store path, or `${expression}` when not built yet. */
  readonly object: string;
  readonly span?: PlanSpan;
}

export interface PlannedContent {
  /** A store path, or the expression (`pkgs.hello`) when not built yet. */
  readonly description: string;
  readonly span?: PlanSpan;
}

export interface MksquashfsPlan {
  /** Compression words as given, e.g. `["xz", "-Xdict-size", "100%"]`. */
  readonly compression: readonly string[];
  /** Block size as given, e.g. `1M`. */
  readonly blockSize: string;
  /** The options mksquashfs will get after its sources and destination. */
  readonly options: readonly string[];
}

/** One store path of the image's closure, with `--closure`. */
export interface ClosureEntry {
  readonly path: string;
  /** Bytes of the files under it, each file counted once (what `inspect` reports for the same path: src/inspect/sizes.ts). */
  readonly size: number;
}

export interface ShowPlan {
  readonly schemaVersion: typeof showPlanSchemaVersion;
  /** `<pname>_<version>.raw`. */
  readonly imageFileName: string;
  readonly pname: string;
  readonly version: string;
  /** Where pname is given, for warnings about it. */
  readonly pnameSpan?: PlanSpan;
  /** The exact text of `etc/os-release`. */
  readonly osRelease: string;
  readonly units: readonly PlannedUnit[];
  readonly symlinks: readonly PlannedSymlink[];
  readonly contents: readonly PlannedContent[];
  readonly mksquashfs: MksquashfsPlan;
  readonly warnings: readonly PlanWarning[];
  /** Only with `--closure`: every store path of the image, sorted by path. */
  readonly closure?: readonly ClosureEntry[];
}

/** The JSON form of an evaluator `Span`: the file's path without its text. */
export function toPlanSpan(span: Span): PlanSpan {
  return {
    file: span.source.path,
    line: span.line,
    column: span.column,
    endLine: span.endLine,
    endColumn: span.endColumn,
  };
}
