/**
 * The product's promise: `tsportable build` gives the image nix-build gives
 * with nixpkgs' portableService. Every example is built both ways against the
 * nixpkgs-like test set (test/fixtures/nixpkgs, whose portableService does
 * what nixpkgs' does: scaffold derivation, closureInfo, `cp -a`, mksquashfs)
 * and the two trees must agree entry by entry — type, mode, owner, symlink
 * target, size and contents — except for the scaffold's own store path,
 * which nixpkgs puts into its image and tsportable leaves out. Besides the
 * examples, a test image whose description and unit hold bytes that are not
 * UTF-8 (issue 14: Nix strings are bytes, and so are the image's files).
 * inspect's checks must hold on nix-build's images as on tsportable's.
 */
import { join } from 'node:path';
import { execa } from 'execa';
import { attrArgs, exampleImages, imageName, testNixpkgs, tsportable, useWorkspace, type CliRun, type ExampleImage } from './cli.js';
import { inspectImage } from '../../src/inspect/index.js';
import { catImageBytes, fileDigests, listImage, superblock } from './squashfs.js';
import { comparable, without } from './imageCompare.js';
import { packageRoot } from '../../src/paths.js';

const ws = useWorkspace();

const bytesImage: ExampleImage = {
  id: 'bytes', file: join(packageRoot, 'test', 'fixtures', 'bytes-image', 'default.nix'), pname: 'cafe', version: '1.0', units: ['cafe.service'],
};
const images = [...exampleImages, bytesImage];

interface Pair {
  readonly nix: { image: string; scaffold: string } | { error: string };
  readonly ts: CliRun & { image: string };
}

const pairs = new Map<string, Pair>();

async function nixBuild(example: ExampleImage, outLink: string): Promise<{ image: string; scaffold: string } | { error: string }> {
  const common = ['--option', 'substituters', '', '-I', `nixpkgs=${testNixpkgs}`, example.file];
  const image = await execa('nix-build', [...common, ...attrArgs(example), '-o', outLink], { reject: false });
  if (image.exitCode !== 0) return { error: String(image.stderr) };
  const scaffoldAttr = example.attr === undefined ? 'rootFsScaffold' : `${example.attr}.rootFsScaffold`;
  const scaffold = await execa('nix-build', [...common, '-A', scaffoldAttr, '--no-out-link'], { reject: false });
  if (scaffold.exitCode !== 0) return { error: String(scaffold.stderr) };
  return { image: join(outLink, imageName(example)), scaffold: String(scaffold.stdout).trim() };
}

beforeAll(async () => {
  const cacheDir = await ws.dir('cache');
  const cwd = await ws.dir('work');
  await Promise.all(images.map(async (example) => {
    const [nix, ts] = await Promise.all([
      nixBuild(example, join(cwd, `nix-${example.id}`)),
      tsportable(['build', '-I', `nixpkgs=${testNixpkgs}`, example.file, ...attrArgs(example), '-o', `ts-${example.id}`], { cwd, cacheDir }),
    ]);
    pairs.set(example.id, { nix, ts: { ...ts, image: join(cwd, `ts-${example.id}`, imageName(example)) } });
  }));
}, 900_000);

describe.each(images.map((e) => [e.id, e] as const))('%s: tsportable and nixpkgs\' portableService', (id) => {
  let nixImage: string;
  let scaffoldInImage: string;
  let tsImage: string;
  beforeAll(() => {
    const p = pairs.get(id)!;
    if ('error' in p.nix) throw new Error(`nix-build failed:\n${p.nix.error}`);
    nixImage = p.nix.image;
    scaffoldInImage = p.nix.scaffold.slice(1);
    tsImage = p.ts.image;
  });

  test('both build', () => {
    const p = pairs.get(id)!;
    expect({ exitCode: p.ts.exitCode, stderr: p.ts.exitCode === 0 ? '' : p.ts.stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(nixImage).toMatch(/\.raw$/);
  });

  test('nixpkgs\' image holds the scaffold\'s store path; tsportable\'s does not', async () => {
    const nix = await listImage(nixImage);
    const ts = await listImage(tsImage);
    expect(nix.get(scaffoldInImage)?.mode).toBe('dr-xr-xr-x');
    expect(ts.has(scaffoldInImage)).toBe(false);
  });

  test('the same tree: paths, types, modes, owners, times, symlink targets, sizes', async () => {
    const nix = comparable(await listImage(nixImage), scaffoldInImage);
    const ts = comparable(await listImage(tsImage));
    expect([...ts.keys()].sort()).toEqual([...nix.keys()].sort());
    expect(ts).toEqual(nix);
  });

  test('the same contents in every file', async () => {
    const [nix, ts] = await Promise.all([fileDigests(nixImage), fileDigests(tsImage)]);
    expect(ts).toEqual(without(nix, scaffoldInImage));
  });

  test('the same compression and block size', async () => {
    expect(await superblock(tsImage)).toEqual(await superblock(nixImage));
  });

  test('inspect\'s checks hold on nix-build\'s image too: its programs can start inside it', async () => {
    const report = await inspectImage(nixImage);
    expect(report.findings).toEqual([]);
  });
});

describe('bytes that are not UTF-8 reach the image as nix-build writes them', () => {
  const images = () => {
    const p = pairs.get(bytesImage.id)!;
    if ('error' in p.nix) throw new Error(`nix-build failed:\n${p.nix.error}`);
    return { nix: p.nix.image, ts: p.ts.image };
  };

  test('os-release: the description\'s bytes E9 74 E9, 86 bytes', async () => {
    const { nix, ts } = images();
    const [ours, theirs] = await Promise.all([catImageBytes(ts, 'etc/os-release'), catImageBytes(nix, 'etc/os-release')]);
    expect(ours).toEqual(theirs);
    expect(ours.length).toBe(86);
    expect(ours.includes(Buffer.from('PORTABLE_PRETTY_NAME=\xe9t\xe9\n', 'latin1'))).toBe(true);
  });

  test('the unit file: E9 alone, the two bytes of "é", FF', async () => {
    const { nix, ts } = images();
    const unit = 'etc/systemd/system/cafe.service';
    const [ours, theirs] = await Promise.all([catImageBytes(ts, unit), catImageBytes(nix, unit)]);
    expect(ours).toEqual(theirs);
    expect(ours.includes(Buffer.from('Description=Caf\xe9 \xc3\xa9 \xff\n', 'latin1'))).toBe(true);
  });
});
