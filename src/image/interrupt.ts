/**
 * Ctrl-C and friends during a build. While an image is being built, SIGINT
 * and SIGTERM do not kill the process at once: they abort the build's signal,
 * which kills mksquashfs or cp, and the build unwinds through its cleanup
 * (the private directory is removed, the result link is left alone) before
 * rejecting with an "interrupted" NixError the caller reports.
 */
import { NixError } from '../eval/errors.js';
import { interruption as interruptionOf, throwIfAborted as throwIfAbortedOf } from '../interrupt.js';

/** Aborts `controller` on SIGINT/SIGTERM until the returned function is called. */
export function trapSignals(controller: AbortController): () => void {
  const onSignal = (sig: NodeJS.Signals) => controller.abort(new NixError('build', `the image build was interrupted (${sig})`));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** The error an aborted image build rejects with (src/interrupt.ts). */
export function interruption(signal: AbortSignal | undefined): NixError {
  return interruptionOf(signal, 'the image build');
}

export function throwIfAborted(signal: AbortSignal): void {
  throwIfAbortedOf(signal, 'the image build');
}
