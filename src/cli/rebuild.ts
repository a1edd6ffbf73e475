/**
 * The cached rebuild: `tsportable build` run again with nothing changed
 * answers from a record of the last build, without evaluating or starting
 * Nix, and links the same image (the slow path and this one give the same
 * stdout, link and image; their progress lines differ).
 *
 * A build records, beside its results (`<cache>/rebuilds/<request>.json`),
 * everything its answer depended on (src/eval/dependencies.ts: every file
 * question the process asked while evaluating, realising and building, with
 * the outcome it got, and the trees real Nix was handed). The request names
 * what the command line and the process bring: the arguments (but the result
 * link's name and --json, applied afterwards), the working directory, the
 * whole environment (`builtins.getEnv` here, and Nix's evaluation of the
 * package set, may read any variable), and the tsportable build. When Nix
 * evaluated anything, the record also holds what Nix reads that this process
 * does not: every search path entry's tree (an entry in the store by its
 * store path), Nix's configuration files, and the identity of the Nix
 * programs. Then there are the store paths the images hold: they must still
 * be valid.
 *
 * Not recorded, so always the slow path: flakes (their inputs may be
 * unlocked), --check and --dry-run, a nixpkgs user configuration or overlays
 * (what they import cannot be listed), a search path entry that is a URL, a
 * Nix store other than the local one, and whatever evaluation marks as
 * unknowable (builtins.currentTime, a fetch without a hash, a function handed
 * to Nix that reads files by computed names).
 *
 * Validity: a store path is valid when the Nix database says so
 * (/nix/var/nix/db/db.sqlite). Reading SQLite is not something Node 20 can
 * do, and the file's existence under /nix/store is not validity (a path is
 * invalidated before it is deleted, and a build writes its output before
 * registering it). But the database is written whenever a path becomes
 * invalid: if its files (db.sqlite and the write-ahead log) have the identity
 * they had when the paths were last known valid, and that identity is not
 * recent enough to hide a write in the same timestamp tick, nothing was
 * invalidated since. Otherwise one `nix-store --check-validity` says, and the
 * record remembers the database's identity taken before asking.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { dependsOnTheWorld, nixWillRead, startRecording, unchanged, type Dependencies, type Recording } from '../eval/dependencies.js';
import { isUrl } from '../eval/searchPath.js';
import { linkCachedImage, type BuildProgress, type BuildResult } from '../image/build.js';
import { cacheLocation } from '../image/cache.js';
import { fileIdentity, programFile } from '../image/facts.js';
import { storeDir } from '../image/input.js';
import { storePathOf } from '../image/closure.js';
import { nixDir, packageRoot } from '../paths.js';
import type { BuildWarning } from './buildChecks.js';
import type { EvalInput } from './evalInput.js';
import type { ParsedArgs } from './options.js';

/** Bump when a record's contents change meaning. */
const recordFormat = 1;

const enum Racy {
  /** The database's identity is trusted only when it last changed longer ago than this (timestamps are coarse). */
  Ms = 2000,
}

/** One image of a recorded build: what `build` printed and linked for it. */
export interface RecordedImage {
  readonly attrPath: string;
  readonly fileName: string;
  readonly result: Omit<BuildResult, 'outLink'>;
  readonly warnings: readonly BuildWarning[];
}

interface RebuildRecord {
  readonly request: unknown;
  readonly dependencies: Dependencies;
  /** The store paths the images hold, valid when the database had the identity `storeDb`. */
  readonly storePaths: readonly string[];
  readonly storeDb: string | null;
  readonly images: readonly RecordedImage[];
}

/** A build that may be answered from, and recorded for, a later run. */
export interface RebuildRequest {
  readonly file: string;
  readonly request: unknown;
}

/** The options that do not change what is built: applied to the recorded answer as to a new one. */
const appliedAfterwards = new Set(['out-link', 'no-out-link', 'json']);

