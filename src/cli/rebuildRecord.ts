/**
 * The recording side of the cached rebuild (rebuild.ts answers): a build
 * records what it depended on while it runs, and keeps the record when all of
 * it could be known. When Nix evaluated anything, the record also holds what
 * Nix reads that this process does not: every search path entry's tree (an
 * entry in the store by its store path, which must stay valid), tsportable's
 * own Nix files, Nix's configuration files, and the Nix programs' identity.
 * Making the image itself is not watched: its inputs are the realised store
 * paths (which must stay valid) and mksquashfs (whose identity is recorded).
 *
 * Never recorded, so always built in full: flakes (their inputs may be
 * unlocked), --check and --dry-run, a nixpkgs user configuration or overlays
 * (what they import cannot be listed), a search path entry that is a URL, a
 * Nix store other than the local one, a nix.conf that includes other files,
 * and whatever evaluation marks as unknowable (builtins.currentTime, a fetch
 * without a hash, a function handed to Nix that reads files by computed names
 * or fetches: src/eval/dependencies.ts's `dependsOnTheWorld`).
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { dependsOnTheWorld, nixWillRead, startRecording } from '../eval/dependencies.js';
import { isUrl } from '../eval/searchPath.js';
import { cacheLocation } from '../image/cache.js';
import { rootOf } from '../image/gc.js';
import { storePathOf } from '../image/closure.js';
import { programFile } from '../image/facts.js';
import { storeDir } from '../image/input.js';
import { nixDir, packageRoot } from '../paths.js';
import { diagnostics } from '../eval/diagnostics.js';
import { io } from './command.js';
import type { EvalInput } from './evalInput.js';
import type { ParsedArgs } from './options.js';
import { rebuildRequest, trustedDbIdentity, writeRecord, type RecordedImage } from './rebuild.js';

/** One image the run built: its record (see rebuild.ts; the root is found here) and the store paths it holds. */
export interface BuiltImage extends Omit<RecordedImage, 'root'> {
  readonly closure: readonly string[];
}

/** A build being recorded. */
export interface RebuildRecorder {
  /** Keeps the record, unless something was unknowable; `nixEvaluated`: a Nix evaluation ran. */
  save(images: readonly BuiltImage[], nixEvaluated: boolean): void;
  /** Stops recording (after `save`, or instead of it for a failed build). */
  stop(): void;
  /**
   * Keeps what is said on stderr (tsportable's notices, Nix's warnings and
   * traces) until the function returned is called: call around evaluation.
   */
  keepEvaluationOutput(): () => void;
  /**
   * Stops watching until the function returned is called: for making the
   * image from realised inputs, whose reads are not inputs (the store's
   * contents and mksquashfs are, and are recorded otherwise).
   */
  suspend(): () => void;
}

/**
 * Starts recording the build `args` asks for, or undefined when such a build
 * is never answered from a record (see above). Call before evaluation
 * begins: what Nix will read is fingerprinted now, before it reads it.
 */
export function recordRebuild(args: ParsedArgs, input: EvalInput): RebuildRecorder | undefined {
  if (input.flake || args.options.has('check') || args.options.has('dry-run')) return undefined;
  const request = rebuildRequest(['build', ...args.argv]);
  // Known before anything is built: a path invalidated later changes the database.
  const storeDb = trustedDbIdentity();
  // Not inputs: tsportable's caches and code (the request names the code).
  const recording = startRecording({
    exclude: [`${cacheLocation().dir}/`, `${join(packageRoot, 'dist')}/`],
    immutable: [`${storeDir}/`],
  });
  const nix = recordWhatNixReads(input);
  let finished = false;
  const finish = () => {
    finished = true;
    return recording.finish();
  };
  let evaluationStderr = '';
  return {
    keepEvaluationOutput() {
      const { stderr } = io;
      const { write } = diagnostics;
      io.stderr = (text) => {
        evaluationStderr += text;
        stderr(text);
      };
      diagnostics.write = (line) => {
        evaluationStderr += `${line}\n`;
        write.call(diagnostics, line);
      };
      return () => {
        io.stderr = stderr;
        diagnostics.write = write;
      };
    },
    suspend: () => recording.suspend(),
    stop: () => void (finished || finish()),
    save(built, nixEvaluated) {
      const outcome = finish();
      if ('unknowable' in outcome) return;
      // Without a Nix evaluation, Nix read none of the trees handed to it.
      const trees = nixEvaluated ? outcome.trees : outcome.trees.filter((t) => !nix.trees.has(t.path));
      const storePaths = [...new Set([...built.flatMap((i) => i.closure), ...(nixEvaluated ? nix.storePaths : [])])].sort();
      const cache = cacheLocation();
      const images = built.map(({ key, fileName, outLink, stderr, stdout }) => ({
        key, fileName, outLink, root: outLink === null ? null : rootOf(cache, outLink), stderr, stdout,
      }));
      writeRecord(request.file, { request: request.request, evaluationStderr, dependencies: { files: outcome.files, trees }, storePaths, storeDb, images });
    },
  };
}

/**
 * What real Nix reads when it evaluates for this build, besides the paths
 * written into its source (handed over as they are written): fingerprinted
 * now, or marked unknowable. Returns the trees' paths, and the store paths of
 * search path entries in the store.
 */
function recordWhatNixReads(input: EvalInput): { trees: Set<string>; storePaths: string[] } {
  const trees = new Set<string>();
  const storePaths: string[] = [];
  const handOver = (path: string) => {
    nixWillRead(path);
    trees.add(path);
  };
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
    if (real.startsWith(`${storeDir}/`)) storePaths.push(storePathOf(real));
    else handOver(path);
  }
  // tsportable's own Nix files: the bridge's, and the package set standing in for nixpkgs.
  handOver(nixDir);
  // The programs that evaluate (another Nix may evaluate otherwise), and the host's mksquashfs (part of an image's key).
  for (const program of ['nix-instantiate', 'nix-store', 'mksquashfs']) {
    const file = programFile(program);
    if (file !== undefined) handOver(file);
  }
  // Nix's configuration (settings, nix-path), as Nix finds it; an included file is not followed.
  const xdgConfig = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  const confFiles = [
    join(env.NIX_CONF_DIR || '/etc/nix', 'nix.conf'),
    ...(env.XDG_CONFIG_DIRS || '/etc/xdg').split(':').map((d) => join(d, 'nix', 'nix.conf')),
    ...(env.NIX_USER_CONF_FILES ? env.NIX_USER_CONF_FILES.split(':') : [join(xdgConfig, 'nix', 'nix.conf')]),
  ];
  for (const file of confFiles) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8'); // recorded, as every read is
    } catch {
      continue;
    }
    if (/^\s*!?include\s/m.test(text)) dependsOnTheWorld(`${file} includes other files`);
    if (/^\s*(extra-)?nix-path\s*=/m.test(text)) dependsOnTheWorld(`${file} sets a search path`);
  }
  // nixpkgs' user configuration and overlays may import anything.
  const userConfig = [
    env.NIXPKGS_CONFIG, join(xdgConfig, 'nixpkgs', 'config.nix'), join(homedir(), '.nixpkgs', 'config.nix'),
    join(xdgConfig, 'nixpkgs', 'overlays.nix'), join(xdgConfig, 'nixpkgs', 'overlays'),
  ];
  for (const file of userConfig) if (file && existsSync(file)) dependsOnTheWorld(`the nixpkgs configuration ${file}`);
  return { trees, storePaths };
}
