/**
 * `buildImage`: from realised inputs to `<cache>/<key>/<pname>_<version>.raw`
 * and the `result` link. The order matters for the guarantees the command
 * makes: everything is computed before anything is written (closure, plan,
 * key); a cached image is reused without running mksquashfs; a new image is
 * written into a private temporary directory inside the cache (same file
 * system, so the final rename is atomic), flushed, and only then renamed into
 * place; the result link is switched last. A failure or an interruption at any
 * point leaves the cache and the previous result as they were, and the
 * private directory is always removed.
 */
import { chmod, mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { NixError } from '../eval/errors.js';
import { cacheKey, cacheLocation, makeWorkDir, type CacheLocation } from './cache.js';
import { factsIn, fileIdentity, programFile, type Facts } from './facts.js';
import { exists, removeTree, syncPath } from './files.js';
import { holdImage } from './gc.js';
import { linkResult } from './reuse.js';
import { surveyClosure } from './hardLinks.js';
import { imageClosure } from './imageClosure.js';
import { compressionWords, validateImageInput, type ImageInput, type StorePath } from './input.js';
import { interruption, throwIfAborted, trapSignals } from './interrupt.js';
import { describeScaffold, planScaffold, topLevelNames, writeScaffold, type ScaffoldPlan } from './scaffold.js';
import { mksquashfsVersion, squashByCopy, squashDirect } from './squash.js';
import { imageDifference } from './compare.js';

export type BuildPhase = 'closure' | 'cached' | 'scaffold' | 'squash' | 'link';

/**
 * A step of the build (`message` says what starts), or, with `update`, how
 * far the step under way has come: mksquashfs's bytes written against the
 * closure's, or the store paths copied.
 */
export interface BuildProgress {
  readonly phase: BuildPhase;
  readonly message: string;
  readonly update?: { readonly done: number; readonly total: number; readonly unit: 'bytes' | 'paths' };
}

export interface BuildOptions {
  /** The result link (nix-build's `-o`); default `./result`; null for `--no-out-link`. */
  readonly outLink?: string | null;
  /** Where finished images are kept; see cache.ts for the default. */
  readonly cacheDir?: string;
  readonly onProgress?: (progress: BuildProgress) => void;
  /** Cancels the build (in addition to SIGINT/SIGTERM, which are handled while building). */
  readonly signal?: AbortSignal;
  /** Set to false to leave SIGINT/SIGTERM to the caller. Default true. */
  readonly handleSignals?: boolean;
  /** How the closure reaches mksquashfs: 'auto' reads /nix directly unless that would change the bytes. */
  readonly method?: 'auto' | 'direct' | 'copy';
  /**
   * nix-build's `--check`: build the image again although the cache has it,
   * and fail (exit 104, as nix-build) naming the first difference unless the
   * bytes are the same. The cached image must exist.
   */
  readonly check?: boolean;
}

export interface BuildResult {
  /** The image file. */
  readonly imagePath: string;
  /** The directory holding it, where the result link points. */
  readonly resultDir: string;
  /** The result link's absolute path, or null without one. */
  readonly outLink: string | null;
  /** True when the image came from the cache and mksquashfs did not run. */
  readonly cached: boolean;
  /** The store paths under /nix/store in the image, sorted. */
  readonly closure: readonly StorePath[];
  /** The store paths the scaffold refers to (what nixpkgs' scaffold derivation would reference). */
  readonly references: readonly StorePath[];
  readonly key: string;
  /** How mksquashfs got the closure; null when cached. */
  readonly method: 'direct' | 'copy' | null;
}

export async function buildImage(input: ImageInput, options: BuildOptions = {}): Promise<BuildResult> {
  const problems = validateImageInput(input);
  if (problems.length > 0) {
    throw new NixError('build', `invalid portable service image:\n${problems.map((p) => `  ${p.field}${p.index === undefined ? '' : `[${p.index}]`}: ${p.message}`).join('\n')}`);
  }
  const progress = options.onProgress ?? (() => undefined);
  const controller = new AbortController();
  const forward = () => controller.abort(interruption(undefined));
  options.signal?.addEventListener('abort', forward);
  if (options.signal?.aborted) forward();
  const untrap = options.handleSignals === false ? () => undefined : trapSignals(controller);
  try {
    return await build(input, options, controller.signal, progress);
  } finally {
    untrap();
    options.signal?.removeEventListener('abort', forward);
  }
}

async function build(input: ImageInput, options: BuildOptions, signal: AbortSignal, progress: (p: BuildProgress) => void): Promise<BuildResult> {
  progress({ phase: 'closure', message: 'computing the closure' });
  const cache = cacheLocation(options.cacheDir);
  const root = cache.dir;
  // What the key needs that does not change is remembered: a cached image is then found without running anything.
  const facts = factsIn(join(root, 'facts'));
  const plan = await planScaffold(input);
  const { references, closure } = await imageClosure(input, plan, facts);
  const fileName = `${input.pname}_${input.version}.raw`;
  const key = cacheKey({
    fileName,
    closure,
    scaffold: describeScaffold(plan),
    compression: compressionWords(input.compression),
    blockSize: input.blockSize,
    mksquashfs: input.mksquashfs,
    mksquashfsVersion: await rememberedVersion(facts, input.mksquashfs),
  });
  throwIfAborted(signal);

  const resultDir = join(root, key);
  const imagePath = join(resultDir, fileName);
  let cached = true;
  let method: 'direct' | 'copy' | null = null;
  // `tsportable gc` leaves the image alone while this build uses it, and then while the result link holds it (gc.ts).
  const hold = await holdImage(cache, key);
  try {
    if (options.check) {
      if (!(await exists(imagePath))) {
        throw new NixError('eval', `the image ${fileName} is not in tsportable's cache (${imagePath}), so checking it is not possible; build it first`);
      }
      method = await buildIntoCache(input, options, { cache, root, key, fileName, closure, plan, signal, progress, checkAgainst: imagePath });
    } else if (await exists(imagePath)) {
      progress({ phase: 'cached', message: `reusing ${imagePath}` });
    } else {
      cached = false;
      method = await buildIntoCache(input, options, { cache, root, key, fileName, closure, plan, signal, progress });
    }
    throwIfAborted(signal);
    const outLink = await linkResult(cache, resultDir, options.outLink, progress);
    return { imagePath, resultDir, outLink, cached, closure, references, key, method };
  } finally {
    await hold.release();
  }
}

/** mksquashfs's version line, remembered by the identity of the file that runs (see facts.ts). */
function rememberedVersion(facts: Facts, program: string): Promise<string> {
  const file = programFile(program);
  const identity = file === undefined ? undefined : fileIdentity(file);
  if (identity === undefined) return mksquashfsVersion(program); // its own error says what is wrong
  return facts.remember('mksquashfs-version', { program, file, identity }, () => mksquashfsVersion(program));
}

interface CacheJob {
  readonly cache: CacheLocation;
  readonly root: string;
  readonly key: string;
  readonly fileName: string;
  readonly closure: readonly StorePath[];
  readonly plan: ScaffoldPlan;
  readonly signal: AbortSignal;
  readonly progress: (p: BuildProgress) => void;
  /** `--check`: compare the new image with this one instead of caching it. */
  readonly checkAgainst?: string;
}

async function buildIntoCache(input: ImageInput, options: BuildOptions, job: CacheJob): Promise<'direct' | 'copy'> {
  const work = await makeWorkDir(job.cache);
  try {
    job.progress({ phase: 'scaffold', message: 'writing the root scaffold' });
    const scaffoldDir = join(work, 'scaffold');
    await writeScaffold(scaffoldDir, job.plan);
    const stage = join(work, job.key);
    await mkdir(stage);
    const output = join(stage, job.fileName);
    const requested = options.method ?? 'auto';
    const survey = await surveyClosure(job.closure);
    const method = requested !== 'auto' ? requested : survey.crossPathHardLinks ? 'copy' : 'direct';
    throwIfAborted(job.signal);
    const message = `mksquashfs of ${job.closure.length} store paths (${method})`;
    job.progress({ phase: 'squash', message });
    const update = (done: number, total: number, unit: 'bytes' | 'paths') => job.progress({ phase: 'squash', message, update: { done, total, unit } });
    const squashWork = join(work, 'squash');
    await mkdir(squashWork);
    const squashJob = {
      mksquashfs: input.mksquashfs,
      closure: job.closure,
      scaffoldDir,
      topLevel: topLevelNames(job.plan),
      output,
      workDir: squashWork,
      compression: input.compression,
      blockSize: input.blockSize,
      cancelSignal: job.signal,
      onBytes: (bytes: number) => update(bytes, survey.fileBytes, 'bytes'),
      onCopied: (copied: number) => update(copied, job.closure.length, 'paths'),
    };
    await (method === 'direct' ? squashDirect(squashJob) : squashByCopy(squashJob));
    throwIfAborted(job.signal);
    if (job.checkAgainst) {
      await checkSameImage(job.checkAgainst, output);
      return method;
    }
    await chmod(output, 0o444);
    await syncPath(output);
    await syncPath(stage);
    try {
      await rename(stage, join(job.root, job.key));
    } catch (e) {
      // Another build finished the same image first: its copy is as good as ours.
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
      if (!(await exists(join(job.root, job.key, job.fileName)))) {
        throw new NixError('build', `the cache entry ${join(job.root, job.key)} exists but lacks ${job.fileName}; remove that directory`);
      }
    }
    await syncPath(job.root);
    return method;
  } finally {
    await removeTree(work);
  }
}

/** `--check`'s verdict: nix-build's "may not be deterministic" when the rebuilt image differs. */
async function checkSameImage(cached: string, rebuilt: string): Promise<void> {
  const difference = await imageDifference(cached, rebuilt);
  if (difference !== undefined) {
    throw new NixError('check', `the image '${cached}' may not be deterministic: a rebuild differs: ${difference}`);
  }
}
