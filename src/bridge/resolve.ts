/**
 * Resolution: turns strings that mention foreign values (placeholders,
 * contexts `@<id>`) and store paths known only natively into real store
 * paths, with a constant number of Nix processes whatever their number:
 *   1. one `nix-instantiate --eval --strict --json --read-write-mode` of a
 *      generated program (on its standard input) that writes every string back (each foreign value once)
 *      and returns, for each, the string Nix computes and its context;
 *   2. one `nix-store --realise` of every derivation output in those contexts.
 * Closures (`requisites`) are one `nix-store --query --requisites`.
 *
 * Errors: Nix's message is kept as it is; the span is the place in the user's
 * file whose value Nix was evaluating, found from the positions in the
 * generated program that Nix's trace mentions (one binding per line). A native
 * error deferred by write-back is recognised by its marker and rethrown as it was.
 *
 * The steps are written once, as generators that yield the Nix process they
 * need and get its result back; `resolve` runs them synchronously (what
 * evaluation needs at once), `resolveAsync` asynchronously (a build command's
 * realisation: Nix's lines are shown as they come, see buildProgress.ts, and
 * an interruption stops Nix). A Nix stopped by an interruption, ours or a
 * Ctrl-C that reached it directly ("interrupted by the user"), is reported
 * as the interruption, not as a failed build.
 */
import { join } from 'node:path';
import { NixError } from '../eval/errors.js';
import { evalSettings } from '../eval/settings.js';
import type { Span } from '../eval/span.js';
import { NixString } from '../eval/value/index.js';
import { concatBytes, encodeBytes } from '../eval/value/bytes.js';
import { stringText } from '../eval/value/string.js';
import { nixDir } from '../paths.js';
import { interruption } from '../interrupt.js';
import { NixBuildLog, type NixOutput } from './buildProgress.js';
import type { NixProgramName, NixRunner, RunResult } from './runner.js';
import { NixProgram, type WriteBackOptions } from './writeBack.js';
import { type ForeignHandle, handleOfContext, placeholdersIn } from './foreign.js';
import { pathLiteral, stringLiteral } from './nixLiterals.js';

/** A string to resolve: a native string value, or the `NixText` form builder specs hold. */
export type ResolvableString = string | NixString | { readonly text: string; readonly context: readonly string[] };

export interface ResolveItem {
  readonly value: ResolvableString;
  /** Where the user's file made this string (for errors). */
  readonly span?: Span;
}

export interface Resolved {
  /** The texts with every placeholder replaced by a real store path. */
  readonly texts: string[];
  /** Every store path the texts' contexts name, realised (outputs built, sources added). */
  readonly storePaths: string[];
  /** For each text, the store paths its own context names (outputs only once realised: not in a dry run). */
  readonly contextPaths: string[][];
}

export interface ResolverOptions {
  runner: NixRunner;
  /** `-I` entries for Nix (the evaluator's search path). */
  searchPath: readonly string[];
  writeBack: WriteBackOptions;
  /** Show `nix-store --realise`'s progress on the terminal (when there is no `output`). */
  progress: boolean;
  /** Where realisation's output goes, line by line; without it, stderr is shown directly (`progress`) or kept. */
  output?: NixOutput;
  /** Stops the Nix processes of asynchronous steps. */
  signal?: AbortSignal;
  /** More arguments for `nix-store --realise`: nix-build's build flags (`-j`, `--builders`, `-K`, ...). */
  realiseArgs?: readonly string[];
  /** Where a dry run says what would be built or fetched, when there is no `output`. */
  notice?: (message: string) => void;
}

export interface ResolveOptions {
  /**
   * Evaluation needs the strings now (`readFile "${drv}/x"`, `import "${drv}"`):
   * import from derivation, refused when `allow-import-from-derivation` is off.
   */
  readonly duringEvaluation?: boolean;
  /** Say what would be built or fetched (`nix-store --realise --dry-run`), build nothing. */
  readonly dryRun?: boolean;
}

