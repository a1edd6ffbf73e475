/**
 * The flakes people publish, built both ways: with tsportable and with
 * `nix build` (Debian's Nix 2.8, offline), each input given a local copy
 * with `--override-input` (nixpkgs: tsportable's package set `nix/pkgs`, a
 * flake; flake-utils: the compatible library in test/fixtures/flakes). The
 * two images must agree as in the nixpkgs comparison: the same tree and the
 * same contents except the scaffold's own store path. `show` and `eval` of
 * the same installable must agree with what Nix built and evaluates.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { buildJson, tsportable, type CliRun } from '../e2e/cli.js';
import { imagesToCompare } from '../e2e/imageCompare.js';
import { listImage, superblock } from '../e2e/squashfs.js';
import { fixtureFlakes, flakeUtils, gitCommitAll, nix, standIn, useTempDir } from './harness.js';

const tmp = useTempDir('flake-build');

interface FlakeCase {
  readonly id: string;
  /** The directory under test/fixtures/flakes. */
  readonly fixture: string;
  readonly installable: string;
  /** Input → local reference; a function gets the test's temporary directory. */
  readonly inputs: Readonly<Record<string, string | ((tmpDir: string) => string)>>;
  /**
   * Made a Git repository whose flake.lock records the local inputs (`nix flake lock
   * --override-input ...`, committed), then given an untracked file; built without overrides,
   * so that the tree is clean and has a rev (Nix treats a flake whose changed lock it does not
   * write, as with --override-input, as dirty).
   */
  readonly git?: boolean;
}

const utils = `path:${flakeUtils}`;
const cases: readonly FlakeCase[] = [
  { id: 'each-default-system', fixture: 'each-default-system', installable: '.', inputs: { 'flake-utils': utils } },
  { id: 'each-system-overlay', fixture: 'each-system-overlay', installable: '.#portable-service', inputs: { utils } },
  { id: 'legacy-nested', fixture: 'legacy-nested', installable: '.#portable.xedn', inputs: { 'flake-utils': utils } },
  {
    id: 'follows', fixture: 'follows', installable: '.#default', inputs: {
      'flake-utils': utils,
      // A subflake of a Git repository (`?dir=`): Nix 2.8 refuses `dir` in a `path:` reference.
      tools: (t) => `git+file://${monorepo(t)}?dir=tools`,
      units: `path:${join(fixtureFlakes, 'follows-inputs', 'units')}`,
    },
  },
  { id: 'url-literal', fixture: 'url-literal', installable: '.#default', inputs: {} },
  { id: 'git-tracked', fixture: 'git-tracked', installable: '.#default', inputs: {}, git: true },
];

/** The monorepo input as a Git repository (made once). */
let monorepoDir: string | undefined;
function monorepo(t: string): string {
  if (!monorepoDir) {
    monorepoDir = join(t, 'monorepo');
    cpSync(join(fixtureFlakes, 'follows-inputs', 'monorepo'), monorepoDir, { recursive: true });
    gitCommitAll(monorepoDir);
  }
  return monorepoDir;
}

interface Built {
  readonly flakeDir: string;
  readonly overrides: string[];
  readonly nixImage: string;
  readonly scaffold: string;
  readonly ts: CliRun;
}

const built = new Map<string, Built | { error: string }>();

async function buildBoth(c: FlakeCase): Promise<Built | { error: string }> {
  const flakeDir = join(tmp.path, c.id);
  cpSync(join(fixtureFlakes, c.fixture), flakeDir, { recursive: true });
  const inputs: Record<string, string | ((t: string) => string)> = { nixpkgs: `path:${standIn}`, ...c.inputs };
  let overrides = Object.entries(inputs).flatMap(([name, ref]) => ['--override-input', name, typeof ref === 'string' ? ref : ref(tmp.path)]);
  if (c.git) {
    gitCommitAll(flakeDir, '2024-03-04T05:06:07Z');
    const lock = await nix(['flake', 'lock', ...overrides], flakeDir);
    if (lock.exitCode !== 0) return { error: `nix flake lock failed:\n${lock.stderr}` };
    gitCommitAll(flakeDir, '2024-03-04T05:06:07Z');
    writeFileSync(join(flakeDir, 'untracked.txt'), 'not part of the flake\n');
    overrides = [];
  }
  // Links outside the flake: a path flake's lastModified is the newest mtime in it.
  const nixLink = join(tmp.path, `${c.id}-nix`);
  const n = await nix(['build', ...overrides, c.installable, '-o', nixLink], flakeDir);
  if (n.exitCode !== 0) return { error: `nix build failed:\n${n.stderr}` };
  const ts = await tsportable(['build', '--json', c.installable, ...overrides, '-o', join(tmp.path, `${c.id}-ts`)],
    { cwd: flakeDir, cacheDir: tmp.dir('cache') });
  if (ts.exitCode !== 0) return { error: `tsportable build failed:\n${ts.stderr}` };
  const attrPath = buildJson(ts.stdout).attrPath;
  const scaffold = await nix(['eval', '--raw', ...overrides, `.#${attrPath}.rootFsScaffold.outPath`], flakeDir);
  if (scaffold.exitCode !== 0) return { error: `nix eval of the scaffold failed:\n${scaffold.stderr}` };
  return { flakeDir, overrides, nixImage: nixLink, scaffold: scaffold.stdout.trim().slice(1), ts };
}

