/**
 * The mksquashfs options that shape an image, in one place for the two that
 * need them: the build runs them (squash.ts) and `show` prints them. They
 * must agree, or `show` would describe another image than `build` makes.
 * Kept apart from squash.ts so that `show` does not load the code that runs
 * programs.
 */
import { compressionWords } from './input.js';

export interface SquashSettings {
  /** nixpkgs' `squash-compression`, e.g. `xz -Xdict-size 100%`. */
  readonly compression: string;
  /** nixpkgs' `squash-block-size`, e.g. `1M`. */
  readonly blockSize: string;
}

/**
 * The options after sources and destination, in nixpkgs' order, without the
 * ones that only silence mksquashfs (`-quiet`, `-no-progress`). `extra` goes
 * before the compressor, whose words go last as in nixpkgs.
 */
export function mksquashfsOptions(settings: SquashSettings, extra: readonly string[] = []): string[] {
  return ['-noappend', '-exit-on-error', '-keep-as-directory', '-all-root', '-root-mode', '755',
    '-b', settings.blockSize, ...extra, '-comp', ...compressionWords(settings.compression)];
}