/** What `nix-instantiate --eval` writes: the value forced deeply as JSON, or printed (`--strict` or not). */
type EvalOutput = 'json' | 'printed' | 'printed-strict';

/** A Nix process a step needs; `realise` marks nix-store's builds, whose output is shown. */
interface NixCall {
  readonly program: NixProgramName;
  readonly args: readonly string[];
  readonly realise?: boolean;
  /** Its standard input. */
  readonly input?: Uint8Array;
}

/** A step: yields the Nix processes it needs, gets their results, returns its answer. */
type Steps<T> = Generator<NixCall, T, RunResult>;

const collectNix = pathLiteral(join(nixDir, 'bridge', 'collect.nix'));

function toNixString(v: ResolvableString): string | NixString {
  if (typeof v === 'string' || v instanceof NixString) return v;
  return v.context.length ? new NixString(v.text, new Set(v.context)) : v.text;
}

export class Resolver {
  constructor(private readonly options: ResolverOptions) {}

  private searchArgs(): string[] {
    return this.options.searchPath.flatMap((p) => ['-I', p]);
  }

  /** Resolves and realises every item, in one evaluation and one realisation. */
  resolve(items: readonly ResolveItem[], span?: Span, options: ResolveOptions = {}): Resolved {
    return this.runSync(this.resolveSteps(items, span, options));
  }

  /** `resolve`, with the Nix processes run asynchronously: their output shown as it comes, interruptible. */
  resolveAsync(items: readonly ResolveItem[], span?: Span, options: ResolveOptions = {}): Promise<Resolved> {
    return this.runAsync(this.resolveSteps(items, span, options));
  }

  private *resolveSteps(items: readonly ResolveItem[], span: Span | undefined, options: ResolveOptions): Steps<Resolved> {
    const strings = items.map((i) => toNixString(i.value));
    // Strings without context need Nix only for the placeholders a dropped context left in their text.
    if (strings.every((s) => typeof s === 'string' && !placeholdersIn(s).length)) {
      return { texts: strings as string[], storePaths: [], contextPaths: strings.map(() => []) };
    }
    const program = new NixProgram(this.options.writeBack);
    // A string without context is not written: it names no build, and its text needs only its placeholders'.
    const entries = strings.flatMap((s, i) =>
      typeof s === 'string' ? [] : [`${stringLiteral(String(i))} = ${program.value(s, items[i].span ?? span)};`]);
    // Each foreign value the strings name, alone: its context tells which build was its own, and its text
    // replaces its placeholder (Nix's text of a string would need JSON, which cannot carry every byte).
    const handles = new Map<string, ForeignHandle>();
    for (const s of strings) {
      for (const c of typeof s === 'string' ? [] : s.context) {
        const h = handleOfContext(c);
        if (h) handles.set(`h${h.id}`, h);
      }
      for (const p of placeholdersIn(typeof s === 'string' ? s : s.s)) handles.set(`h${p.handle.id}`, p.handle);
    }
    const handleEntries = [...handles].map(([key, h]) => `${stringLiteral(key)} = ${program.handle(h)};`);
    const source = program.render(`import ${collectNix} { strings = { ${entries.join(' ')} }; handles = { ${handleEntries.join(' ')} }; }`);
    const json = JSON.parse(yield* this.evaluateSteps(program, source, items.find((i) => i.span)?.span ?? span, 'json')) as Record<string, CollectResult>;
    const contextOf = (i: number): ContextJSON => json[String(i)]?.context ?? {};
    const texts: string[] = [];
    const targets = new Set<string>();
    const storePaths = new Set<string>();
    for (let i = 0; i < strings.length; i++) {
      texts.push(withPlaceholdersResolved(stringText(strings[i]), json));
      for (const [path, c] of Object.entries(contextOf(i))) {
        if (c.outputs) for (const o of c.outputs) targets.add(`${path}!${o}`);
        if (c.path || c.allOutputs) storePaths.add(path);
      }
    }
    const failedAt = (drv: string): Span | undefined => {
      for (const [key, h] of handles) if (json[key].context[drv] !== undefined && h.span) return h.span;
      const i = strings.findIndex((_, k) => contextOf(k)[drv] !== undefined);
      return i >= 0 ? items[i].span : undefined;
    };
    if (options.duringEvaluation && targets.size && !evalSettings.allowImportFromDerivation) {
      const [first] = [...targets];
      throw new NixError('eval', `cannot build '${first!.replace('!', '^')}' during evaluation because the option 'allow-import-from-derivation' is disabled`,
        failedAt(first!.slice(0, first!.indexOf('!'))) ?? span);
    }
    const outputPaths = new Map<string, readonly string[]>();
    if (options.dryRun) {
      yield* this.dryRunSteps([...targets]);
    } else {
      const order = [...targets];
      const realised = yield* this.realiseSteps(order, span, failedAt);
      // nix-store prints one output path per `drv!output` argument, in the arguments' order;
      // should it not, every output counts for every string naming one (more, never fewer).
      const inOrder = realised.length === order.length;
      order.forEach((t, k) => outputPaths.set(t, inOrder ? [realised[k]!] : realised));
      for (const p of realised) storePaths.add(p);
    }
    const contextPaths = strings.map((_, i) => [...new Set(Object.entries(contextOf(i)).flatMap(([path, c]) => [
      ...(c.path || c.allOutputs ? [path] : []),
      ...(c.outputs ?? []).flatMap((o) => outputPaths.get(`${path}!${o}`) ?? []),
    ]))]);
    return { texts, storePaths: [...storePaths], contextPaths };
  }