beforeAll(async () => {
  // Two at a time: the machine is shared.
  for (let i = 0; i < cases.length; i += 2) {
    const pair = cases.slice(i, i + 2);
    const results = await Promise.all(pair.map(buildBoth));
    pair.forEach((c, k) => built.set(c.id, results[k]!));
  }
}, 900_000);

function get(id: string): Built {
  const b = built.get(id)!;
  if ('error' in b) throw new Error(b.error);
  return b;
}

async function rawIn(link: string): Promise<string> {
  const [raw] = (await readdir(link)).filter((f) => f.endsWith('.raw'));
  return join(link, raw!);
}

describe.each(cases.map((c) => [c.id, c] as const))('%s: tsportable and nix build', (id, c) => {
  test('the same image: tree, contents, compression', async () => {
    const b = get(id);
    const tsImage = buildJson(b.ts.stdout).image;
    const nixImage = await rawIn(b.nixImage);
    expect(basename(tsImage)).toBe(basename(nixImage));
    const cmp = await imagesToCompare(nixImage, tsImage, b.scaffold);
    expect(cmp.scaffoldInNix).toBe('dr-xr-xr-x');
    expect(cmp.scaffoldInTs).toBe(false);
    expect([...cmp.ts.tree.keys()].sort()).toEqual([...cmp.nix.tree.keys()].sort());
    expect(cmp.ts.tree).toEqual(cmp.nix.tree);
    expect(cmp.ts.files).toEqual(cmp.nix.files);
    expect(await superblock(tsImage)).toEqual(await superblock(nixImage));
  });

  test('show names the image Nix built; eval gives what nix eval gives', async () => {
    const b = get(id);
    const cacheDir = tmp.dir('cache');
    const show = await tsportable(['show', '--json', c.installable, ...b.overrides], { cwd: b.flakeDir, cacheDir });
    expect(show.exitCode).toBe(0);
    expect((JSON.parse(show.stdout) as { imageFileName: string }).imageFileName).toBe(basename(await rawIn(b.nixImage)));
    const attr = `.#${buildJson(b.ts.stdout).attrPath}.name`;
    const [tsName, nixName] = await Promise.all([
      tsportable(['eval', attr, ...b.overrides], { cwd: b.flakeDir, cacheDir }),
      nix(['eval', ...b.overrides, attr], b.flakeDir),
    ]);
    expect(tsName.stdout).toBe(`${nixName.stdout}\n`);
    expect(tsName.exitCode).toBe(0);
  });
});

test('eval of an image gives what nix eval gives: its output path with --json, «derivation ...» otherwise', async () => {
  const b = get('legacy-nested');
  const cacheDir = tmp.dir('cache');
  const image = `.#${buildJson(b.ts.stdout).attrPath}`;
  const [tsJson, nixJson, tsText, nixDrv] = await Promise.all([
    tsportable(['eval', '--json', image, ...b.overrides], { cwd: b.flakeDir, cacheDir }),
    nix(['eval', '--json', ...b.overrides, image], b.flakeDir),
    tsportable(['eval', image, ...b.overrides], { cwd: b.flakeDir, cacheDir }),
    nix(['eval', '--raw', ...b.overrides, `${image}.drvPath`], b.flakeDir),
  ]);
  expect(tsJson.stdout).toBe(`${nixJson.stdout}\n`);
  expect(tsText.stdout).toBe(`«derivation ${nixDrv.stdout}»\n`);
});

test('the Git flake\'s image holds its tracked files only, under the store path Nix gives the source', async () => {
  const b = get('git-tracked');
  const tree = await listImage(buildJson(b.ts.stdout).image);
  const [source] = [...tree.keys()].filter((p) => /^nix\/store\/[0-9a-z]{32}-source$/.test(p));
  expect(source).toBeDefined();
  expect([...tree.keys()].filter((p) => p.startsWith(`${source}/`)).sort()).toEqual([`${source}/flake.lock`, `${source}/flake.nix`, `${source}/run.sh`]);
  expect(basename(buildJson(b.ts.stdout).image)).toMatch(/^tracked_20240304050607-[0-9a-f]{7}\.raw$/);
});
