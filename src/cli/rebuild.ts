/**
 * The cached rebuild: `tsportable build` run again with nothing changed
 * answers from a record of the last run, without evaluating or starting
 * Nix: the same images linked, the same stdout, the same warnings (the
 * progress lines say that the image was reused).
 *
 * A build records (rebuildRecord.ts), in `<cache>/rebuilds/<request>.json`,
 * everything its answer depended on (src/eval/dependencies.ts: every file
 * question the process asked while evaluating, realising and building, with
 * the outcome it got, and the trees real Nix was handed) and what it printed
 * and linked (and what evaluation said: notices, warnings and traces are
 * said again, as an evaluating rebuild says them). The request (`rebuildRequest`) names what the command line and
 * the process bring: the arguments, the working directory, the whole
 * environment (`builtins.getEnv` here, and Nix's evaluation of the package
 * set, may read any variable), whether stderr is a terminal (colours), and
 * the tsportable build.
 *
 * This module is the answering side, and the root of its own small bundle
 * (dist/rebuild.cjs, scripts/bundle.mjs): bin/tsportable.js tries it before
 * loading the CLI, so that a rebuild costs little more than Node's start-up.
 * It must stay light: nothing of the evaluator, Nix's bridge or the builders.
 *
 * Validity: the images' store paths must still be valid, as a rebuild would
 * find them. Validity is what the Nix database says
 * (/nix/var/nix/db/db.sqlite); Node 20 cannot read SQLite, and a path's
 * presence under /nix/store is not validity (a path is invalidated before it
 * is deleted; a build writes its output before registering it). But the
 * database is written whenever a path becomes invalid: if its files
 * (db.sqlite and its write-ahead log) have the identity they had when the
 * paths were last known valid, and that identity is too old to hide a write
 * in the same timestamp tick, nothing was invalidated since. Otherwise one
 * `nix-store --check-validity` says, and the record keeps the identity the
 * database had before it was asked.
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { unchanged, type Dependencies } from '../eval/dependencies.js';
import { encodeBytes } from '../eval/value/bytes.js';
import { cacheLocation } from '../image/cache.js';
import { fileIdentity } from '../image/facts.js';
import { linkCachedImage } from '../image/reuse.js';
import { isTerminal, writeOutput } from '../stdio.js';
import { packageRoot } from '../paths.js';
import { replaceFile } from '../replaceFile.js';

/** Bump when a record's contents change meaning. */
const recordFormat = 2;

const enum Racy {
  /** The database's identity is trusted only when it last changed longer ago than this (timestamps are coarse). */
  Ms = 2000,
}

/** One image of a recorded run: where it is, where it was linked, and what was printed about it. */
export interface RecordedImage {
  readonly key: string;
  readonly fileName: string;
  /** The result link's absolute path, or null (--no-out-link). */
  readonly outLink: string | null;
  /** The root recording the link in the cache (src/image/gc.ts), or null. */
  readonly root: string | null;
  /** The warnings' lines on stderr, then the line on stdout. */
  readonly stderr: string;
  readonly stdout: string;
}

export interface RebuildRecord {
  readonly request: unknown;
  /** What evaluation said on stderr (notices, warnings, traces), said again first. */
  readonly evaluationStderr: string;
  readonly dependencies: Dependencies;
  /** The store paths the images hold, valid when the database had the identity `storeDb`. */
  readonly storePaths: readonly string[];
  readonly storeDb: string | null;
  readonly images: readonly RecordedImage[];
}

/** A run that may be answered from, and recorded for, a later one: the record's file and the request it answers. */
export interface RebuildRequest {
  readonly file: string;
  readonly request: unknown;
}

/** The request of `tsportable ARGV` (`argv[0]` is the command) in this process. */
export function rebuildRequest(argv: readonly string[]): RebuildRequest {
  const env = Object.entries(process.env).sort(([a], [b]) => (a < b ? -1 : 1));
  const dist = join(packageRoot, 'dist');
  const request = {
    recordFormat,
    argv,
    cwd: process.cwd(),
    env: digest64(JSON.stringify(env)),
    stderrTerminal: isTerminal('stderr'),
    // The tsportable build: tsc's output (tsc rewrites its build info on every emit) and the bundles made from it.
    code: ['.tsbuildinfo', 'tsportable.cjs', 'rebuild.cjs'].map((f) => fileIdentity(join(dist, f)) ?? null),
  };
  return { file: join(cacheLocation().dir, 'rebuilds', `${digest64(JSON.stringify(request))}.json`), request };
}

