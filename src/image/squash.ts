/**
 * Running mksquashfs the way nixpkgs does, in two ways that give the same
 * bytes. nixpkgs copies the closure into `build/nix/store` with one `cp -a`
 * per path and runs `mksquashfs nix <scaffold>/* OUT <options>` in `build`.
 * The direct way gives mksquashfs `/nix` itself with everything outside the
 * closure excluded (excludes.ts) and the modes of `nix` and `nix/store` that
 * nixpkgs' freshly made directories have (0755) set by pseudo definitions;
 * every time stamp is 0 either way because SOURCE_DATE_EPOCH=0 overrides
 * them. The copy is kept for the one case the direct way cannot reproduce
 * (hardLinks.ts). mksquashfs uses every core by default.
 *
 * Progress: mksquashfs's progress bar is no use through a pipe (it redraws
 * only at multiples of 100 blocks, so mostly 0% and 100%), but `-info` prints
 * one line per file with its uncompressed size, a file of a block or more once
 * its blocks are written, a smaller one (packed into a fragment) once it is
 * read; the sum of those sizes against the closure's file bytes is how far it
 * is. Through a pipe the C library would hold those lines back in 4 KiB
 * blocks, so mksquashfs runs under coreutils' `stdbuf -oL` where there is
 * one. `-info` and `stdbuf` change what mksquashfs prints and when, not the
 * image.
 */
import { accessSync, constants } from 'node:fs';
import { writeFile, mkdir, chmod } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { NixError } from '../eval/errors.js';
import { storeDir, type StorePath } from './input.js';
import { mksquashfsOptions } from './squashOptions.js';
import { excludeLines } from './excludes.js';
import { interruption } from './interrupt.js';

export interface SquashJob {
  readonly mksquashfs: string;
  readonly closure: readonly StorePath[];
  /** Directory holding the written scaffold. */
  readonly scaffoldDir: string;
  /** The scaffold's top-level names, in glob order. */
  readonly topLevel: readonly string[];
  /** Where the image is written. */
  readonly output: string;
  /** A private directory for the exclude file or the copy of the closure. */
  readonly workDir: string;
  readonly compression: string;
  readonly blockSize: string;
  readonly cancelSignal?: AbortSignal;
  /** How many bytes of files mksquashfs has written so far (uncompressed), as it goes. */
  readonly onBytes?: (bytes: number) => void;
  /** Each closure path copied (the copying method), as it goes. */
  readonly onCopied?: (copied: number) => void;
}

/** The image-shaping options with mksquashfs's messages off but the per-file lines (`-info`) that tell its progress. */
function options(job: SquashJob, extra: readonly string[]): string[] {
  return ['-quiet', '-no-progress', '-info', ...mksquashfsOptions(job, extra)];
}

/** `-info`'s lines: `file /x, uncompressed size 12 bytes`, `directory /y inode 0x…`, ... */
const infoLine = /^(file|directory|symbolic link|character device|block device|fifo|socket) \//;

async function run(job: SquashJob, args: string[], cwd: string): Promise<void> {
  let written = 0;
  // Counts the -info lines and keeps only what else mksquashfs says, for its error message.
  const progress = function* (line: unknown) {
    const text = String(line);
    if (!infoLine.test(text)) {
      yield text;
      return;
    }
    const size = /^file .*, uncompressed size (\d+) bytes/.exec(text);
    if (size) {
      written += Number(size[1]);
      job.onBytes?.(written);
    }
  };
  const stdbuf = lineBufferer();
  const result = await execa(stdbuf ?? job.mksquashfs, stdbuf ? ['-oL', job.mksquashfs, ...args] : args, {
    cwd,
    env: { SOURCE_DATE_EPOCH: '0' },
    reject: false,
    all: true,
    stdout: [progress, 'pipe'],
    cancelSignal: job.cancelSignal,
  });
  // Ctrl-C on a terminal reaches mksquashfs too; it may die before our handler has aborted the build.
  if (result.isCanceled || job.cancelSignal?.aborted || result.signal === 'SIGINT') throw interruption(job.cancelSignal);
  if (result.exitCode !== 0 || result.failed) {
    const output = String(result.all ?? '').trim();
    throw new NixError('build', `mksquashfs failed (${result.exitCode !== undefined ? `exit code ${result.exitCode}` : result.shortMessage})${output ? `:\n${output}` : ''}`);
  }
}

let stdbufPath: string | null | undefined;

/** coreutils' stdbuf from PATH, or null. */
function lineBufferer(): string | null {
  if (stdbufPath === undefined) {
    stdbufPath = null;
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      const candidate = join(dir || '.', 'stdbuf');
      try {
        accessSync(candidate, constants.X_OK);
        stdbufPath = candidate;
        break;
      } catch {
        // not in this directory
      }
    }
  }
  return stdbufPath;
}

function scaffoldSources(job: SquashJob): string[] {
  return job.topLevel.map((n) => join(job.scaffoldDir, n));
}

/** mksquashfs reading the closure from /nix, nothing copied. */
export async function squashDirect(job: SquashJob): Promise<void> {
  const excludeFile = join(job.workDir, 'excludes');
  const names = job.closure.map((p) => p.slice(storeDir.length + 1));
  await writeFile(excludeFile, excludeLines(names).join('\n') + '\n');
  const extra = ['-wildcards', '-ef', excludeFile, '-p', 'nix m 755 0 0', '-p', 'nix/store m 755 0 0'];
  await run(job, ['/nix', ...scaffoldSources(job), job.output, ...options(job, extra)], job.workDir);
}

/** nixpkgs' own way: one `cp -a` per closure path into a private `nix/store`, then mksquashfs. */
export async function squashByCopy(job: SquashJob): Promise<void> {
  const store = join(job.workDir, 'nix', 'store');
  await mkdir(store, { recursive: true });
  await chmod(join(job.workDir, 'nix'), 0o755);
  await chmod(store, 0o755);
  for (const [k, p] of job.closure.entries()) {
    const copy = await execa('cp', ['-a', '--', p, store], { reject: false, all: true, cancelSignal: job.cancelSignal });
    if (copy.isCanceled) throw interruption(job.cancelSignal);
    if (copy.exitCode !== 0) throw new NixError('build', `copying ${p} failed: ${String(copy.all ?? '').trim()}`);
    job.onCopied?.(k + 1);
  }
  await run(job, ['nix', ...scaffoldSources(job), job.output, ...options(job, [])], job.workDir);
}

const versions = new Map<string, Promise<string>>();

/** The first line of `mksquashfs -version`, part of the cache key. */
export function mksquashfsVersion(program: string): Promise<string> {
  let v = versions.get(program);
  if (!v) {
    v = execa(program, ['-version'], { reject: false }).then((r) => {
      const line = String(r.stdout).split('\n')[0]?.trim() ?? '';
      if (!line.startsWith('mksquashfs version')) {
        versions.delete(program);
        throw new NixError('build', `'${program}' does not look like mksquashfs (${r.failed ? r.shortMessage : `'-version' printed '${line}'`})`);
      }
      return line;
    });
    versions.set(program, v);
  }
  return v;
}
