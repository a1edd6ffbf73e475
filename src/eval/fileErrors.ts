/**
 * Nix's messages for a file it cannot read. A path that is not there (ENOENT,
 * or ENOTDIR: a component is a file) "does not exist"; any other failure is
 * Nix's SysError form, what it was doing and the C library's text for the
 * errno: `opening file '/x.nix': Permission denied`. Telling the two apart
 * matters: a user told that a file they can see does not exist looks for a
 * typo, not at its permissions. `systemErrorText` is the same C-library
 * wording for the image cache and the result link.
 */
import { NixError } from './errors.js';
import type { Span } from './span.js';

/** What Nix was doing when the system call failed, as its messages say it. */
export type FileAction = 'opening file' | 'getting status of';

/** Nix's error for a path that does not exist. */
export function missingPath(path: string, span: Span | undefined): NixError {
  return new NixError('eval', `path '${path}' does not exist`, span);
}

/** strerror(3) for the errors file operations meet; Node gives libuv's lower-case wording. */
const strerror: Readonly<Record<string, string>> = {
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EROFS: 'Read-only file system',
  ENOSPC: 'No space left on device',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EEXIST: 'File exists',
  EIO: 'Input/output error',
  EMFILE: 'Too many open files',
};

/** The C library's text for a failed system call (`Permission denied`), as Nix and other tools print it. */
export function systemErrorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return (err.code && strerror[err.code]) ?? libuvText(err);
}

/** The NixError for a failed `stat` or `open` of `path`. */
export function fileError(e: unknown, path: string, action: FileAction, span: Span | undefined): NixError {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return missingPath(path, span);
  return new NixError('eval', `${action} '${path}': ${systemErrorText(err)}`, span);
}

/** `EACCES: permission denied, open '/x'` gives `Permission denied`. */
function libuvText(err: NodeJS.ErrnoException): string {
  const message = String(err?.message ?? err);
  const m = /^[A-Z0-9]+: ([^,]+)/.exec(message);
  const text = m ? m[1]! : message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