/**
 * A 64-bit FNV-1a digest of `text`'s UTF-16 units, in hex. Not a
 * cryptographic hash, and no need for one (node:crypto costs a rebuild's
 * start-up several milliseconds): it names a record, whose request is
 * compared whole, and it tells an environment from another, where a change
 * that kept the digest would have to hit one value in 2^64 by chance. The
 * environment is not kept itself: it may hold secrets.
 */
export function digest64(text: string): string {
  // Two 32-bit halves (JavaScript has no 64-bit integer arithmetic on numbers).
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    // Multiply by the FNV prime 2^40 + 0x1b3, modulo 2^64.
    const loProduct = lo * 0x1b3;
    const carry = Math.floor(loProduct / 0x100000000);
    hi = (Math.imul(hi, 0x1b3) + Math.imul(lo, 0x100) + carry) >>> 0;
    lo = loProduct >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/**
 * Answers `tsportable ARGV` from its record when nothing it depended on has
 * changed and its store paths are valid: links its images and prints what
 * the run printed. False means: run the command.
 */
export async function answerRebuild(argv: readonly string[]): Promise<boolean> {
  if (argv[0] !== 'build') return false;
  const request = rebuildRequest(argv);
  let record: RebuildRecord;
  try {
    record = JSON.parse(readFileSync(request.file, 'utf8')) as RebuildRecord;
    // The request is stored too: a damaged record, or a hash collision, is no answer.
    if (JSON.stringify(record.request) !== JSON.stringify(request.request)) return false;
  } catch {
    return false;
  }
  if (!unchanged(record.dependencies)) return false;
  const storeDb = stillValid(record.storePaths, record.storeDb);
  if (storeDb === false) return false;
  if (storeDb !== record.storeDb) writeRecord(request.file, { ...record, storeDb });
  // Once it answers, the images are linked: a reader that went away (`| head`) ends the process quietly,
  // as in launch (src/stdio.ts: nothing watches the output here).
  const said = (message: string) => writeOutput('stderr', `${message}\n`);
  writeOutput('stderr', record.evaluationStderr);
  for (const image of record.images) {
    // Removed from the cache (tsportable gc): the command runs, and builds it again.
    const linked = await linkCachedImage(image.key, image.fileName, {
      outLink: image.outLink,
      root: image.root ?? undefined,
      onProgress: (p) => said(p.phase === 'cached' ? `${p.message} (nothing the build read has changed)` : p.message),
    });
    if (!linked) return false;
    writeOutput('stderr', image.stderr);
    // As io.stdout writes it: Nix strings' bytes as they are.
    writeOutput('stdout', encodeBytes(image.stdout));
  }
  return true;
}

/** Writes a record whole, then renames it: a reader sees the old one or the new one. */
export function writeRecord(file: string, record: RebuildRecord): void {
  // Not recorded when it cannot be written: the next run is a full one.
  replaceFile(file, JSON.stringify(record), { makeDir: true });
}

/** The Nix database's files (see the top of this file). */
function dbFiles(): string[] {
  const db = join(process.env.NIX_STATE_DIR || '/nix/var/nix', 'db', 'db.sqlite');
  return [db, `${db}-wal`];
}

/** The database's identity now, or null when it changed too recently to be trusted (or cannot be read). */
export function trustedDbIdentity(): string | null {
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
  // An invalid path is usually also gone: then there is no need to ask Nix.
  for (const p of paths) {
    if (lstatSync(p, { throwIfNoEntry: false }) === undefined) return false;
  }
  const before = trustedDbIdentity();
  if (known !== null && before === known) return known;
  if (paths.length === 0) return before;
  const r = spawnSync('nix-store', ['--check-validity', ...paths], { stdio: 'ignore' });
  return r.status === 0 ? before : false;
}
