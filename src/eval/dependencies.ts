/**
 * What an evaluation depended on, recorded so that a later run can tell,
 * without evaluating, that it would evaluate to the same thing: every file
 * the process read, stat'ed or listed (with what it saw), every tree real
 * Nix was handed to read (a path written into Nix source, a search path
 * entry), and whether anything unknowable happened (the clock, a fetch
 * without a hash, a function whose text Nix will run and that may read what
 * nobody can list). The cached-rebuild fast path (src/cli/rebuild.ts) keeps
 * this beside a build's result and checks it before answering from it.
 *
 * Why node:fs is watched instead of asking each reader to say what it read:
 * file access in this process happens in dozens of places (imports, the
 * search path, readFile and friends, store-path hashing, the bridge's
 * checks), and a reader added later that forgot to say so would make a
 * cached answer silently wrong. Every one of them goes through node:fs's
 * synchronous functions (evaluation is synchronous), so while a recording
 * is on those functions are wrapped, once, and the first outcome of each
 * distinct question (operation, path, options) is kept as a digest. A
 * question asked again with another outcome means a file changed during the
 * build: the recording is then unusable. Checking replays each question with
 * the real function and compares digests.
 *
 * A file read, and each entry of a tree handed to Nix (too big to hash on
 * every check: a nixpkgs checkout), is known by its identity (inode, size,
 * modification and change times), taken before it is read: any write
 * afterwards gives it another change time. An entry changed so recently
 * (`Racy.Ms`) that a change within the same timestamp tick could hide behind
 * an unchanged identity is known by its content's hash instead, as git does
 * for its index. A tree is fingerprinted when it is handed over, before Nix
 * reads it. Checking hashes nothing but those recent files (and loads no
 * hashing at all when there are none: this runs at a rebuild's start-up).
 */
