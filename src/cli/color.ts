/**
 * Whether what goes to stdout or to stderr is coloured. FORCE_COLOR decides
 * when it is set (`0` or `false` turns colour off), as chalk reads it; then
 * NO_COLOR, set and not empty (no-color.org), turns colour off, which chalk
 * does not check itself; otherwise chalk's detection for that stream (a
 * terminal, TERM). Commands run in a worker thread, whose `process.stdout` is
 * never a TTY: chalk asks the file descriptors (isatty(1), isatty(2)), which
 * are the process's own, so its answer holds there too.
 *
 * chalk is loaded only where colour is possible: its detection loads
 * node:tty (and node:net), which costs more of a start than most commands'
 * work. A descriptor that is not a terminal (a pipe, a file, /dev/null: chalk
 * says no colour there too) gets no colour without asking chalk unless
 * FORCE_COLOR is set, and the text is written through `plain`, which does
 * what a chalk instance of level 0 does.
 */
import { Chalk, supportsColor, supportsColorStderr, type ChalkInstance } from 'chalk';
import { isTerminal, type OutputStream } from '../stdio.js';

function detected(stream: OutputStream) {
  return stream === 'stdout' ? supportsColor : supportsColorStderr;
}

export function colorFor(stream: OutputStream): boolean {
  if (process.env.FORCE_COLOR === undefined && (process.env.NO_COLOR || !isTerminal(stream))) return false;
  const d = detected(stream);
  return d !== false && d.level > 0;
}

/** A chalk instance of level 0, without chalk: each style gives back its arguments joined by spaces; styles chain. */
const plain: ChalkInstance = new Proxy(((...args: unknown[]) => args.join(' ')) as unknown as ChalkInstance, {
  get: (_target, key) => (key === 'level' ? 0 : plain),
});

/** A chalk instance for `stream` (its level when it is coloured), or as `color` says. */
export function chalkFor(stream: OutputStream, color = colorFor(stream)): ChalkInstance {
  if (!color) return plain;
  const d = detected(stream);
  return new Chalk({ level: d ? d.level : 1 });
}
