/**
 * The worker side of bigStack.ts: imports the requested module, calls the
 * requested export with the request, posts back the result or the error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from './bigStack.js';

const { moduleUrl, exportName, arg } = workerData as { moduleUrl: string; exportName: string; arg: unknown };
try {
  const mod = (await import(moduleUrl)) as Record<string, (a: unknown) => unknown>;
  const value = await mod[exportName](arg);
  parentPort!.postMessage({ ok: true, value });
} catch (e) {
  parentPort!.postMessage({ ok: false, error: serializeError(e) });
}
