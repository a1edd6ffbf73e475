/**
 * `npm run bench -- lsp`: the language server on the demo, driven over stdio
 * by the tests' client (test/lsp/client.ts), with its default settings
 * (20 ms debounce, the default package set):
 * - didOpen → first diagnostics of a server that has just answered `initialize`
 *   (its analysis worker still loading), median of 5 fresh servers;
 * - didChange → publishDiagnostics, p50 and p95 over 200 edits, each waited for;
 * - hover latency over a unit (from the kept analysis) and over a name (a
 *   fresh evaluation with the probe), median of 50 each;
 * - resident memory (the whole process, threads included) after 1,000 edits
 *   against after 100;
 * - on examples/flake's flake.nix (its nixpkgs input tsportable's package
 *   set, by the `overrideInputs` setting; the repository's tracked files are
 *   the flake's source, copied to the store by a warm-up server): didOpen →
 *   first diagnostics, and didChange → diagnostics over 100 edits.
 * Baselines of the same run: `tsportable show` on the same file (for the
 * flake, `show .#default`), what a user without the server would run to see
 * the same preview.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { packageRoot } from '../src/paths.js';
import { cliPath, LspClient, positionOf } from '../test/lsp/client.js';
import type { BenchRow } from './main.js';

const demo = join(packageRoot, 'examples', 'demo', 'default.nix');
const flakeDir = join(packageRoot, 'examples', 'flake');
const standIn = `path:${join(packageRoot, 'nix', 'pkgs')}`;
const flakeOptions = { initializationOptions: { overrideInputs: { nixpkgs: standIn } } };

function percentile(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function firstDiagnostics(path: string, text: string, options = {}): Promise<number> {
  const client = await LspClient.start(options);
  try {
    const opened = performance.now();
    const uri = await client.open(path, text);
    const d = await client.diagnosticsFor(uri, 1, 120_000);
    return d.at - opened;
  } finally {
    await client.stop();
    client.kill();
  }
}

/** didChange → diagnostics of `edits` edits, each replacing the character after `needle` (alternating two). */
async function editLatencies(client: LspClient, uri: string, text: string, needle: string, edits: number): Promise<number[]> {
  const at = positionOf(text, needle, 2);
  const latencies: number[] = [];
  for (let version = 2; version < edits + 2; version++) {
    const sent = performance.now();
    await client.change(uri, version, [{ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: version % 2 ? 'r' : 'R' }]);
    latencies.push((await client.diagnosticsFor(uri, version)).at - sent);
  }
  return latencies;
}

async function flakeRows(): Promise<BenchRow[]> {
  const path = join(flakeDir, 'flake.nix');
  const text = await readFile(path, 'utf8');
  await firstDiagnostics(path, text, flakeOptions); // warm-up: the flake's source to the store
  const firsts: number[] = [];
  for (let i = 0; i < 3; i++) firsts.push(await firstDiagnostics(path, text, flakeOptions));
  const shows: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await execa(cliPath, ['show', '.#default', '--override-input', 'nixpkgs', standIn], { cwd: flakeDir });
    shows.push(performance.now() - t0);
  }
  const client = await LspClient.start(flakeOptions);
  try {
    const uri = await client.open(path, text);
    await client.diagnosticsFor(uri, 1, 120_000);
    const latencies = await editLatencies(client, uri, text, 'Greets whoever', 100);
    const status = await client.request<{ nixProcesses: number }>('tsportable/status', {});
    const show = percentile(shows, 50);
    const p50 = percentile(latencies, 50);
    return [
      { name: 'flake: didOpen → first diagnostics', value: percentile(firsts, 50), unit: 'ms', note: 'examples/flake, locked, in the store' },
      { name: 'flake: didChange → diagnostics p50', value: p50, unit: 'ms', note: '100 edits' },
      { name: 'flake: didChange → diagnostics p95', value: percentile(latencies, 95), unit: 'ms' },
      { name: 'flake: tsportable show .#default (baseline)', value: show, unit: 'ms' },
      { name: 'flake: didChange → diagnostics p50 / show', value: p50 / show, unit: 'x' },
      { name: 'flake: Nix processes', value: status.nixProcesses, unit: '' },
    ];
  } finally {
    await client.stop();
    client.kill();
  }
}

export async function bench(): Promise<BenchRow[]> {
  return [...await demoRows(), ...await flakeRows()];
}

async function demoRows(): Promise<BenchRow[]> {
  const text = await readFile(demo, 'utf8');
  const firsts: number[] = [];
  for (let i = 0; i < 5; i++) firsts.push(await firstDiagnostics(demo, text));

  const shows: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await execa(cliPath, ['show', demo], { env: { NIX_PATH: '' } });
    shows.push(performance.now() - t0);
  }

  const client = await LspClient.start();
  try {
    const uri = await client.open(demo, text);
    await client.diagnosticsFor(uri, 1);
    // Typing in the description: each edit replaces one character, alternating two.
    const at = positionOf(text, 'A demo "Portable Service"', 2);
    let version = 1;
    const edit = async (): Promise<number> => {
      version++;
      const sent = performance.now();
      await client.change(uri, version, [{ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: version % 2 ? 'd' : 'D' }]);
      return (await client.diagnosticsFor(uri, version)).at - sent;
    };
    const latencies: number[] = [];
    for (let i = 0; i < 200; i++) latencies.push(await edit());

    const unitHovers: number[] = [];
    const nameHovers: number[] = [];
    for (let i = 0; i < 50; i++) {
      let t0 = performance.now();
      await client.hover(uri, positionOf(text, 'demo-service demo-socket', 3));
      unitHovers.push(performance.now() - t0);
      t0 = performance.now();
      await client.hover(uri, positionOf(text, '${demo-program}', 4));
      nameHovers.push(performance.now() - t0);
    }

    while (version < 101) await edit();
    const at100 = await rssMb(client.child.pid!);
    while (version < 1001) await edit();
    const at1000 = await rssMb(client.child.pid!);
    const status = await client.request<{ nixProcesses: number; workerRestarts: number }>('tsportable/status', {});

    const show = percentile(shows, 50);
    const p50 = percentile(latencies, 50);
    return [
      { name: 'didOpen → first diagnostics (fresh server)', value: percentile(firsts, 50), unit: 'ms', note: 'goal ≤ 500' },
      { name: 'didChange → diagnostics p50', value: p50, unit: 'ms', note: '200 edits, 20 ms debounce included' },
      { name: 'didChange → diagnostics p95', value: percentile(latencies, 95), unit: 'ms', note: 'goal ≤ 50' },
      { name: 'hover on a unit p50', value: percentile(unitHovers, 50), unit: 'ms' },
      { name: 'hover on a name p50', value: percentile(nameHovers, 50), unit: 'ms', note: 'a fresh evaluation' },
      { name: 'tsportable show demo (baseline)', value: show, unit: 'ms' },
      { name: 'didChange → diagnostics p50 / show', value: p50 / show, unit: 'x' },
      { name: 'RSS after 100 edits', value: at100, unit: 'MB' },
      { name: 'RSS after 1,000 edits', value: at1000, unit: 'MB' },
      { name: 'RSS 1,000 / 100 edits', value: at1000 / at100, unit: 'x', note: 'goal ≤ 1.2' },
      { name: 'Nix processes, worker restarts', value: status.nixProcesses + status.workerRestarts, unit: '', note: `${status.nixProcesses} and ${status.workerRestarts}` },
    ];
  } finally {
    await client.stop();
    client.kill();
  }
}