  /**
   * One Nix evaluation of `body` (Nix source using the program's bindings) to
   * JSON, for questions evaluation must answer now (`pkgs ? foo`).
   */
  evaluateJSON(program: NixProgram, body: string, span?: Span): unknown {
    return JSON.parse(this.runSync(this.evaluateSteps(program, program.render(body), span, 'json')));
  }

  /**
   * `body` as `nix-instantiate --eval [--strict]` prints it (one line, without
   * the newline): what `tsportable eval` shows of a value only Nix computes.
   */
  evaluatePrinted(program: NixProgram, body: string, strict: boolean, span?: Span): string {
    return this.runSync(this.evaluateSteps(program, program.render(body), span, strict ? 'printed-strict' : 'printed'));
  }

  /** Builds derivation outputs (`drv!out`); returns the output paths. */
  realise(targets: readonly string[], span?: Span, spanOfDrv?: (drv: string) => Span | undefined): string[] {
    return this.runSync(this.realiseSteps(targets, span, spanOfDrv));
  }

  /** What `nix-store --realise --dry-run` says it would build or fetch, shown as Nix says it. */
  private *dryRunSteps(targets: readonly string[]): Steps<void> {
    if (!targets.length) return;
    const args = ['--realise', '--dry-run', ...(this.options.realiseArgs ?? []), ...targets];
    const r = yield { program: 'nix-store', args, realise: true };
    if (r.exitCode !== 0) throw new NixError('build', nixMessage(r, 'nix-store', args));
    // With an output, the lines were shown as they came.
    if (this.options.output) return;
    const said = r.stderr.split('\n').filter((l) => l.trim() !== '');
    if (said.length) this.options.notice?.(said.join('\n'));
  }

