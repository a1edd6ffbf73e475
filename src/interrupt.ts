/**
 * Interruption, one idea for every long step (Nix processes in the bridge,
 * mksquashfs and cp in the image builder): the step takes an AbortSignal,
 * and an aborted step rejects with the signal's reason when that is a
 * NixError (the CLI's "interrupted (SIGINT)"), so that what the user reads is
 * only that they interrupted it, never the failure the interruption caused
 * in a child ("a Nix build failed", "mksquashfs failed").
 */
import { NixError } from './eval/errors.js';

/** The error an aborted step rejects with. */
export function interruption(signal: AbortSignal | undefined, what = 'the build'): NixError {
  return signal?.reason instanceof NixError ? signal.reason : new NixError('build', `${what} was interrupted`);
}

export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw interruption(signal, what);
}
