/**
 * Whether what goes to stdout or to stderr is coloured. FORCE_COLOR decides
 * when it is set (`0` or `false` turns colour off), as chalk reads it; then
 * NO_COLOR, set and not empty (no-color.org), turns colour off, which chalk
 * does not check itself; otherwise chalk's detection for that stream (a
 * terminal, TERM). Commands run in a worker thread, whose `process.stdout` is
 * never a TTY: chalk asks the file descriptors (isatty(1), isatty(2)), which
 * are the process's own, so its answer holds there too.
 */
import { Chalk, supportsColor, supportsColorStderr, type ChalkInstance } from 'chalk';

export type OutputStream = 'stdout' | 'stderr';

function detected(stream: OutputStream) {
  return stream === 'stdout' ? supportsColor : supportsColorStderr;
}

export function colorFor(stream: OutputStream): boolean {
  if (process.env.FORCE_COLOR === undefined && process.env.NO_COLOR) return false;
  const d = detected(stream);
  return d !== false && d.level > 0;
}

/** A chalk instance for `stream` (its level when it is coloured), or as `color` says. */
export function chalkFor(stream: OutputStream, color = colorFor(stream)): ChalkInstance {
  const d = detected(stream);
  return new Chalk({ level: color ? (d ? d.level : 1) : 0 });
}
