/**
 * Runs the real CLI (`node bin/tsportable.js`) as a user would: a child
 * process with argv arrays, stdout piped (so never a terminal), in a temporary
 * working directory, with TSPORTABLE_CACHE_DIR pointing at a directory of the
 * test's choosing so one test's cached image never answers another's build.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { packageRoot } from '../../src/paths.js';

export const cliPath = join(packageRoot, 'bin', 'tsportable.js');
export const examplesDir = join(packageRoot, 'examples');
/** The nixpkgs-like test package set, for `-I nixpkgs=...`. */
export const testNixpkgs = join(packageRoot, 'test', 'fixtures', 'nixpkgs');

export interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly cwd: string;
  readonly cacheDir: string;
  /** Extra environment (PATH with shims, ...). */
  readonly env?: Readonly<Record<string, string>>;
  /** A command that runs the CLI (`withoutRootOverride()`), as argv words. */
  readonly wrapper?: readonly string[];
}

export async function tsportable(args: readonly string[], options: CliOptions): Promise<CliRun> {
  const [program, ...argv] = [...(options.wrapper ?? []), process.execPath, cliPath, ...args];
  const r = await execa(program!, argv, {
    cwd: options.cwd,
    env: { NO_COLOR: '1', TSPORTABLE_CACHE_DIR: options.cacheDir, ...options.env },
    reject: false,
    stdin: 'ignore',
    stripFinalNewline: false,
  });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/**
 * A command prefix under which file permissions bind as they bind a user.
 * Tests run as root, whom mode bits do not stop (CAP_DAC_OVERRIDE); dropped
 * from the bounding set, root reads and writes only what the modes allow.
 */
export function withoutRootOverride(): string[] {
  return process.getuid?.() === 0 ? ['setpriv', '--bounding-set', '-dac_override,-dac_read_search'] : [];
}

/** One argument as a single-quoted shell word, for a command line run through a shell (`script -qec CMD`). */
export function shellWord(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** A temporary directory for one test file: `dir(name)` makes fresh subdirectories. */
export interface Workspace {
  readonly root: string;
  dir(name: string): Promise<string>;
}

/** Creates the workspace in beforeAll and removes it in afterAll. */
export function useWorkspace(): Workspace {
  let root = '';
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'tsportable-e2e-'));
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });
  return {
    get root() { return root; },
    async dir(name: string) {
      const d = join(root, name);
      await mkdir(d, { recursive: true });
      return d;
    },
  };
}

/** What a build of one example is: its file, the -A path if any, and the image it names. */
export interface ExampleImage {
  readonly id: string;            // demo, certs, ..., multi-web
  readonly file: string;          // absolute path of the example's default.nix
  readonly attr?: string;
  readonly pname: string;
  readonly version: string;
  readonly units: readonly string[];
}

export const exampleImages: readonly ExampleImage[] = [
  { id: 'demo', file: join(examplesDir, 'demo', 'default.nix'), pname: 'demo', version: '1.0', units: ['demo.service', 'demo.socket'] },
  { id: 'certs', file: join(examplesDir, 'certs', 'default.nix'), pname: 'certs-check', version: '0.3.1', units: ['certs-check.service'] },
  { id: 'contents', file: join(examplesDir, 'contents', 'default.nix'), pname: 'greeter', version: '2.1', units: ['greeter.service'] },
  { id: 'gzip', file: join(examplesDir, 'gzip', 'default.nix'), pname: 'ticker', version: '1.0.0', units: ['ticker.service'] },
  { id: 'multi-web', file: join(examplesDir, 'multi', 'default.nix'), attr: 'web', pname: 'web', version: '1.4', units: ['web.service'] },
  { id: 'multi-worker', file: join(examplesDir, 'multi', 'default.nix'), attr: 'worker', pname: 'worker', version: '0.9', units: ['worker.service', 'worker-cleanup.service'] },
];

export function attrArgs(example: ExampleImage): string[] {
  return example.attr === undefined ? [] : ['-A', example.attr];
}

export function imageName(example: ExampleImage): string {
  return `${example.pname}_${example.version}.raw`;
}

/** The fields `build --json` describes a built image with. */
export interface BuildJson {
  attrPath: string;
  image: string;
  resultDir: string;
  outLink: string | null;
  cached: boolean;
  closure: string[];
  references: string[];
  key: string;
  /** What the checks of the built image found (buildChecks.ts). */
  warnings: unknown[];
}

/**
 * The object `build --json` printed. The format itself is asserted in
 * build.test.ts; here a one-element array is accepted too so that the tests
 * about caching keep measuring caching whatever the outcome of that one.
 */
export function buildJson(stdout: string): BuildJson {
  return JSON.parse(stdout) as BuildJson;
}

/** A JS stack trace in the output means an error escaped the NixError path. */
export const jsStackTrace = /\n\s+at .*\.js:\d+(:\d+)?\)?\n|\b(TypeError|RangeError|ReferenceError|SyntaxError|AssertionError)\b/;

/** The line and column (1-based, bytes = characters for ASCII) of the first occurrence of `needle` in `text`. */
export function positionOf(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`'${needle}' is not in the text`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** Every example built once for a test file (`build --json`, one cache): `built(id)` is its result. */
export interface ExampleBuilds {
  /** The cache the builds used. */
  readonly cacheDir: string;
  /** The build of an example; a failed build throws the CLI's own error. */
  built(id: string): BuildJson;
}

/** Builds every example in beforeAll, in parallel, into the workspace. */
export function useExampleBuilds(ws: Workspace): ExampleBuilds {
  const builds = new Map<string, BuildJson | string>();
  let cacheDir = '';
  beforeAll(async () => {
    cacheDir = await ws.dir('cache');
    const cwd = await ws.dir('builds');
    await Promise.all(exampleImages.map(async (example) => {
      const run = await tsportable(['build', example.file, ...attrArgs(example), '--json', '-o', example.id], { cwd, cacheDir });
      builds.set(example.id, run.exitCode === 0 ? buildJson(run.stdout) : run.stderr);
    }));
  }, 600_000);
  return {
    get cacheDir() { return cacheDir; },
    built(id) {
      const b = builds.get(id);
      if (typeof b !== 'object') throw new Error(`tsportable build failed:\n${b}`);
      return b;
    },
  };
}
