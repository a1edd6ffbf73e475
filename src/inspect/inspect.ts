/**
 * `inspectImage`: reads a portable-service image offline and checks it.
 * unsquashfs is run twice in parallel: for the superblock, and for one
 * pseudo-file stream that carries the listing and then every file's data.
 * When the listing arrives we know which small files we want (os-release and
 * the units, after following their symlinks inside the image) and their data
 * offsets; the data is then read once, collecting those files, scanning
 * everything for store paths the image does not contain, and reading what
 * the loader needs of every ELF file and the `#!` line of every script, for
 * the checks that the image's programs can start (startChecks.ts).
 */
import { basename } from 'node:path';
import { FileKindReader, kindOfBytes, type FileKind } from './fileKinds.js';
import { checkMountPoints, checkUnitCommands } from './imageChecks.js';
import type { Finding, ImageStorePath, ImageSymlink, InspectedUnit, InspectReport } from './report.js';
import { checkImageFileName, checkOsRelease, checkUnitNames, osReleasePaths, unitDirectories } from './rules.js';
import { StoreReferenceScanner } from './storeRefs.js';
import { byPath, resolveInImage, parentOf, type ImageEntry, type ImageTree } from './tree.js';
import { unitCommands } from './unitFile.js';
import { storePathSizes } from './sizes.js';
import { checkStart } from './startChecks.js';
import { readImageFile, readSuperblock, streamImage, type UnsquashfsOptions } from './unsquashfs.js';

export type InspectOptions = UnsquashfsOptions;

/** Collects the data of a few files from the stream, by their offsets. */
class FileCollector {
  private readonly buffers = new Map<string, { entry: ImageEntry; data: Buffer }>();

  want(entry: ImageEntry): void {
    if (entry.kind === 'file' && entry.dataOffset !== undefined) {
      this.buffers.set(entry.path, { entry, data: Buffer.alloc(entry.size ?? 0) });
    }
  }

  add(chunk: Buffer, offset: number): void {
    const end = offset + chunk.length;
    for (const { entry, data } of this.buffers.values()) {
      const start = entry.dataOffset!;
      const stop = start + data.length;
      if (stop <= offset || start >= end) continue;
      const from = Math.max(start, offset);
      chunk.copy(data, from - start, from - offset, Math.min(stop, end) - offset);
    }
  }

  text(path: string): string | undefined {
    return this.buffers.get(path)?.data.toString('utf8');
  }
}

interface UnitLocation {
  readonly name: string;
  readonly path: string;
  /** The file the unit resolves to, when it resolves to one. */
  readonly file?: ImageEntry;
}

function findUnits(tree: ImageTree): UnitLocation[] {
  const units: UnitLocation[] = [];
  for (const e of tree.values()) {
    if (!(unitDirectories as readonly string[]).includes(parentOf(e.path))) continue;
    if (e.kind !== 'file' && e.kind !== 'symlink') continue;
    const r = resolveInImage(tree, e.path);
    units.push({ name: basename(e.path), path: e.path, file: r.ok && r.entry.kind === 'file' ? r.entry : undefined });
  }
  return units.sort(byPath);
}

function findOsRelease(tree: ImageTree): { path: string; file: ImageEntry } | undefined {
  for (const path of osReleasePaths) {
    const r = resolveInImage(tree, path);
    if (r.ok && r.entry.kind === 'file') return { path, file: r.entry };
  }
  return undefined;
}

function scaffoldSymlinks(tree: ImageTree): ImageSymlink[] {
  return [...tree.values()]
    .filter((e) => e.kind === 'symlink' && !e.path.startsWith('/nix/store/'))
    .map((e) => ({ path: e.path, target: e.target ?? '' }))
    .sort(byPath);
}

function imageStorePaths(tree: ImageTree): ImageStorePath[] {
  return storePathSizes([...tree.values()].map((e) => e.kind === 'file'
    ? { path: e.path, size: e.size ?? 0, identity: e.hardLinkOf ?? e.path }
    : { path: e.path, size: 0 }));
}

/** Rounds of reading whole files the stream kept too little of: each round may reach new files. */
const maxWholeFileRounds = 3;

