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
 */
import { writeFile, mkdir, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { NixError } from '../eval/errors.js';
import { storeDir, type StorePath } from './input.js';
import { mksquashfsOptions } from './squashOptions.js';
import { excludeLines } from './excludes.js';
import { interruption } from './interrupt.js';
import { fileIdentity, programFile } from './facts.js';

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
}

/** The image-shaping options with mksquashfs kept quiet: its output is shown only when it fails. */
function options(job: SquashJob, extra: readonly string[]): string[] {
  return ['-quiet', '-no-progress', ...mksquashfsOptions(job, extra)];
}

async function run(job: SquashJob, args: string[], cwd: string): Promise<void> {
  const result = await execa(job.mksquashfs, args, {
    cwd,
    env: { SOURCE_DATE_EPOCH: '0' },
    reject: false,
    all: true,
    cancelSignal: job.cancelSignal,
  });
  // Ctrl-C on a terminal reaches mksquashfs too; it may die before our handler has aborted the build.
  if (result.isCanceled || job.cancelSignal?.aborted || result.signal === 'SIGINT') throw interruption(job.cancelSignal);
  if (result.exitCode !== 0 || result.failed) {
    const output = String(result.all ?? '').trim();
    throw new NixError('build', `mksquashfs failed (${result.exitCode !== undefined ? `exit code ${result.exitCode}` : result.shortMessage})${output ? `:\n${output}` : ''}`);
  }
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
  for (const p of job.closure) {
    const copy = await execa('cp', ['-a', '--', p, store], { reject: false, all: true, cancelSignal: job.cancelSignal });
    if (copy.isCanceled) throw interruption(job.cancelSignal);
    if (copy.exitCode !== 0) throw new NixError('build', `copying ${p} failed: ${String(copy.all ?? '').trim()}`);
  }
  await run(job, ['nix', ...scaffoldSources(job), job.output, ...options(job, [])], job.workDir);
}

const versions = new Map<string, Promise<string>>();

/** The first line of `mksquashfs -version`, part of the cache key (asked once per binary: a replaced file is asked again). */
export function mksquashfsVersion(program: string): Promise<string> {
  const file = programFile(program);
  const key = `${program}\0${file === undefined ? '' : fileIdentity(file) ?? ''}`;
  let v = versions.get(key);
  if (!v) {
    v = execa(program, ['-version'], { reject: false }).then((r) => {
      const line = String(r.stdout).split('\n')[0]?.trim() ?? '';
      if (!line.startsWith('mksquashfs version')) {
        versions.delete(key);
        throw new NixError('build', `'${program}' does not look like mksquashfs (${r.failed ? r.shortMessage : `'-version' printed '${line}'`})`);
      }
      return line;
    });
    versions.set(key, v);
  }
  return v;
}