  private *realiseSteps(targets: readonly string[], span?: Span, spanOfDrv?: (drv: string) => Span | undefined): Steps<string[]> {
    if (!targets.length) return [];
    // The outputs need no GC root: the image is made from them before this command ends.
    const args = ['--realise', '--no-gc-warning', ...(this.options.realiseArgs ?? []), ...targets];
    const r = yield { program: 'nix-store', args, realise: true };
    if (r.exitCode !== 0) {
      // "builder for '/nix/store/…drv' failed": point at the string that needed it, when it needed it directly.
      const failed = /builder for '([^']+\.drv)' failed/.exec(r.stderr)?.[1];
      const err = new NixError('build', nixMessage(r, 'nix-store', args), (failed && spanOfDrv?.(failed)) || span);
      // Shown line by line, the log is already above the error.
      if (!this.options.output) {
        const log = buildLog(r.stderr);
        err.hints.push(log.length ? `the end of the build log:\n${log.join('\n')}` : 'a Nix build failed (nix-store --realise); see `nix log`');
      }
      throw err;
    }
    return storePathLines(r.stdout);
  }

  private readonly referencesKnown = new Map<string, readonly string[]>();

  /**
   * The references of one store path (`builtins.readFile` of a file in it
   * gives them as context): one `nix-store --query --references` per path,
   * remembered, since a valid path's references never change. A path that is
   * not valid has none, as in Nix.
   */
  references(storePath: string): readonly string[] {
    const known = this.referencesKnown.get(storePath);
    if (known) return known;
    const r = this.options.runner.run('nix-store', ['--query', '--references', storePath]);
    const refs = r.exitCode === 0 ? storePathLines(r.stdout) : [];
    this.referencesKnown.set(storePath, refs);
    return refs;
  }

  /** The closure of `paths` in the store, one `nix-store --query --requisites`. */
  requisites(paths: readonly string[], span?: Span): string[] {
    if (!paths.length) return [];
    const args = ['--query', '--requisites', ...paths];
    const r = this.options.runner.run('nix-store', args);
    if (r.exitCode !== 0) throw new NixError('build', nixMessage(r, 'nix-store', args), span);
    return storePathLines(r.stdout);
  }

  /** One `nix-instantiate --eval` of `source`, given on its standard input; its standard output (JSON, or the value printed). */
  private *evaluateSteps(program: NixProgram, source: string, span: Span | undefined, output: EvalOutput): Steps<string> {
    const how = output === 'json' ? ['--strict', '--json'] : output === 'printed-strict' ? ['--strict'] : [];
    const args = ['--eval', ...how, '--read-write-mode', '--show-trace', ...this.searchArgs(), '-'];
    const r = yield { program: 'nix-instantiate', args, input: encodeBytes(source) };
    if (r.exitCode !== 0) throw this.evalError(program, r, args, span);
    return r.stdout;
  }

  private runSync<T>(steps: Steps<T>): T {
    const { runner, output, progress } = this.options;
    let next = steps.next();
    while (!next.done) {
      const call = next.value;
      const r = runner.run(call.program, call.args, { progress: call.realise && !output && progress, input: call.input });
      if (call.realise && output) {
        // Not live (evaluation waits for it), but in order with everything else the command prints.
        const log = new NixBuildLog(output);
        for (const line of r.stderr.split('\n')) if (line !== '') log.push(line);
        output.status(undefined);
      }
      next = this.afterRun(steps, r);
    }
    return next.value;
  }

  private async runAsync<T>(steps: Steps<T>): Promise<T> {
    const { runner, output, progress, signal } = this.options;
    const runAsync = runner.runAsync?.bind(runner);
    if (!runAsync) return this.runSync(steps);
    let next = steps.next();
    while (!next.done) {
      const call = next.value;
      const log = call.realise && output ? new NixBuildLog(output) : undefined;
      const r = await runAsync(call.program, call.args, {
        progress: call.realise && progress,
        input: call.input,
        signal,
        onStderrLine: log && ((line) => log.push(line)),
      });
      output?.status(undefined);
      next = this.afterRun(steps, r);
    }
    return next.value;
  }

  /** Hands a run's result to the step, or the interruption that stopped it. */
  private afterRun<T>(steps: Steps<T>, r: RunResult): IteratorResult<NixCall, T> {
    const interrupted = r.canceled || this.options.signal?.aborted || r.signal === 'SIGINT'
      || (r.exitCode !== 0 && /^error: interrupted by the user$/m.test(r.stderr));
    return interrupted ? steps.throw(interruption(this.options.signal)) : steps.next(r);
  }

  private evalError(program: NixProgram, r: RunResult, args: readonly string[], span: Span | undefined): NixError {
    const stderr = r.stderr;
    const deferred = program.findDeferred(stderr);
    if (deferred) return deferred;
    const err = new NixError('eval', nixMessage(r, 'nix-instantiate', args));
    // Nix's own trace ("… while evaluating the attribute 'x' of the derivation 'y'"), innermost first as in Nix.
    // Nix's "…" (escaped: the bundle is ASCII, scripts/bundle.mjs).
    for (const m of stderr.matchAll(/^\s+\u2026 (.*)$/gm)) err.addTrace(m[1]);
    // Nix's trace names positions in the generated program (`«stdin»`, escaped as
    // the bundle is ASCII); the first one that is a binding made from the user's
    // file tells where the user's code led.
    for (const m of stderr.matchAll(/\u00abstdin\u00bb:(\d+):(\d+)/g)) {
      const at = program.spanAt(Number(m[1]), Number(m[2]));
      if (at?.span) {
        err.at(at.span);
        err.addTrace(`while Nix evaluated ${at.binding.origin.describe}`, at.binding.origin.span);
        break;
      }
    }
    return err.at(span);
  }
}