/**
 * The start checks (startChecks.ts). An ELF file whose loader data lies outside
 * what the stream kept is read whole and the walk repeated: rare, one
 * `unsquashfs -cat` per such file.
 */
async function startFindings(image: string, tree: ImageTree, kinds: FileKindReader, units: readonly InspectedUnit[],
  roots: readonly string[], options: InspectOptions): Promise<Finding[]> {
  const whole = new Map<number, FileKind>();
  const kindOf = (e: ImageEntry): FileKind => (e.dataOffset !== undefined ? whole.get(e.dataOffset) : undefined) ?? kinds.kindOf(e);
  for (let round = 0; ; round++) {
    const result = checkStart({ tree, kindOf, units, roots });
    if (result.incomplete.length === 0 || round === maxWholeFileRounds) return result.findings;
    for (const entry of result.incomplete) {
      whole.set(entry.dataOffset!, kindOfBytes(await readImageFile(image, entry.path, options)));
    }
  }
}

/** Reads and checks the image at `image` (a path on the host). */
export async function inspectImage(image: string, options: InspectOptions = {}): Promise<InspectReport> {
  // First, and alone: it is quick, and it is what fails, clearly, on a file that is no image.
  const superblock = await readSuperblock(image, options);
  let tree: ImageTree = new Map();
  let scanner: StoreReferenceScanner | undefined;
  let kinds: FileKindReader | undefined;
  const collector = new FileCollector();
  let osRelease: { path: string; file: ImageEntry } | undefined;
  let unitLocations: UnitLocation[] = [];
  await streamImage(image, {
    onListing(entries) {
      tree = entries;
      scanner = new StoreReferenceScanner(tree);
      kinds = new FileKindReader(tree);
      osRelease = findOsRelease(tree);
      if (osRelease) collector.want(osRelease.file);
      unitLocations = findUnits(tree);
      for (const u of unitLocations) if (u.file) collector.want(u.file);
    },
    onData(chunk, offset) {
      collector.add(chunk, offset);
      scanner!.add(chunk, offset);
      kinds!.add(chunk, offset);
    },
  }, options);
  kinds!.finish();

  const units: InspectedUnit[] = unitLocations.map((u) => {
    const text = u.file ? collector.text(u.file.path) : undefined;
    return {
      name: u.name,
      path: u.path,
      ...(u.file && u.file.path !== u.path ? { target: u.file.path } : {}),
      ...(text !== undefined ? { text } : {}),
      commands: text !== undefined ? unitCommands(text) : [],
    };
  });
  const osReleaseText = osRelease ? collector.text(osRelease.file.path) : undefined;
  const fileName = basename(image);

  const findings: Finding[] = [
    ...checkImageFileName(fileName),
    ...checkOsRelease(osReleaseText, osRelease?.path),
    ...checkMountPoints(tree),
    ...checkUnitNames(units.map((u) => u.name), fileName).map((p) => ({ ...p, ...(p.unit ? { path: units.find((u) => u.name === p.unit)?.path } : {}) })),
    ...unitLocations.filter((u) => !u.file).map((u): Finding => ({
      severity: 'error', code: 'unit-unreadable', unit: u.name, path: u.path,
      message: `unit file ${u.path} does not lead to a file inside the image`,
    })),
    ...checkUnitCommands(tree, units),
    ...(await startFindings(image, tree, kinds!, units, scanner!.roots, options)),
    ...scanner!.result.map((m): Finding => ({
      severity: 'error', code: 'store-path-missing', path: m.path,
      message: `${m.path} is referred to by ${m.referrers.slice(0, 3).join(', ')}${m.referrers.length > 3 ? ` and ${m.referrers.length - 3} more` : ''} but is not in the image`,
    })),
  ];

  return {
    image,
    fileName,
    superblock,
    ...(osRelease && osReleaseText !== undefined ? { osRelease: { path: osRelease.path, text: osReleaseText } } : {}),
    units,
    symlinks: scaffoldSymlinks(tree),
    storePaths: imageStorePaths(tree),
    entryCount: tree.size,
    findings,
  };
}
