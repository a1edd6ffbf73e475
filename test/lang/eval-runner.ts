/**
 * Runs Nix's own language tests (NixOS/nix, tests/functional/lang) against
 * tsportable's evaluator, the way Nix's lang.sh harness runs them:
 * - eval-okay-X.nix: evaluated with `--eval --strict` (plus X.flags), from the
 *   tests/functional directory, with NIX_PATH=lang/dir3:lang/dir4,
 *   HOME=/fake-home and TEST_VAR=foo; stdout must equal X.exp (and stderr
 *   X.err.exp where present); with X.exp.xml, the `--xml` rendering instead;
 * - eval-fail-X.nix: must fail, and the final `error:` line must equal the
 *   one of X.err.exp (the full trace is compared by nobody yet).
 * The checkout path is replaced by /pwd, as the harness does.
 *
 * Usage: node dist/test/lang/eval-runner.js /path/to/nix/tests/functional/lang [--verbose] [--parse-cache=DIR] [filter]
 *
 * With --parse-cache, files are parsed through the CLI's parse cache in DIR
 * (src/eval/syntax/parseCache.ts): run twice, the second run evaluates trees
 * read back from it, their functions' bodies read and compiled when called.
 *
 * Cases run in a worker thread with a large stack (Nix recurses deeply; so
 * does the evaluator) and one at a time with a timeout: a case that hangs
 * costs its timeout, then the worker is replaced.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

interface Case {
  readonly name: string;
  readonly kind: 'okay' | 'fail';
}

interface Outcome {
  readonly name: string;
  readonly ok: boolean;
  /** Why it failed, general enough to group cases: "wrong output", "unexpected error: ...". */
  readonly cause?: string;
  readonly detail?: string;
  /** eval-fail: whether the whole stderr (traces, positions, code frames) is Nix's, not only the last line. */
  readonly wholeStderr?: boolean;
}

const TIMEOUT_MS = 20_000;

// ---------------------------------------------------------------- worker side

