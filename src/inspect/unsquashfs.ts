/**
 * The only place that runs unsquashfs. Reading an image takes two kinds of
 * call: the superblock (`-s`, `-mkfs-time`), and one `-pf` stream that gives
 * the listing followed by the data of every file. The stream is consumed as it
 * comes: the listing is handed over as soon as the data marker arrives (so the
 * caller can decide which files it wants), then data chunks with their offsets,
 * so an image of any size is read once, without extracting it to disk and
 * without holding it in memory. A third, `-cat`, reads one file whole, for
 * the rare ELF file whose loader data the stream's reader did not keep.
 */
import { execa } from 'execa';
import { constants, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NixError } from '../eval/errors.js';
import { dataMarker, parsePseudoListing } from './pseudoFile.js';
import { parseSuperblock, type Superblock } from './superblock.js';
import type { ImageEntry } from './tree.js';

export interface UnsquashfsOptions {
  /** Defaults to `unsquashfs` on PATH. */
  readonly unsquashfs?: string;
}

function failure(image: string, what: string, stderr: unknown, exitCode: number | undefined): NixError {
  const detail = String(stderr ?? '').trim();
  return new NixError('usage', `cannot read image '${image}' (${what} exited with ${exitCode ?? 'a signal'})${detail ? `:\n${detail}` : ''}`);
}

export async function readSuperblock(image: string, options: UnsquashfsOptions = {}): Promise<Superblock> {
  const program = options.unsquashfs ?? 'unsquashfs';
  const [stat, time] = await Promise.all([
    execa(program, ['-s', image], { reject: false }),
    execa(program, ['-mkfs-time', image], { reject: false }),
  ]);
  if (stat.failed) throw failure(image, 'unsquashfs -s', stat.stderr || stat.stdout, stat.exitCode);
  if (time.failed) throw failure(image, 'unsquashfs -mkfs-time', time.stderr || time.stdout, time.exitCode);
  return parseSuperblock(stat.stdout, time.stdout);
}

/** One file of the image, whole (`unsquashfs -cat`), for the rare file the stream did not keep enough of. */
export async function readImageFile(image: string, path: string, options: UnsquashfsOptions = {}): Promise<Uint8Array> {
  const program = options.unsquashfs ?? 'unsquashfs';
  const r = await execa(program, ['-cat', image, path.replace(/^\/+/, '')], { reject: false, encoding: 'buffer', stdin: 'ignore' });
  if (r.failed) throw failure(image, `unsquashfs -cat ${path}`, Buffer.from(r.stderr).toString('utf8'), r.exitCode);
  return r.stdout;
}

export interface PseudoStreamHandlers {
  /** Called once, with every entry, before any data. */
  onListing(entries: Map<string, ImageEntry>): void;
  /** Called for each piece of the data section; `offset` is where `chunk` starts in it. */
  onData(chunk: Buffer, offset: number): void;
}

const marker = Buffer.from(dataMarker, 'latin1');

/** The last `count` bytes held in `pieces`, as a list of slices. */
function tailBytes(pieces: readonly Buffer[], count: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = pieces.length - 1; i >= 0 && count > 0; i--) {
    const p = pieces[i]!;
    const take = Math.min(count, p.length);
    out.unshift(p.subarray(p.length - take));
    count -= take;
  }
  return out;
}

/**
 * Opens a FIFO for `unsquashfs -pf` to write into. unsquashfs opens the path it
 * is given, and Node's child pipes are sockets, which `/dev/stdout` cannot be
 * opened on (ENXIO). The FIFO is opened here first, without blocking, and read
 * as a pipe: it reports the end only after a writer has come and gone.
 */
async function openFifo(dir: string): Promise<{ path: string; socket: Socket }> {
  const path = join(dir, 'pseudo-file');
  await execa('mkfifo', ['-m', '600', path]);
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  return { path, socket: new Socket({ fd, readable: true, writable: false }) };
}

/** Streams `unsquashfs -pf` of `image` to the handlers. */
export async function streamImage(image: string, handlers: PseudoStreamHandlers, options: UnsquashfsOptions = {}): Promise<void> {
  const program = options.unsquashfs ?? 'unsquashfs';
  const dir = await mkdtemp(join(tmpdir(), 'tsportable-inspect-'));
  try {
    const fifo = await openFifo(dir);
    const subprocess = execa(program, ['-n', '-pf', fifo.path, image], { reject: false, stdin: 'ignore' });
    // If unsquashfs fails before opening the FIFO, no end would ever come: stop reading then.
    let stoppedReading = false;
    void subprocess.then((r) => {
      if (r.failed) {
        stoppedReading = true;
        fifo.socket.destroy();
      }
    });
    let offset = -1;
    try {
      offset = await consume(fifo.socket, handlers);
    } catch (e) {
      if (!stoppedReading) {
        // A handler failed: that error is the one to report, not unsquashfs' broken pipe.
        subprocess.kill();
        await subprocess;
        throw e;
      }
    }
    const result = await subprocess;
    if (result.failed) throw failure(image, 'unsquashfs -pf', result.stderr || result.stdout, result.exitCode);
    if (offset < 0) throw failure(image, 'unsquashfs -pf (no data marker)', result.stderr, result.exitCode);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Reads the pseudo file; returns the data section's length, or -1 if the marker never came. */
async function consume(input: AsyncIterable<Buffer>, handlers: PseudoStreamHandlers): Promise<number> {
  const head: Buffer[] = [];
  let headLength = 0;
  let offset = -1; // -1 while still in the listing
  for await (const piece of input) {
    if (offset >= 0) {
      handlers.onData(piece, offset);
      offset += piece.length;
      continue;
    }
    // Look for the marker where it may start: in the new piece or just before it (split across pieces).
    const carry = Math.min(headLength, marker.length - 1);
    const window = Buffer.concat([...tailBytes(head, carry), piece]);
    head.push(piece);
    headLength += piece.length;
    const found = window.indexOf(marker);
    if (found < 0) continue;
    const at = headLength - piece.length - carry + found;
    const joined = Buffer.concat(head);
    handlers.onListing(parsePseudoListing(joined.subarray(0, at).toString('utf8')));
    const rest = joined.subarray(at + marker.length);
    offset = 0;
    if (rest.length > 0) {
      handlers.onData(rest, 0);
      offset = rest.length;
    }
  }
  return offset;
}