/** The request a build makes, or undefined when it is never answered from a record (see above). */
export function rebuildRequest(args: ParsedArgs, input: EvalInput): RebuildRequest | undefined {
  if (input.flake || args.options.has('check') || args.options.has('dry-run')) return undefined;
  const options = [...args.options].filter(([name]) => !appliedAfterwards.has(name)).sort(([a], [b]) => (a < b ? -1 : 1));
  const env = Object.entries(process.env).sort(([a], [b]) => (a < b ? -1 : 1));
  const dist = join(packageRoot, 'dist');
  const request = {
    recordFormat,
    positional: args.positional,
    options,
    cwd: input.cwd,
    env: createHash('sha256').update(JSON.stringify(env)).digest('hex'),
    // The tsportable build: its bundle, and tsc's output (whose build info tsc rewrites on every emit).
    code: [fileIdentity(join(dist, 'tsportable.cjs')), fileIdentity(join(dist, '.tsbuildinfo'))],
  };
  const name = createHash('sha256').update(JSON.stringify(request)).digest('hex');
  return { file: join(cacheLocation().dir, 'rebuilds', `${name}.json`), request };
}

/**
 * The recorded answer to `request` when nothing it depended on has changed
 * and its store paths are valid, its images linked (`outLinkOf(k)` for the
 * k-th, as the build would link them); undefined means: build.
 */
export async function answerFromRecord(
  request: RebuildRequest,
  outLinkOf: (k: number) => string | null,
  onProgress: (p: BuildProgress) => void,
): Promise<{ readonly images: readonly RecordedImage[]; readonly outLinks: readonly (string | null)[] } | undefined> {
  let record: RebuildRecord;
  try {
    record = JSON.parse(readFileSync(request.file, 'utf8')) as RebuildRecord;
    // The request is stored too: a damaged record, or a hash collision, is no answer.
    if (JSON.stringify(record.request) !== JSON.stringify(request.request)) return undefined;
  } catch {
    return undefined;
  }
  if (!unchanged(record.dependencies)) return undefined;
  const storeDb = stillValid(record.storePaths, record.storeDb);
  if (storeDb === false) return undefined;
  if (storeDb !== record.storeDb) writeRecord(request.file, { ...record, storeDb });
  const outLinks: (string | null)[] = [];
  for (const [k, image] of record.images.entries()) {
    const linked = await linkCachedImage(image.result.key, image.fileName, { outLink: outLinkOf(k), onProgress });
    // Removed from the cache (tsportable gc): built again, from the start.
    if (linked === undefined) return undefined;
    outLinks.push(linked.outLink);
  }
  return { images: record.images, outLinks };
}

/** A build being recorded; `save` keeps the record when everything it depended on could be known. */
export interface RebuildRecorder {
  save(images: readonly RecordedImage[], nixEvaluated: boolean): void;
  /** Stops recording without keeping anything (a failed build). */
  abandon(): void;
}

/**
 * Starts recording the build of `input`; call before evaluation begins
 * (what Nix will read is fingerprinted now, before it reads it).
 */
export function recordRebuild(request: RebuildRequest, input: EvalInput): RebuildRecorder {
  // Known before anything is built: a path invalidated later changes the database.
  const storeDb = trustedDbIdentity();
  const cache = cacheLocation().dir;
  // Not inputs: tsportable's caches and code (the request names the code), the bridge's generated files.
  const recording: Recording = startRecording([`${cache}/`, `${join(packageRoot, 'dist')}/`, join(tmpdir(), 'tsportable-bridge-')]);
  const nix = recordWhatNixReads(input);
  return {
    abandon: () => void recording.finish(),
    save(images, nixEvaluated) {
      const outcome = recording.finish();
      if ('unknowable' in outcome) return;
      // Without a Nix evaluation, Nix read none of the trees handed to it.
      const trees = nixEvaluated ? outcome.trees : outcome.trees.filter((t) => !nix.trees.has(t.path));
      const storePaths = [...new Set([...images.flatMap((i) => i.result.closure), ...(nixEvaluated ? nix.storePaths : [])])].sort();
      writeRecord(request.file, { request: request.request, dependencies: { files: outcome.files, trees }, storePaths, storeDb, images });
    },
  };
}

/**
 * What real Nix reads when it evaluates for this build, besides the paths
 * written into its source (those are handed over as they are written):
 * fingerprinted now, or marked unknowable. Returns the trees' paths, and the
 * store paths of search path entries in the store.
 */
