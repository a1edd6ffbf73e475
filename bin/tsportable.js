#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS TSPORTABLE_NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS} node
/*
 * The `tsportable` command. It loads the CLI and runs it: `launch` in the main
 * thread, `workerMain` in the worker thread `launch` may start on this same
 * file (see src/cli/launch.ts).
 *
 * The CLI is one bundled file, dist/tsportable.cjs (scripts/bundle.mjs builds
 * it after tsc), compiled with V8's code cache: loading the few hundred
 * modules tsc emits, and compiling them, took longer than Node's own
 * start-up. There is one cache per command (each compiles other functions),
 * written beside the bundle after the first run of that command that finds
 * none (when dist/ is writable). When the bundle is missing or older than
 * tsc's output (only tsc was run), the modules are loaded instead.
 *
 * The bundle and its code cache are mapped, not read, by tsportable's
 * native module (grammar/src/binding.c `mapFileLatin1`, `mapFile`): V8 takes
 * the mapped text as the script's source without copying it, and reads only
 * the functions it compiles. Reading them was a tenth of `eval -E 1`. Without
 * the module (not built yet), they are read.
 *
 * `tsportable build` first loads a much smaller bundle, dist/rebuild.cjs,
 * which answers a rebuild whose inputs have not changed from the record of
 * the last one (src/cli/rebuild.ts); only when it cannot is the CLI loaded.
 *
 * This file is CommonJS (bin/package.json says so): Node starts a CommonJS
 * entry point faster than a module.
 *
 * The #! line starts Node without NODE_EXTRA_CA_CERTS, kept aside in
 * TSPORTABLE_NODE_EXTRA_CA_CERTS and put back below. Node reads every
 * certificate that variable names before it runs any script (with the
 * system's bundle, as machines behind a TLS proxy set it, about as long as
 * the rest of its start-up), and tsportable opens no TLS connection itself:
 * the evaluation (`builtins.getEnv`) and the programs it runs see the
 * variable as the user set it. Run as `node bin/tsportable.js`, Node reads
 * the certificates as it would for any script.
 */
'use strict';
// The shebang starts Node without NODE_EXTRA_CA_CERTS (see above); the processes tsportable starts get it back.
const extraCaCerts = process.env.TSPORTABLE_NODE_EXTRA_CA_CERTS;
if (extraCaCerts !== undefined) {
  delete process.env.TSPORTABLE_NODE_EXTRA_CA_CERTS;
  if (extraCaCerts !== '') process.env.NODE_EXTRA_CA_CERTS = extraCaCerts;
}
const fs = require('node:fs');
const path = require('node:path');
// launch's workers run this file with this argument (src/cli/launch.ts's WORKER_ARGUMENT);
// node:worker_threads is loaded only then (it costs a few ms of every start).
const isMainThread = process.argv[2] !== '--tsportable-worker' || require('node:worker_threads').isMainThread;

const dist = path.join(__dirname, '..', 'dist');

/** The native module (as src/native.ts loads it), or undefined when it is not built. */
function nativeModule() {
  try {
    return require(path.join(__dirname, '..', 'grammar', 'build', 'Release', 'tree_sitter_nix_napi.node'));
  } catch {
    return undefined;
  }
}

/**
 * The exports of the bundle dist/<name>.cjs (with the code cache in use) and
 * what to do after the command, or undefined when the bundle cannot be used.
 */
function loadBundle(name) {
  const file = path.join(dist, `${name}.cjs`);
  const native = nativeModule();
  let source;
  try {
    const bundleTime = fs.statSync(file).mtimeMs;
    // tsc rewrites its build info whenever it emits: newer means the bundle is stale.
    if (fs.statSync(path.join(dist, '.tsbuildinfo')).mtimeMs > bundleTime) return undefined;
    // As Latin-1: the bundle is ASCII (scripts/bundle.mjs checks), and Latin-1 is copied (or mapped) where UTF-8 is decoded.
    source = native?.mapFileLatin1?.(file) ?? fs.readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
  const vm = require('node:vm');
  const Module = require('node:module');
  // The bundle's first line names its build; V8 checks only that the source has the same length.
  const build = /^\/\* tsportable build (\w+) \*\//.exec(source)?.[1] ?? 'unknown';
  const commandName = isMainThread ? process.argv[2] : require('node:worker_threads').workerData.argv[0];
  const command = /^[a-z]+$/.test(commandName ?? '') ? commandName : 'other';
  const cacheFile = path.join(dist, `${name}.${build}.${process.version}-${process.arch}.${command}.v8cache`);
  let cachedData = native?.mapFile?.(cacheFile);
  try {
    cachedData ??= fs.readFileSync(cacheFile);
  } catch {}
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, Module.createRequire(file), module, file, dist);
  // Written once the command is done, so that the functions it compiled are in it.
  const writeCache = () => {
    try {
      const temporary = `${cacheFile}.${process.pid}`;
      fs.writeFileSync(temporary, script.createCachedData());
      fs.renameSync(temporary, cacheFile);
    } catch {}
  };
  const fresh = isMainThread && (cachedData === undefined || script.cachedDataRejected);
  return { cli: module.exports, afterRun: fresh ? writeCache : () => {} };
}

async function run() {
  if (isMainThread && process.argv[2] === 'build') {
    const quick = loadBundle('rebuild') ?? { cli: await import('../dist/src/cli/rebuild.js'), afterRun: () => {} };
    const answered = await quick.cli.answerRebuild(process.argv.slice(2));
    quick.afterRun();
    if (answered) return endIfIdle();
  }
  const { cli, afterRun } = loadBundle('tsportable') ?? { cli: await import('../dist/src/cli/entry.js'), afterRun: () => {} };
  if (!isMainThread) return cli.workerMain();
  process.exitCode = await cli.launch(process.argv.slice(2), { workerScript: __filename });
  afterRun();
  endIfIdle();
}

/**
 * Ends the process now if nothing is left to wait for (no process, timer or
 * file operation under way; the output is written as it is produced,
 * src/stdio.ts), sparing Node's teardown of the heap: a few ms of a short run.
 */
function endIfIdle() {
  if (process.getActiveResourcesInfo().length === 0) process.exit();
}

run();
