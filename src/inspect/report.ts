/**
 * What `tsportable inspect` finds in an image: the facts it prints and the
 * findings of its checks. This is also the `inspect --json` form, so it holds
 * only plain data.
 */
import type { Problem } from './rules.js';
import type { Superblock } from './superblock.js';
import type { ExecCommand } from './unitFile.js';

/** A broken rule found in the image; `path` is the image path concerned, when there is one. */
export interface Finding extends Problem {
  readonly path?: string;
}

export interface InspectedUnit {
  /** File name, e.g. `demo.service`. */
  readonly name: string;
  /** Where it is listed in the image, e.g. `/etc/systemd/system/demo.service`. */
  readonly path: string;
  /** When the unit file is a symlink: where it leads inside the image. */
  readonly target?: string;
  /** The unit's text; absent when the file could not be resolved inside the image. */
  readonly text?: string;
  readonly commands: readonly ExecCommand[];
}

export interface ImageSymlink {
  readonly path: string;
  readonly target: string;
}

export interface ImageStorePath {
  readonly path: string;
  /** Bytes of the files under it (hard links counted once). */
  readonly size: number;
}

export interface InspectReport {
  /** The image path as given. */
  readonly image: string;
  readonly fileName: string;
  readonly superblock: Superblock;
  readonly osRelease?: { readonly path: string; readonly text: string };
  readonly units: readonly InspectedUnit[];
  /** Symlinks outside /nix/store (the scaffold's). */
  readonly symlinks: readonly ImageSymlink[];
  readonly storePaths: readonly ImageStorePath[];
  /** Number of entries in the image, directories included. */
  readonly entryCount: number;
  readonly findings: readonly Finding[];
}

/** `inspect`'s exit code: 1 when any check failed at error level. */
export function inspectExitCode(report: InspectReport): 0 | 1 {
  return report.findings.some((f) => f.severity === 'error') ? 1 : 0;
}