async function runWorker(): Promise<void> {
  const { langDir, parseCacheDir } = workerData as { langDir: string; parseCacheDir?: string };
  const functionalDir = path.dirname(langDir);
  const evalMod = await import('../../src/eval/index.js');
  const { NixError } = await import('../../src/eval/errors.js');
  const { valueToXML } = await import('../../src/eval/builtins/xml.js');
  const { tomlOptions } = await import('../../src/eval/builtins/toml.js');
  const { diagnostics } = await import('../../src/eval/diagnostics.js');
  const { lintSettings, resetLints, LINT_NAMES } = await import('../../src/eval/syntax/lint.js');
  const { renderWarning, renderError } = await import('../../src/cli/render.js');
  // Nix's harness runs with NIX_REMOTE=dummy://, a store that computes paths
  // but holds nothing: the same here, with the bridge's native store paths.
  const { setHooks } = await import('../../src/eval/value/hooks.js');
  const { sourceStorePath, textStorePath } = await import('../../src/bridge/storePath.js');
  const { NixString, NixPath } = await import('../../src/eval/value/index.js');
  const { instantiateWithoutStore, derivationValue } = await import('../../src/eval/builtins/derivations.js');
  const { fixedOutputPath } = await import('../../src/eval/builtins/derivationPaths.js');
  const { parseAnyHash } = await import('../../src/eval/builtins/hashFormats.js');
  const { force, forceBool, forceString } = await import('../../src/eval/value/force.js');
  const { decodeBytes } = await import('../../src/eval/value/bytes.js');
  const { diskParseCache } = await import('../../src/eval/syntax/parseCache.js');
  const cache = parseCacheDir === undefined ? undefined : diskParseCache(parseCacheDir);
  const parseFile = cache && ((text: string, file: string) => cache.parse(text, file, { baseDir: path.dirname(file) }));
  setHooks({
    addPath: (args, span) => {
      // A dummy store knows a path only from its expected hash.
      const sha = args.get('sha256');
      const given = force(args.get('path')!);
      const p = given instanceof NixPath ? given.path : forceString(given, span);
      if (sha === undefined) throw new NixError('eval', 'the test store can add a path only with its sha256', span);
      const name = args.has('name') ? forceString(args.get('name')!, span) : path.basename(p);
      const recursive = args.has('recursive') ? forceBool(args.get('recursive')!, span) : true;
      const hashHex = parseAnyHash(forceString(sha, span), 'sha256').bytes.toString('hex');
      const out = fixedOutputPath(name, { hashHex, algo: 'sha256', recursive });
      return new NixString(out, new Set([out]));
    },
    derivationStrict: instantiateWithoutStore,
    derivation: derivationValue,
    copyPathToStore: (p, span) => {
      if (!fs.existsSync(p)) throw new NixError('eval', `path '${p}' does not exist`, span);
      return sourceStorePath(p, path.basename(p));
    },
    toFile: (name, contents) => {
      const text = typeof contents === 'string' ? contents : contents.s;
      const refs = typeof contents === 'string' ? [] : [...contents.context];
      const p = textStorePath(name, text, refs);
      return new NixString(p, new Set([p]));
    },
  });

  let stderr = '';
  diagnostics.write = (line: string) => { stderr += line + '\n'; };
  diagnostics.warn = (w) => { stderr += renderWarning(w, { color: false, underline: false }); };
  const realStderrWrite = process.stderr.write.bind(process.stderr);

  const pwd = (s: string) => s.split(functionalDir).join('/pwd');

  const runCase = (c: Case): Outcome => {
    const file = path.join(langDir, `${c.name}.nix`);
    const read = (ext: string) => {
      const p = path.join(langDir, `${c.name}.${ext}`);
      // Expected output is bytes, as Nix writes them: decoded as the evaluator decodes Nix strings.
      return fs.existsSync(p) ? decodeBytes(fs.readFileSync(p)) : undefined;
    };
    const flagsText = read('flags');
    const flags = flagsText === undefined ? [] : flagsText.replace(/#.*/g, '').trim().split(/\s+/).filter(Boolean);
    const includes: string[] = [];
    const args: Array<[string, 'expr' | 'str', string]> = [];
    let attrPath: string | undefined;
    tomlOptions.timestamps = false;
    resetLints();
    for (let i = 0; i < flags.length; i++) {
      const f = flags[i];
      if (f === '-I') includes.push(flags[++i]);
      else if (f === '--arg') { args.push([flags[i + 1], 'expr', flags[i + 2]]); i += 2; }
      else if (f === '--argstr') { args.push([flags[i + 1], 'str', flags[i + 2]]); i += 2; }
      else if (f === '-A') attrPath = flags[++i];
      else if (f === '--extra-experimental-features') {
        if (flags[++i] === 'parse-toml-timestamps') tomlOptions.timestamps = true;
      } else if ((LINT_NAMES as readonly string[]).includes(f.slice(2))) {
        lintSettings[f.slice(2) as keyof typeof lintSettings] = flags[++i] as 'ignore' | 'warn' | 'fatal';
      } else if (f === '--max-call-depth') i++;
    }
    stderr = '';
    process.stderr.write = ((chunk: string | Uint8Array) => {
      stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      return true;
    }) as typeof process.stderr.write;
    try {
      const ev = evalMod.createEvaluator({ searchPath: [...includes, 'lang/dir3', 'lang/dir4'], cwd: functionalDir, parseFile });
      const evaluate = () => {
        let v = ev.evalFile(file);
        if (args.length || attrPath !== undefined) {
          const autoArgs = new Map(args.map(([n, k, t]) => [n, k === 'str' ? t : ev.evalExpr(t, functionalDir)] as const));
          v = attrPath !== undefined ? ev.selectAttrPath(v, attrPath, autoArgs) : ev.autoCall(v, autoArgs);
        }
        return v;
      };
      if (c.kind === 'okay') {
        const xml = read('exp.xml');
        let out: string;
        try {
          const v = evaluate();
          out = xml !== undefined
            ? valueToXML(v, true, false, new Set())
            : ev.printValue(v, { strict: true }) + '\n';
        } catch (e) {
          if (e instanceof NixError) return { name: c.name, ok: false, cause: `unexpected error: ${normalise(firstLine(e.message))}`, detail: pwd(e.message) };
          throw e;
        }
        const expected = xml ?? read('exp');
        if (pwd(out) !== expected) return { name: c.name, ok: false, cause: 'wrong output', detail: `got:      ${pwd(out).slice(0, 400)}\nexpected: ${expected?.slice(0, 400)}` };
        const errExp = read('err.exp');
        if (errExp !== undefined && pwd(stderr) !== errExp) {
          return { name: c.name, ok: false, cause: 'wrong stderr', detail: `got:      ${pwd(stderr).slice(0, 400)}\nexpected: ${errExp.slice(0, 400)}` };
        }
        return { name: c.name, ok: true };
      }
      const expectedLine = finalErrorLine(read('err.exp') ?? '');
      try {
        const v = evaluate();
        ev.forceDeep(v);
        return { name: c.name, ok: false, cause: 'no error', detail: ev.printValue(v).slice(0, 200) };
      } catch (e) {
        if (!(e instanceof NixError)) throw e;
        const got = `error: ${pwd(firstLine(e.message))}`;
        // Nix prints the trace by default: compare with it shown, in Nix's form (no colour, `^` only).
        const rendered = pwd(stderr + renderError(e, { showTrace: true, color: false, underline: false }));
        const wholeStderr = rendered === read('err.exp');
        if (got === expectedLine) return { name: c.name, ok: true, wholeStderr, detail: wholeStderr ? undefined : rendered };
        return { name: c.name, ok: false, cause: `wrong error: ${errorClass(expectedLine)}`, detail: `got:      ${got}\nexpected: ${expectedLine}` };
      }
    } catch (e) {
      const err = e as Error;
      return { name: c.name, ok: false, cause: `crash: ${normalise(err.name + ': ' + firstLine(err.message))}`, detail: err.stack?.split('\n').slice(0, 6).join('\n') };
    } finally {
      process.stderr.write = realStderrWrite;
    }
  };

  parentPort!.on('message', (c: Case) => parentPort!.postMessage(runCase(c)));
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

function finalErrorLine(errExp: string): string {
  const lines = errExp.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('error:'));
  return lines[lines.length - 1] ?? '(no error line in .err.exp)';
}

/** Reduces a message to its shape so that failures of one cause group together. */
function normalise(msg: string): string {
  return msg.replace(/'[^']*'/g, "'…'").replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N').slice(0, 100);
}

