/**
 * The typed result of a `pkgs.portableService { ... }` call: everything the
 * image needs, with store paths still as strings with contexts (a unit made
 * by `pkgs.writeText` is known only to Nix until the bridge resolves it), and
 * the spans of the arguments so that later problems can point at them.
 */
import type { Span } from '../../eval/span.js';
import type { NixText, StoreObject } from '../types.js';

export interface PortableUnit {
  readonly object: StoreObject;
  /** `unit.name`: the file name under etc/systemd/system (a placeholder when only Nix knows it). */
  readonly name: NixText;
}

export interface PortableSymlink {
  /** Absolute path inside the image. */
  readonly symlink: string;
  readonly object: StoreObject;
  /** Where `symlink` and `object` are written in this element. */
  readonly symlinkSpan?: Span;
  readonly objectSpan?: Span;
}

/** Which mksquashfs: the host's (the package set's default) or that of a package the user gave. */
export type MksquashfsSource =
  | { readonly kind: 'default' }
  | { readonly kind: 'package'; readonly object: StoreObject };

export interface PortableServiceSpec {
  readonly pname: string;
  readonly version: string;
  /** With their contexts: a package they name (`"${pkgs.hello} as a service"`) is built and goes into the image, as with nixpkgs' os-release file. */
  readonly description: NixText | null;
  readonly homepage: NixText | null;
  readonly units: readonly PortableUnit[];
  readonly symlinks: readonly PortableSymlink[];
  readonly contents: readonly StoreObject[];
  readonly mksquashfs: MksquashfsSource;
  /** nixpkgs' `squash-compression` string, e.g. `xz -Xdict-size 100%`. */
  readonly compression: string;
  /** nixpkgs' `squash-block-size`, e.g. `1M`. */
  readonly blockSize: string;
  readonly spans: PortableServiceSpans;
}

export interface PortableServiceSpans {
  readonly call?: Span;
  readonly pname?: Span;
  readonly version?: Span;
  readonly units?: Span;
  readonly symlinks?: Span;
  readonly contents?: Span;
  readonly compression?: Span;
  readonly blockSize?: Span;
  readonly mksquashfs?: Span;
}
