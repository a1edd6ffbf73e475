/**
 * Stopping an evaluation from outside it. Evaluation is synchronous: while it
 * runs nothing else runs in its thread, so the language server cannot stop an
 * analysis overtaken by a newer edit, or one past its time limit, by sending
 * it a message. Instead the interpreter calls `checkCancel()` on every
 * function call (interp/apply.ts), and every `Tuning.PollInterval` calls that
 * runs the installed poll, which may throw `EvaluationStopped`. With no poll
 * installed (the CLI) a call costs one decrement and one branch.
 *
 * `EvaluationStopped` is deliberately not a NixError: a thunk whose
 * evaluation throws a NixError remembers the error for good (value/force.ts),
 * while one interrupted by anything else is left as it was, so a value shared
 * with a later evaluation is still right there; and `tryEval` cannot catch it.
 */

const enum Tuning {
  /**
   * Function calls between two polls: a poll reads a clock and a shared flag
   * (tens of nanoseconds); 1024 calls take well under a millisecond.
   */
  PollInterval = 1024,
}

/** Why an evaluation was stopped; thrown out of the evaluator by a poll. */
export class EvaluationStopped extends Error {
  constructor(readonly reason: 'cancelled' | 'time-limit' | 'waiting-for-nix', message: string) {
    super(message);
    this.name = 'EvaluationStopped';
  }
}

let poll: (() => void) | undefined;
let countdown: number = Tuning.PollInterval;

/** Installs the check run between function calls (undefined removes it); it throws `EvaluationStopped` to stop. */
export function setCancelPoll(check: (() => void) | undefined): void {
  poll = check;
  countdown = Tuning.PollInterval;
}

/** Called by the interpreter on every function call. */
export function checkCancel(): void {
  if (--countdown > 0) return;
  countdown = Tuning.PollInterval;
  if (poll !== undefined) poll();
}
