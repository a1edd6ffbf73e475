/**
 * What bin/tsportable.js loads: the CLI's entry points, for the main thread
 * (`launch`) and for the worker it may start (`workerMain`). This module is
 * the root of the bundle (scripts/bundle.mjs): everything the CLI can reach
 * from here, including commands loaded on demand, ends up in it.
 */
export { launch, workerMain, WORKER_ARGUMENT } from './launch.js';
