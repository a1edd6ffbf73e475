/**
 * What two portable-service images must share to count as "the same image":
 * the tree `unsquashfs -lls` shows (path, type and mode, owner, symlink
 * target, size of non-directories), the bytes of every regular file under
 * etc/ (os-release, the units, the empty mount-over files), and how it is
 * compressed (`unsquashfs -s`: compressor, its options, block size). The one allowed
 * difference is nixpkgs' own scaffold store path ("…-root-fs-scaffold-…"),
 * which nixpkgs copies into its image and tsportable leaves out by design;
 * directory sizes are squashfs' bookkeeping and are not compared.
 */
import { execa } from 'execa';
import { catImage, listImage, type ImageEntry } from '../e2e/squashfs.js';

export interface TreeEntry {
  readonly mode: string;
  readonly owner: string;
  readonly target?: string;
  readonly size?: number;
}

const scaffoldRoot = /^nix\/store\/[0-9a-z]{32}-root-fs-scaffold-[^/]*$/;

/** Top-level store paths of nixpkgs' scaffold in a listing (image paths without '/'). */
export function scaffoldPaths(entries: Map<string, ImageEntry>): string[] {
  return [...entries.keys()].filter((p) => scaffoldRoot.test(p));
}

function underAny(path: string, roots: readonly string[]): boolean {
  return roots.some((r) => path === r || path.startsWith(`${r}/`));
}

/** The comparable tree, by path, without the scaffold's store path. */
export function normalisedTree(entries: Map<string, ImageEntry>): Map<string, TreeEntry> {
  const skip = scaffoldPaths(entries);
  const tree = new Map<string, TreeEntry>();
  for (const [path, e] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (underAny(path, skip)) continue;
    tree.set(path, {
      mode: e.mode,
      owner: e.owner,
      ...(e.target !== undefined ? { target: e.target } : {}),
      ...(e.mode.startsWith('d') ? {} : { size: e.size }),
    });
  }
  return tree;
}

/** Every regular file under etc/ with its contents. */
export async function etcContents(image: string, entries: Map<string, ImageEntry>): Promise<Map<string, string>> {
  const files = [...entries.values()].filter((e) => e.path.startsWith('etc/') && e.mode.startsWith('-')).map((e) => e.path).sort();
  const contents = new Map<string, string>();
  for (const f of files) contents.set(f, await catImage(image, f));
  return contents;
}

/** Compressor, the options it was given (filters, level, dictionary size) and block size, from `unsquashfs -s`. */
export async function compressionOf(image: string): Promise<{ compression: string; blockSize: number; filters: string }> {
  const { stdout } = await execa('unsquashfs', ['-s', image]);
  const lines = stdout.split('\n');
  const at = lines.findIndex((l) => l.startsWith('Compression '));
  // The compressor's own settings are the indented lines right after "Compression <name>".
  const options: string[] = [];
  for (let i = at + 1; i > 0 && i < lines.length && /^\s/.test(lines[i]!); i++) options.push(lines[i]!.trim());
  return {
    compression: at >= 0 ? lines[at]!.slice('Compression '.length) : '?',
    blockSize: Number(/^Block size (\d+)/m.exec(stdout)?.[1] ?? NaN),
    filters: options.join('; '),
  };
}

export { listImage };