function errorClass(expectedLine: string): string {
  return normalise(expectedLine.replace(/^error: /, ''));
}

// ---------------------------------------------------------------- main side

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const verbose = argv.includes('--verbose');
  const positional = argv.filter((a) => !a.startsWith('--'));
  const langDir = path.resolve(positional[0] ?? '/tmp/nix/tests/functional/lang');
  const filter = positional[1];
  const cacheArg = argv.find((a) => a.startsWith('--parse-cache='));
  const parseCacheDir = cacheArg === undefined ? undefined : path.resolve(cacheArg.slice('--parse-cache='.length));
  const cases: Case[] = fs.readdirSync(langDir)
    .filter((f) => /^eval-(okay|fail)-.*\.nix$/.test(f))
    .map((f) => f.slice(0, -4))
    .filter((n) => !fs.existsSync(path.join(langDir, `${n}.exp-disabled`)))
    .filter((n) => filter === undefined || n.includes(filter))
    .sort()
    .map((name) => ({ name, kind: name.startsWith('eval-okay-') ? 'okay' : 'fail' }));

  // Nix's harness runs from tests/functional; workers share the process's cwd.
  process.chdir(path.dirname(langDir));
  const self = fileURLToPath(import.meta.url);
  const env = { ...process.env, HOME: '/fake-home', TEST_VAR: 'foo', NIX_PATH: 'lang/dir3:lang/dir4', NIX_STORE_DIR: '/nix/store' };
  const spawn = () => new Worker(self, { workerData: { langDir, parseCacheDir }, env, resourceLimits: { stackSizeMb: 256, maxOldGenerationSizeMb: 4096 } });
  let worker = spawn();
  const outcomes: Outcome[] = [];
  for (const c of cases) {
    const outcome = await new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => {
        cleanup();
        void worker.terminate();
        worker = spawn();
        resolve({ name: c.name, ok: false, cause: 'timeout' });
      }, TIMEOUT_MS);
      const onMessage = (o: Outcome) => { cleanup(); resolve(o); };
      const onError = (e: Error) => {
        cleanup();
        worker = spawn();
        resolve({ name: c.name, ok: false, cause: `worker died: ${normalise(e.message)}` });
      };
      const cleanup = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage(c);
    });
    outcomes.push(outcome);
    if (verbose && !outcome.ok) console.log(`FAIL ${outcome.name}: ${outcome.cause}\n${outcome.detail ?? ''}\n`);
    if (verbose && outcome.ok && outcome.wholeStderr === false) console.log(`STDERR ${outcome.name}\n${outcome.detail ?? ''}\n`);
  }
  await worker.terminate();
  report(cases, outcomes);
}

function report(cases: Case[], outcomes: Outcome[]): void {
  for (const kind of ['okay', 'fail'] as const) {
    const mine = outcomes.filter((o) => cases.find((c) => c.name === o.name)!.kind === kind);
    const passed = mine.filter((o) => o.ok).length;
    const whole = kind === 'fail' ? ` (${mine.filter((o) => o.wholeStderr).length} with the whole stderr identical)` : '';
    console.log(`eval-${kind}: ${passed}/${mine.length} ${kind === 'okay' ? 'identical output' : 'same final error line'}${whole}`);
    const groups = new Map<string, string[]>();
    for (const o of mine) {
      if (o.ok) continue;
      const g = groups.get(o.cause!) ?? [];
      g.push(o.name);
      groups.set(o.cause!, g);
    }
    for (const [cause, names] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
      console.log(`  ${names.length} × ${cause}`);
      console.log(`      ${names.join(' ')}`);
    }
  }
}

if (isMainThread) {
  await main();
} else {
  await runWorker();
}
