/**
 * The "Build image" command: `tsportable build FILE --json` (for a flake's
 * image, `tsportable build .#attr --json`) in a process of its own, run from
 * the file's directory (so `result` is made where `tsportable build` run
 * there would make it). A build takes long and runs Nix builds and
 * mksquashfs: it must not hold up the analyses, and the CLI already does it,
 * with its interrupt handling and its errors. The file is built as saved; a
 * document with unsaved edits is refused, not built stale.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import type { ErrorJSON } from '../cli/render.js';
import { packageRoot } from '../paths.js';

export interface BuildRequest {
  readonly path: string;
  /** The document's text in the editor, compared with the file on disk. */
  readonly text: string;
  readonly attrPath?: string;
  /** For a flake's image: the installable to build instead of the file (`.#default`), and the inputs overridden. */
  readonly installable?: string;
  readonly overrideInputs?: readonly (readonly [string, string])[];
  readonly searchPath: readonly string[];
  /** Called with each line the build writes on stderr (notices, Nix's build output). */
  readonly onLine: (line: string) => void;
  readonly signal?: AbortSignal;
}

/** What `tsportable build --json` prints for an image. */
export interface BuildOutcome {
  readonly attrPath: string;
  readonly image: string;
  readonly resultDir: string;
  readonly outLink: string | null;
  readonly cached: boolean;
  readonly closure: readonly string[];
}

/** A build that failed; `message` is tsportable's error (file:line:column and what went wrong). */
export class BuildFailure extends Error {}

export async function buildDocument(req: BuildRequest): Promise<BuildOutcome[]> {
  let onDisk: string;
  try {
    onDisk = readFileSync(req.path, 'utf8');
  } catch {
    throw new BuildFailure(`${req.path} is not a file on disk: save it first`);
  }
  if (onDisk !== req.text) throw new BuildFailure(`${req.path} has unsaved changes: save it first (the build reads the file on disk)`);
  const args = [
    join(packageRoot, 'bin', 'tsportable.js'), 'build', req.installable ?? req.path, '--json',
    ...req.searchPath.flatMap((p) => ['-I', p]),
    ...(req.installable !== undefined ? (req.overrideInputs ?? []).flatMap(([name, ref]) => ['--override-input', name, ref]) : []),
    ...(req.attrPath && req.installable === undefined ? ['-A', req.attrPath] : []),
  ];
  const child = execa(process.execPath, args, {
    cwd: dirname(req.path), reject: false, stdin: 'ignore', ...(req.signal ? { cancelSignal: req.signal } : {}),
  });
  let partial = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) if (l.trim() !== '') req.onLine(l);
  });
  const r = await child;
  const objects = String(r.stdout ?? '').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  if (r.exitCode === 0) return objects as unknown as BuildOutcome[];
  const error = objects.find((o) => o.error)?.error as ErrorJSON | undefined;
  if (r.isCanceled) throw new BuildFailure('the build was cancelled');
  if (error) {
    const at = error.span ? `${error.span.file}:${error.span.line}:${error.span.column}: ` : '';
    throw new BuildFailure([`${at}${error.message}`, ...error.hints].join('\n'));
  }
  throw new BuildFailure(`tsportable build failed (exit code ${r.exitCode}): ${String(r.stderr ?? '').trim().split('\n').slice(-5).join('\n')}`);
}