import { createHash } from 'node:crypto';
import type * as FS from 'node:fs';
import { existsSync as importedExistsSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';

/** node:fs itself (an ES module namespace cannot be assigned to): what every importer of node:fs sees. */
const fs = createRequire(import.meta.url)('node:fs') as typeof FS;

const enum Racy {
  /** A file changed less than this long before a recording began is fingerprinted by content (timestamps are coarse). */
  Ms = 2000,
}

const enum Limits {
  /** Texts up to this many characters (a directory's names, a tree's identities) are kept as they are, not hashed. */
  PlainDigest = 65_536,
  /** A tree handed to Nix with more entries than this is not fingerprinted: the recording is unusable. */
  TreeEntries = 200_000,
}

/** The synchronous questions watched; each is replayed by the real function when checking. */
type Operation = 'readFileSync' | 'statSync' | 'lstatSync' | 'existsSync' | 'accessSync' | 'readdirSync' | 'realpathSync' | 'readlinkSync';
const operations: readonly Operation[] = ['readFileSync', 'statSync', 'lstatSync', 'existsSync', 'accessSync', 'readdirSync', 'realpathSync', 'readlinkSync'];

/** One question and the digest of its outcome; `options` is what changes the outcome's form (encoding, file types). */
export interface FileQuestion {
  readonly op: Operation;
  readonly path: string;
  readonly options?: Readonly<Record<string, string | boolean | number>>;
  /** The path was given as bytes (a name that is not UTF-8): `path` holds them as latin1. */
  readonly bytes?: true;
  readonly seen: string;
}

/** A tree handed to Nix: the digest of its entries' identities, and the entries fingerprinted by content. */
export interface TreeFingerprint {
  readonly path: string;
  readonly identities: string;
  readonly hashed: Readonly<Record<string, string>>;
}

export interface Dependencies {
  readonly files: readonly FileQuestion[];
  readonly trees: readonly TreeFingerprint[];
}

/** A recording under way; `finish` stops it. */
export interface Recording {
  /** Stops watching until the function returned is called (steps whose reads are not inputs). */
  suspend(): () => void;
  /** What was depended on, or the reason it cannot be known (a cached answer must not be kept then). */
  finish(): Dependencies | { readonly unknowable: string };
}

interface State {
  readonly started: number;
  readonly exclude: readonly string[];
  readonly immutable: readonly string[];
  readonly files: Map<string, FileQuestion>;
  readonly trees: Map<string, TreeFingerprint>;
  unknowable?: string;
}

let state: State | undefined;
/** A path nobody has: the question that shows the watch works (startRecording). */
const probe = '/nonexistent/tsportable-dependencies-probe';
const real = new Map<Operation, (...args: unknown[]) => unknown>();

export interface RecordingOptions {
  /** Prefixes of paths that are not inputs (tsportable's own caches and temporary files): not recorded. */
  readonly exclude: readonly string[];
  /** Prefixes of paths whose contents never change while they exist (the Nix store): handed to Nix, only their presence is a question. */
  readonly immutable: readonly string[];
}

/** Starts recording (one recording at a time). */
export function startRecording(options: RecordingOptions): Recording {
  if (state) throw new Error('internal: a dependency recording is already under way');
  wrapFs();
  const mine: State = { started: Date.now(), ...options, files: new Map(), trees: new Map() };
  state = mine;
  // Modules that import node:fs's functions by name must see the wrapped ones (Node's ES module loader
  // updates its bindings; jest's copies do not): asked once, the question must be recorded.
  importedExistsSync(probe);
  if (mine.files.size === 0) dependsOnTheWorld('node:fs cannot be watched in this process');
  mine.files.clear();
  return {
    suspend() {
      if (state === mine) state = undefined;
      return () => {
        if (state === undefined) state = mine;
      };
    },
    finish() {
      if (state === mine) state = undefined;
      if (mine.unknowable) return { unknowable: mine.unknowable };
      return { files: [...mine.files.values()], trees: [...mine.trees.values()] };
    },
  };
}

/** Evaluation did something whose outcome cannot be checked later (`why` says what): nothing is kept. */
export function dependsOnTheWorld(why: string): void {
  if (state && state.unknowable === undefined) state.unknowable = why;
}

/**
 * Real Nix will read `path` (written into Nix source as a path): its tree is
 * fingerprinted now, before Nix reads it.
 */
export function nixWillRead(path: string): void {
  const s = state;
  if (!s || s.trees.has(path) || excluded(s, path)) return;
  if (s.immutable.some((prefix) => path.startsWith(prefix))) {
    fs.existsSync(path);
    return;
  }
  const tree = fingerprintTree(path, s.started);
  if (tree === undefined) dependsOnTheWorld(`${path} has more than ${Limits.TreeEntries} entries`);
  else s.trees.set(path, tree);
}

/** True when every question gets the answer it got, and every tree is as it was. */
export function unchanged(deps: Dependencies): boolean {
  for (const q of deps.files) {
    if (ask(q.op, q.bytes ? Buffer.from(q.path, 'latin1') : q.path, q.options, q.seen) !== q.seen) return false;
  }
  for (const t of deps.trees) {
    const now = fingerprintTree(t.path, Number.POSITIVE_INFINITY, t.hashed);
    if (now === undefined || now.identities !== t.identities) return false;
  }
  return true;
}

function excluded(s: State, path: string): boolean {
  return s.exclude.some((prefix) => path.startsWith(prefix));
}

/** The real function's outcome for a question, as a digest (what the caller could have seen). */
function ask(op: Operation, path: string | Buffer, options: FileQuestion['options'], seen: string): string {
  const fn = real.get(op) ?? (fs[op] as (...args: unknown[]) => unknown);
  try {
    // A read seen by identity is checked by identity: nothing is read.
    if (op === 'readFileSync' && seen.startsWith('id:')) return `id:${identityOf(path)?.id ?? 'missing'}`;
    const outcome = fn(path, ...(options === undefined ? [] : [op === 'accessSync' ? options.mode : options]));
    return op === 'readFileSync' ? readDigest(undefined, outcome, 0) : digest(op, outcome);
  } catch (e) {
    return `error:${(e as NodeJS.ErrnoException).code ?? 'unknown'}`;
  }
}

function digest(op: Operation, outcome: unknown): string {
  switch (op) {
    case 'statSync':
    case 'lstatSync':
      return outcome === undefined ? 'missing' : kindOf(outcome as FS.Stats);
    case 'existsSync':
      return String(outcome);
    case 'accessSync':
      return 'ok';
    case 'readdirSync': {
      const names = (outcome as (string | Buffer | FS.Dirent)[]).map((e) => {
        if (typeof e === 'string' || Buffer.isBuffer(e)) return Buffer.from(e).toString('hex');
        return `${Buffer.from(e.name as string | Buffer).toString('hex')}:${e.isDirectory() ? 'd' : e.isSymbolicLink() ? 'l' : e.isFile() ? 'f' : 'o'}`;
      });
      return textDigest(names.sort().join('\n'));
    }
    default:
      // realpathSync, readlinkSync: the name given (readFileSync's outcome is `readDigest`'s).
      return textDigest(typeof outcome === 'string' ? `s${outcome}` : `b${(outcome as Buffer).toString('hex')}`);
  }
}

/**
 * What a read saw: the file's identity (inode, size, modification and change
 * times) taken before it was read, or, when the file changed so recently
 * that a change within the same timestamp tick could hide behind the same
 * identity (`Racy.Ms`), the content's hash. A file changed after the
 * identity was taken has another change time.
 */
function readDigest(before: Identity | undefined, content: unknown, racyAfter: number): string {
  if (before !== undefined && !before.recent(racyAfter)) return `id:${before.id}`;
  return `sha256:${hashOf(typeof content === 'string' ? `s${content}` : Buffer.concat([Buffer.from('b'), content as Buffer]))}`;
}

interface Identity {
  readonly id: string;
  /** Changed since `after - Racy.Ms`. */
  recent(after: number): boolean;
}

/** The identity of the file at `path`, or undefined when it cannot be seen (the read that follows says why). */
function identityOf(path: string | Buffer): Identity | undefined {
  const stat = (real.get('statSync') ?? fs.statSync) as typeof FS.statSync;
  let st;
  try {
    st = stat(path, { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  if (st === undefined) return undefined;
  return {
    id: `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`,
    recent: (after) => Number(st.mtimeMs) >= after - Racy.Ms || Number(st.ctimeMs) >= after - Racy.Ms,
  };
}

/** A short text is its own digest (no hashing to load at start-up); a long one is hashed. */
function textDigest(text: string): string {
  return text.length <= Limits.PlainDigest ? `=${text}` : `#${hashOf(text)}`;
}

/** What a stat says that evaluation uses: the kind, and a file's executable bit (store paths record it). */
function kindOf(st: FS.Stats): string {
  if (st.isFile()) return Number(st.mode) & 0o100 ? 'file+x' : 'file';
  return st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'other';
}

function hashOf(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The options that change an outcome's form, as plain data (undefined for none). */
function optionsOf(op: Operation, args: unknown[]): FileQuestion['options'] {
  const o = args[1];
  if (op === 'accessSync') return typeof o === 'number' ? { mode: o } : undefined;
  if (typeof o === 'string') return { encoding: o };
  if (o === null || typeof o !== 'object') return undefined;
  const kept: Record<string, string | boolean | number> = {};
  for (const [k, v] of Object.entries(o)) {
    if ((k === 'encoding' || k === 'withFileTypes' || k === 'throwIfNoEntry') && (typeof v === 'string' || typeof v === 'boolean')) kept[k] = v;
  }
  return Object.keys(kept).length ? kept : undefined;
}

/** The path a question is about, absolute; undefined for a descriptor or a recursive listing (not replayable). */
function pathOf(op: Operation, args: unknown[]): string | undefined {
  const p = args[0];
  if (op === 'readdirSync' && typeof args[1] === 'object' && (args[1] as { recursive?: boolean } | null)?.recursive) return undefined;
  const text = typeof p === 'string' ? p : Buffer.isBuffer(p) ? p.toString('latin1') : p instanceof URL ? p.pathname : undefined;
  if (text === undefined) return undefined;
  return isAbsolute(text) ? text : resolve(text);
}

/** Wraps node:fs's watched functions (once per process); they record only while a recording is on. */
function wrapFs(): void {
  if (real.size) return;
  for (const op of operations) {
    const original = fs[op] as (...args: unknown[]) => unknown;
    real.set(op, original);
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      const s = state;
      if (!s) return original.apply(this, args);
      const path = pathOf(op, args);
      if (path === undefined || (Buffer.isBuffer(args[0]) && !Buffer.from(path, 'latin1').equals(args[0]))) {
        // (a relative path given as bytes is the second case)
        // A descriptor or an undecodable name: nothing to replay later.
        if (typeof args[0] !== 'number') dependsOnTheWorld(`a ${op} that cannot be replayed`);
        return original.apply(this, args);
      }
      let outcome: unknown;
      let seen: string;
      try {
        const before = op === 'readFileSync' ? identityOf(args[0] as string | Buffer) : undefined;
        outcome = original.apply(this, args);
        seen = op === 'readFileSync' ? readDigest(before, outcome, s.started) : digest(op, outcome);
      } catch (e) {
        seen = `error:${(e as NodeJS.ErrnoException).code ?? 'unknown'}`;
        record(s, op, path, args, seen);
        throw e;
      }
      record(s, op, path, args, seen);
      return outcome;
    };
    if (op === 'realpathSync') Object.assign(wrapped, { native: (fs.realpathSync as unknown as { native: unknown }).native });
    (fs as unknown as Record<string, unknown>)[op] = wrapped;
  }
  syncBuiltinESMExports();
}

function record(s: State, op: Operation, path: string, args: unknown[], seen: string): void {
  if (excluded(s, path)) return;
  // A Buffer path is recorded by its bytes read as latin1, which `ask` gives back as the same bytes.
  const options = optionsOf(op, args);
  const bytes = Buffer.isBuffer(args[0]) ? true as const : undefined;
  const id = `${op}\0${bytes ? 'b' : 's'}${path}\0${JSON.stringify(options ?? null)}`;
  const before = s.files.get(id);
  if (before === undefined) s.files.set(id, { op, path, options, seen, ...(bytes && { bytes }) });
  else if (before.seen !== seen) dependsOnTheWorld(`${path} changed during the build`);
}

/**
 * The fingerprint of the tree at `path` (a file, a directory, a symlink, or
 * nothing): every entry's relative name, kind and identity; an entry changed
 * since `racyAfter - Racy.Ms` by its content instead (`hashedBefore` names
 * those of an earlier fingerprint, fingerprinted the same way again).
 */
function fingerprintTree(path: string, racyAfter: number, hashedBefore?: Readonly<Record<string, string>>): TreeFingerprint | undefined {
  const lstat = (real.get('lstatSync') ?? fs.lstatSync) as typeof FS.lstatSync;
  const readdir = (real.get('readdirSync') ?? fs.readdirSync) as typeof FS.readdirSync;
  const readFile = (real.get('readFileSync') ?? fs.readFileSync) as typeof FS.readFileSync;
  const readlink = (real.get('readlinkSync') ?? fs.readlinkSync) as typeof FS.readlinkSync;
  const lines: string[] = [];
  const hashed: Record<string, string> = {};
  let count = 0;
  const visit = (abs: string, rel: string): boolean => {
    if (++count > Limits.TreeEntries) return false;
    const st = lstat(abs, { bigint: true, throwIfNoEntry: false });
    if (st === undefined) {
      lines.push(`${rel}\0missing`);
      return true;
    }
    const recent = Number(st.mtimeMs) >= racyAfter - Racy.Ms || Number(st.ctimeMs) >= racyAfter - Racy.Ms;
    if (st.isDirectory()) {
      lines.push(`${rel}\0dir\0${st.mode}`);
      const names = readdir(abs).sort();
      return names.every((n) => visit(join(abs, n), rel === '' ? n : `${rel}/${n}`));
    }
    if (recent || (hashedBefore && rel in hashedBefore)) {
      const content = st.isSymbolicLink() ? Buffer.from(readlink(abs)) : st.isFile() ? readFile(abs) : Buffer.alloc(0);
      hashed[rel] = hashOf(content);
      lines.push(`${rel}\0hashed\0${st.mode}\0${hashed[rel]}`);
    } else {
      lines.push(`${rel}\0${st.dev}:${st.ino}:${st.mode}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`);
    }
    return true;
  };
  if (!visit(path, '')) return undefined;
  return { path, identities: textDigest(lines.join('\n')), hashed };
}