/** `builtins.getContext s` as JSON: per store path, how the string refers to it. */
export type ContextJSON = Record<string, { path?: boolean; allOutputs?: boolean; outputs?: string[] }>;

interface CollectResult {
  /** The text, for a foreign value's entry. */
  s?: string;
  context: ContextJSON;
}

/** `text` with each placeholder replaced by the text Nix gave its foreign value (an `h<id>` entry). */
function withPlaceholdersResolved(text: string, json: Record<string, CollectResult>): string {
  let out = '';
  let at = 0;
  for (const p of placeholdersIn(text)) {
    out = concatBytes(out, text.slice(at, p.offset));
    out = concatBytes(out, json[`h${p.handle.id}`].s!);
    at = p.offset + p.length;
  }
  return concatBytes(out, text.slice(at));
}

/**
 * Nix's own error text: from the first `error:` line, without the prefix and
 * the trace's positions in our file. Without one, what failed and how: a Nix
 * killed (out of memory) or misconfigured says nothing, and the command, its
 * exit code or signal are all there is to go on.
 */
export function nixMessage(r: RunResult, program: string, args: readonly string[]): string {
  const lines = r.stderr.split('\n');
  const start = lines.findIndex((l) => l.startsWith('error:'));
  if (start < 0) {
    const command = [program, ...args].join(' ');
    const shown = command.length > 300 ? `${command.slice(0, 300)}…` : command;
    const how = r.signal ? `was killed by signal ${r.signal}` : `exited with code ${r.exitCode}`;
    const said = r.stderr.trim();
    return said ? `${said}\n(${shown} ${how})` : `${shown} ${how} without a message`;
  }
  const body: string[] = [];
  for (const l of lines.slice(start)) {
    if (/^\s+at .*:\d+:\d+:$/.test(l) || /^\s+\u2026 /.test(l)) break;
    body.push(l);
  }
  return body.join('\n').replace(/^error: /, '').trim();
}

/** The store paths nix-store prints, one a line. */
function storePathLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('/'));
}

/** The builder's own output in nix-store's stderr: the last lines before the error. */
function buildLog(stderr: string): string[] {
  const lines = stderr.split('\n');
  const end = lines.findIndex((l) => l.startsWith('error:'));
  return lines.slice(0, end < 0 ? lines.length : end)
    .filter((l) => l.trim() !== '' && !/^(warning:|these |this |building '|  \/nix\/store\/)/.test(l))
    .slice(-10);
}