function recordWhatNixReads(input: EvalInput): { trees: Set<string>; storePaths: string[] } {
  const trees = new Set<string>();
  const storePaths: string[] = [];
  const env = process.env;
  if (env.NIX_REMOTE && env.NIX_REMOTE !== 'daemon' && env.NIX_REMOTE !== 'local') dependsOnTheWorld(`the Nix store ${env.NIX_REMOTE}`);
  for (const entry of input.searchPath) {
    const eq = entry.indexOf('=');
    const path = eq >= 0 ? entry.slice(eq + 1) : entry;
    if (isUrl(path)) {
      dependsOnTheWorld(`the search path entry ${entry}`);
      continue;
    }
    let real: string;
    try {
      // A channel is a symlink into the store: its contents never change while it is valid.
      real = realpathSync(path);
    } catch {
      continue; // a missing entry: the question is recorded
    }
    if (real.startsWith(`${storeDir}/`)) {
      storePaths.push(storePathOf(real));
      continue;
    }
    nixWillRead(path);
    trees.add(path);
  }
  // tsportable's own Nix files: the bridge's and the package set standing in for nixpkgs.
  nixWillRead(nixDir);
  trees.add(nixDir);
  // The programs that evaluate (another Nix may evaluate otherwise).
  for (const program of ['nix-instantiate', 'nix-store']) {
    const file = programFile(program);
    if (file === undefined) continue;
    nixWillRead(file);
    trees.add(file);
  }
  // Nix's configuration (settings, nix-path), as Nix finds it; an included file is not followed.
  const xdgConfig = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  const confFiles = [
    join(env.NIX_CONF_DIR || '/etc/nix', 'nix.conf'),
    ...(env.XDG_CONFIG_DIRS || '/etc/xdg').split(':').map((d) => join(d, 'nix', 'nix.conf')),
    ...(env.NIX_USER_CONF_FILES ? env.NIX_USER_CONF_FILES.split(':') : [join(xdgConfig, 'nix', 'nix.conf')]),
  ];
  for (const file of confFiles) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (/^\s*!?include\s/m.test(text)) dependsOnTheWorld(`${file} includes other files`);
  }
  // nixpkgs' user configuration and overlays may import anything.
  const userConfig = [
    env.NIXPKGS_CONFIG, join(xdgConfig, 'nixpkgs', 'config.nix'), join(homedir(), '.nixpkgs', 'config.nix'),
    join(xdgConfig, 'nixpkgs', 'overlays.nix'), join(xdgConfig, 'nixpkgs', 'overlays'),
  ];
  for (const file of userConfig) if (file && existsSync(file)) dependsOnTheWorld(`the nixpkgs configuration ${file}`);
  return { trees, storePaths };
}

function writeRecord(file: string, record: RebuildRecord): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(temporary, JSON.stringify(record));
    renameSync(temporary, file);
  } catch {
    // not recorded this time: the next build is a full one
  }
}

/** The Nix database's files (see the top of this file). */
function dbFiles(): string[] {
  const db = join(process.env.NIX_STATE_DIR || '/nix/var/nix', 'db', 'db.sqlite');
  return [db, `${db}-wal`];
}

/** The database's identity now, or null when it changed too recently to be trusted (or cannot be read). */
function trustedDbIdentity(): string | null {
  const now = Date.now();
  const parts: string[] = [];
  for (const file of dbFiles()) {
    let st;
    try {
      st = statSync(file, { bigint: true, throwIfNoEntry: false });
    } catch {
      return null;
    }
    if (st === undefined) {
      parts.push('missing');
      continue;
    }
    if (Number(st.mtimeMs) >= now - Racy.Ms || Number(st.ctimeMs) >= now - Racy.Ms) return null;
    parts.push(`${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`);
  }
  return parts.join(' ');
}

/**
 * Whether every path is still valid: false if not; else the database
 * identity under which they are known valid (possibly a newer one).
 */
function stillValid(paths: readonly string[], known: string | null): string | null | false {
  // An invalid path is usually also gone: no need to ask Nix about it.
  for (const p of paths) {
    if (lstatSync(p, { throwIfNoEntry: false }) === undefined) return false;
  }
  const before = trustedDbIdentity();
  if (known !== null && before === known) return known;
  if (paths.length === 0) return before;
  const r = spawnSync('nix-store', ['--check-validity', ...paths], { stdio: 'ignore' });
  return r.status === 0 ? before : false;
}
