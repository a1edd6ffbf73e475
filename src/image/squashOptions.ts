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

/**
 * What mksquashfs 4.5.1 accepts after `-comp`: its compressors, each with its
 * own `-X` options (those taking a value name the values they accept, when
 * they are a fixed set). nixpkgs pastes the whole compression string there.
 */
const compressors: Record<string, Record<string, { readonly values?: readonly string[]; readonly list?: boolean } | null>> = {
  gzip: {
    '-Xcompression-level': {},
    '-Xwindow-size': {},
    '-Xstrategy': { values: ['default', 'filtered', 'huffman_only', 'run_length_encoded', 'fixed'], list: true },
  },
  lzo: {
    '-Xalgorithm': { values: ['lzo1x_1', 'lzo1x_1_11', 'lzo1x_1_12', 'lzo1x_1_15', 'lzo1x_999'] },
    '-Xcompression-level': {},
  },
  lz4: { '-Xhc': null },
  xz: {
    '-Xbcj': { values: ['x86', 'arm', 'armthumb', 'powerpc', 'sparc', 'ia64'], list: true },
    '-Xdict-size': {},
  },
  zstd: { '-Xcompression-level': {} },
  lzma: {},
};

/**
 * Why mksquashfs would refuse a compression string (an unknown compressor, an
 * option another compressor has, a missing or unknown value): the first
 * problem, where mksquashfs stops, or nothing. Other mksquashfs options
 * (`-no-xattrs`) are left alone.
 */
export function compressionProblems(compression: string): string[] {
  const [name, ...rest] = compressionWords(compression);
  if (name === undefined) return [];
  const options = compressors[name];
  if (!options) return [`compressor '${name}' is not one mksquashfs knows (${Object.keys(compressors).join(', ')})`];
  const problems: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (!word.startsWith('-')) {
      problems.push(`'${word}' is neither an option nor an option's value: mksquashfs refuses it`);
      continue;
    }
    if (!word.startsWith('-X')) continue;
    if (!(word in options)) {
      const known = Object.keys(options);
      problems.push(`'${word}' is not an option of ${name} (${known.length > 0 ? `it has ${known.join(', ')}` : 'it has none'})`);
      continue;
    }
    const spec = options[word];
    if (!spec) continue;
    const value = rest[i + 1];
    if (value === undefined || value.startsWith('-')) {
      problems.push(`${name}'s ${word} needs a value`);
      continue;
    }
    i++;
    const bad = spec.values ? (spec.list ? value.split(',') : [value]).filter((v) => !spec.values!.includes(v)) : [];
    if (bad.length > 0) problems.push(`'${bad.join(',')}' is not a value of ${name}'s ${word} (${spec.values!.join(', ')})`);
  }
  return problems.slice(0, 1);
}
