/**
 * Real-world robustness: portableService files in the shapes people publish
 * (see cases.ts) must build with `tsportable build` unchanged and give the
 * image nix-build gives with nixpkgs' portableService. Both run against the
 * nixpkgs-like test set (test/fixtures/nixpkgs), whose portableService is the
 * Nix reference. Builds run a few at a time in beforeAll; the Nix store is
 * shared, so a warm run only evaluates and compresses.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { jsStackTrace, testNixpkgs, tsportable, useWorkspace, type CliRun } from '../e2e/cli.js';
import { caseFile, caseId, realWorldCases, refusedCases, refusedDir, type RealWorldCase, type RefusedCase } from './cases.js';
import { compressionOf, etcContents, listImage, normalisedTree, scaffoldPaths, type TreeEntry } from './imageTree.js';

const ws = useWorkspace();

interface Built {
  readonly imageName: string;
  readonly image: string;
  readonly tree: Map<string, TreeEntry>;
  readonly etc: Map<string, string>;
  readonly scaffolds: string[];
  readonly superblock: { compression: string; blockSize: number; filters: string };
}

interface Outcome {
  readonly ts: CliRun & { built?: Built };
  readonly nix: { exitCode: number; stderr: string; built?: Built };
}

const outcomes = new Map<string, Outcome>();
const refusals = new Map<string, { ts: CliRun; nixExitCode: number; nixStderr: string }>();

/** The one image in a result directory, read into its comparable parts. */
async function readResult(resultDir: string): Promise<Built> {
  const raws = (await readdir(resultDir)).filter((n) => n.endsWith('.raw'));
  if (raws.length !== 1) throw new Error(`${resultDir} holds ${raws.length} .raw files`);
  const image = join(resultDir, raws[0]!);
  const entries = await listImage(image);
  return {
    imageName: raws[0]!, image,
    tree: normalisedTree(entries),
    etc: await etcContents(image, entries),
    scaffolds: scaffoldPaths(entries),
    superblock: await compressionOf(image),
  };
}

async function buildBothWays(c: RealWorldCase, cwd: string, cacheDir: string): Promise<Outcome> {
  const link = caseId(c).replace(/[^A-Za-z0-9-]+/g, '_');
  const [tsRun, nixRun] = await Promise.all([
    tsportable(['build', '-I', `nixpkgs=${testNixpkgs}`, caseFile(c), ...(c.args ?? []), '-o', `ts-${link}`], { cwd, cacheDir }),
    execa('nix-build', ['-I', `nixpkgs=${testNixpkgs}`, caseFile(c), ...(c.args ?? []), '-o', join(cwd, `nix-${link}`)], { reject: false, stdin: 'ignore' }),
  ]);
  const nixExit = nixRun.exitCode ?? -1;
  return {
    ts: tsRun.exitCode === 0 ? await withResult(tsRun, join(cwd, `ts-${link}`)) : tsRun,
    nix: nixExit === 0
      ? await withResult({ exitCode: 0, stderr: '' }, join(cwd, `nix-${link}`))
      : { exitCode: nixExit, stderr: String(nixRun.stderr) },
  };
}

/** A successful run with its image read; an unreadable result turns it into a failure of that one case. */
async function withResult<R extends { exitCode: number; stderr: string }>(run: R, resultDir: string): Promise<R & { built?: Built }> {
  try {
    return { ...run, built: await readResult(resultDir) };
  } catch (e) {
    return { ...run, exitCode: -1, stderr: `exit 0 but the result is unreadable: ${(e as Error).message}` };
  }
}

/** Runs the jobs `limit` at a time (2 cores: more only queue up in Nix and mksquashfs). */
async function runPooled(jobs: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) await jobs[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
}

async function refuseBothWays(c: RefusedCase, cwd: string, cacheDir: string): Promise<void> {
  const file = join(refusedDir, c.name, 'default.nix');
  const [ts, nix] = await Promise.all([
    tsportable(['build', '-I', `nixpkgs=${testNixpkgs}`, file, '-o', `refused-${c.name}`], { cwd, cacheDir }),
    execa('nix-build', ['-I', `nixpkgs=${testNixpkgs}`, file, '--no-out-link'], { reject: false, stdin: 'ignore' }),
  ]);
  refusals.set(c.name, { ts, nixExitCode: nix.exitCode ?? -1, nixStderr: String(nix.stderr) });
}

beforeAll(async () => {
  const cwd = await ws.dir('work');
  const cacheDir = await ws.dir('cache');
  await runPooled([
    ...realWorldCases.map((c) => async () => { outcomes.set(caseId(c), await buildBothWays(c, cwd, cacheDir)); }),
    ...refusedCases.map((c) => () => refuseBothWays(c, cwd, cacheDir)),
  ], 3);
}, 900_000);

describe.each(realWorldCases.map((c) => [caseId(c), c] as const))('%s', (name, c) => {
  const outcome = (): Outcome => outcomes.get(name)!;
  const both = (): { ts: Built; nix: Built } => {
    const o = outcome();
    if (!o.nix.built) throw new Error(`the reference nix-build failed (the case is wrong, not tsportable):\n${o.nix.stderr}`);
    if (!o.ts.built) throw new Error(`tsportable build failed (exit ${o.ts.exitCode}) for: ${c.shape}\n${o.ts.stderr}`);
    return { ts: o.ts.built, nix: o.nix.built };
  };

  test('the reference builds it with nix-build', () => {
    expect({ exitCode: outcome().nix.exitCode, stderr: outcome().nix.stderr }).toEqual({ exitCode: 0, stderr: '' });
  });

  test('tsportable builds it', () => {
    const { exitCode, stderr } = outcome().ts;
    expect({ exitCode, stderr: exitCode === 0 ? '' : stderr }).toEqual({ exitCode: 0, stderr: '' });
  });

  test('same image name; the scaffold store path only in the reference', () => {
    const { ts, nix } = both();
    expect(ts.imageName).toBe(nix.imageName);
    expect(nix.scaffolds).toHaveLength(1);
    expect(ts.scaffolds).toEqual([]);
  });

  test('same tree: paths, types, modes, owners, symlink targets, file sizes', () => {
    const { ts, nix } = both();
    expect([...ts.tree.keys()]).toEqual([...nix.tree.keys()]);
    expect(ts.tree).toEqual(nix.tree);
  });

  test('same compression, compressor options and block size', () => {
    const { ts, nix } = both();
    expect(ts.superblock).toEqual(nix.superblock);
  });

  test('same contents of every file under etc/', () => {
    const { ts, nix } = both();
    expect([...ts.etc.keys()]).toEqual([...nix.etc.keys()]);
    expect(ts.etc).toEqual(nix.etc);
  });
});

describe.each(refusedCases.map((c) => [c.name, c] as const))('refused like nixpkgs: %s', (name, c) => {
  test('nix-build refuses it', () => {
    const r = refusals.get(name)!;
    expect(r.nixExitCode).toBe(c.exitCode);
    expect(r.nixStderr).toMatch(/^error: /m);
  });

  test(`tsportable refuses it at the user's file: ${c.shape}`, () => {
    const r = refusals.get(name)!;
    expect(r.ts.exitCode).toBe(c.exitCode);
    expect(r.ts.stdout).toBe('');
    expect(r.ts.stderr).toMatch(/^error: /m);
    expect(r.ts.stderr).toContain(c.says);
    expect(r.ts.stderr).toContain(`${join(refusedDir, name, 'default.nix')}:`);
    expect(r.ts.stderr).not.toMatch(jsStackTrace);
  });
});
