/**
 * Reads what `unsquashfs -s` prints about an image's superblock. Only the
 * facts `inspect` shows are kept: compression (with the options it prints
 * indented below it, such as xz's dictionary size), block size and counts.
 * The creation time comes from `unsquashfs -mkfs-time`, a plain number,
 * because `-s` prints it in a locale-dependent form.
 */

export interface Superblock {
  /** `xz`, `gzip`, `zstd`, ... */
  readonly compression: string;
  /** The lines unsquashfs prints under the compression, e.g. `Dictionary size 1048576`. */
  readonly compressionOptions: readonly string[];
  readonly blockSize: number;
  /** Seconds since the epoch; 0 for images built with SOURCE_DATE_EPOCH=0. */
  readonly creationTime: number;
  /** Bytes, as the superblock records them. */
  readonly filesystemSize?: number;
  readonly inodes?: number;
}

function numberAfter(text: string, label: string): number | undefined {
  const m = new RegExp(`^${label} (\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Parses `unsquashfs -s` output and the `-mkfs-time` number. */
export function parseSuperblock(statText: string, mkfsTimeText: string): Superblock {
  const lines = statText.split('\n');
  const at = lines.findIndex((l) => l.startsWith('Compression '));
  if (at < 0) throw new Error(`unsquashfs -s printed no compression:\n${statText}`);
  const compressionOptions: string[] = [];
  for (let i = at + 1; i < lines.length && /^\s/.test(lines[i]!); i++) {
    const option = lines[i]!.trim();
    if (option !== '') compressionOptions.push(option);
  }
  const blockSize = numberAfter(statText, 'Block size');
  if (blockSize === undefined) throw new Error(`unsquashfs -s printed no block size:\n${statText}`);
  const creationTime = Number(mkfsTimeText.trim());
  if (!Number.isInteger(creationTime)) throw new Error(`unsquashfs -mkfs-time printed '${mkfsTimeText.trim()}'`);
  return {
    compression: lines[at]!.slice('Compression '.length).trim(),
    compressionOptions,
    blockSize,
    creationTime,
    filesystemSize: numberAfter(statText, 'Filesystem size'),
    inodes: numberAfter(statText, 'Number of inodes'),
  };
}
