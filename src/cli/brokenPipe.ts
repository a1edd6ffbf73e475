/**
 * Ends the process by SIGPIPE, as `seq | head` ends `seq` (the shell sees
 * 141). Node ignores SIGPIPE; installing and removing a handler restores the
 * default action. Should the signal not end the process, the status is the same.
 * A module of its own, with no imports: the cached rebuild's small bundle uses it too.
 */
export function dieOfBrokenPipe(): void {
  const ignore = () => undefined;
  process.on('SIGPIPE', ignore);
  process.off('SIGPIPE', ignore);
  process.kill(process.pid, 'SIGPIPE');
  process.exit(128 + 13);
}
