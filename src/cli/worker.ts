/** The worker side of launch.ts: runs the command, reports its exit code, honours interrupts. */
import { parentPort, workerData } from 'node:worker_threads';
import { NixError } from '../eval/errors.js';
import { interrupt } from './command.js';
import type { WorkerMessage } from './launch.js';
import { main } from './run.js';

const port = parentPort!;
port.on('message', (m: { interrupt?: string }) => {
  if (m.interrupt) interrupt.abort(new NixError('build', `interrupted (${m.interrupt})`));
});
const exitCode = await main((workerData as { argv: string[] }).argv);
port.postMessage({ exitCode } satisfies WorkerMessage);
// Let the thread end once its output is flushed.
port.unref();
