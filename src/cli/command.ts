/** What a tsportable command is: its declared options and the function that runs it. */
import type { CommandSpec, ParsedArgs } from './options.js';
import { encodeBytes } from '../eval/value/bytes.js';
import { writeOutput } from '../stdio.js';

export interface Command {
  readonly spec: CommandSpec;
  /** Returns the exit code. Throws NixError for the user's mistakes. */
  run(args: ParsedArgs): Promise<number>;
}

/**
 * Where commands write; tests may replace these. Text may hold Nix strings,
 * whose bytes (value/bytes.ts) are written as they are, as Nix writes them.
 */
export const io = {
  stdout: (text: string) => writeOutput('stdout', encodeBytes(text)),
  stderr: (text: string) => writeOutput('stderr', text),
};

let interruptController: AbortController | undefined;

/**
 * Aborted when the user interrupts (SIGINT/SIGTERM, forwarded by launch.ts):
 * long-running steps (realisation, image builds) stop and clean up. The
 * AbortController is made when first asked for (making one loads Node's
 * event-target code: a few milliseconds of every start otherwise).
 */
export const interrupt = {
  get signal(): AbortSignal {
    return (interruptController ??= new AbortController()).signal;
  },
  /** Whether it has been aborted. */
  get aborted(): boolean {
    return interruptController?.signal.aborted ?? false;
  },
  abort(reason: unknown): void {
    (interruptController ??= new AbortController()).abort(reason);
  },
};
