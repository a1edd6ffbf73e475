/**
 * `--option NAME VALUE` and nix-build's build flags, for every command.
 *
 * A setting is either the evaluator's, which tsportable honours itself
 * (src/eval/settings.ts: `pure-eval`, `restrict-eval`, `abort-on-warn`,
 * `max-call-depth`, `allow-import-from-derivation`; and the parser's lints,
 * `trace-verbose`), or Nix's, which is passed as `--option NAME VALUE` to
 * every Nix process the bridge runs (substituters, builders, sandbox, ...).
 * `allow-import-from-derivation` is both: Nix evaluates nixpkgs' packages.
 * As with Nix's `--option`, a value the setting cannot take is a warning and
 * leaves the setting alone; names tsportable does not know are asked of
 * nix-instantiate once, which warns about the ones it does not know either.
 *
 * The build flags (`-j`, `--cores`, `--builders`, `-k`, `-K`, `-v`,
 * `--quiet`) are `nix-store --realise`'s own and are passed to it. `-L` is
 * `nix build`'s: nix-store has none, as a legacy command always prints build
 * logs, and so does `build`; `-L` and `-v` also show them where evaluation
 * builds something (import from derivation) off a terminal.
 */
import { diagnostics, DIAGNOSE_LEVELS, type DiagnoseLevel } from '../eval/diagnostics.js';
import { evalSettings, resetEvalSettings } from '../eval/settings.js';
import { LINT_NAMES, lintSettings, resetLints, type LintName } from '../eval/syntax/lint.js';
import { createNixRunner } from '../bridge/runner.js';
import { io } from './command.js';
import { optFlag, optString, optTuples, type OptionSpec, type ParsedArgs } from './options.js';

export const optionOption: OptionSpec = {
  long: '--option', values: ['NAME', 'VALUE'], repeatable: true,
  description: "Set Nix's setting NAME to VALUE (repeatable). pure-eval, restrict-eval, abort-on-warn, max-call-depth, "
    + 'allow-import-from-derivation, lint-* and trace-verbose are the evaluator\'s; the others go to the Nix processes.',
};

/** nix-build's flags for building, passed to `nix-store --realise`. */
export const buildFlagOptions: readonly OptionSpec[] = [
  { long: '--max-jobs', short: '-j', values: ['N'], description: 'Build at most N derivations at once (or auto).' },
  { long: '--cores', values: ['N'], description: 'Let each build use N cores (0: all).' },
  { long: '--builders', values: ['SPEC'], description: 'Remote builders for Nix to use (Nix\'s builders setting).' },
  { long: '--keep-going', short: '-k', description: 'Build what can be built when a build fails.' },
  { long: '--keep-failed', short: '-K', description: 'Keep the build directories of failed builds.' },
  { long: '--print-build-logs', short: '-L', description: 'As nix build -L: the build logs are shown on stderr (build shows them always).' },
  { long: '--verbose', short: '-v', repeatable: true, description: "More of Nix's output (repeatable); shows the build logs too." },
  { long: '--quiet', repeatable: true, description: "Less of Nix's output (repeatable)." },
];

/** What the Nix processes tsportable runs get from the command line. */
export interface NixInvocation {
  /** `--option NAME VALUE` for every Nix process. */
  readonly options: readonly (readonly [string, string])[];
  /** Extra arguments of `nix-store --realise`: the build flags. */
  readonly realiseArgs: readonly string[];
  /** Show Nix's build output on stderr even off a terminal (-L, -v). */
  readonly showBuildOutput: boolean;
}

export const noNixInvocation: NixInvocation = { options: [], realiseArgs: [], showBuildOutput: false };

/** A value a setting cannot take: Nix's message, shown as a warning. */
class InvalidValue extends Error {}

/** Nix's Boolean setting values. */
function parseBool(name: string, value: string): boolean {
  if (['true', 'yes', '1'].includes(value)) return true;
  if (['false', 'no', '0'].includes(value)) return false;
  throw new InvalidValue(`Boolean setting '${name}' has invalid value '${value}'`);
}

/** Nix's unsigned integer settings, with its K, M, G, T suffixes. */
function parseUnsigned(name: string, value: string): number {
  const m = /^(\d+)([KMGT]?)$/.exec(value);
  const n = m ? Number(m[1]) * 1024 ** ' KMGT'.indexOf(m[2] || ' ') : NaN;
  if (!Number.isSafeInteger(n) || n > 0xffffffff) throw new InvalidValue(`setting '${name}' has invalid value '${value}'`);
  return n;
}

/** Nix's lint levels. */
export function parseDiagnose(name: string, value: string): DiagnoseLevel {
  if ((DIAGNOSE_LEVELS as readonly string[]).includes(value)) return value as DiagnoseLevel;
  throw new InvalidValue(`option '${name}' has invalid value '${value}' (expected 'ignore', 'warn', or 'fatal')`);
}

/** The evaluator's settings: how each takes its value. */
const evaluatorSettings: Readonly<Record<string, (name: string, value: string) => void>> = {
  'pure-eval': (n, v) => { evalSettings.pureEval = parseBool(n, v); },
  'restrict-eval': (n, v) => { evalSettings.restrictEval = parseBool(n, v); },
  'abort-on-warn': (n, v) => { evalSettings.abortOnWarn = parseBool(n, v); },
  'max-call-depth': (n, v) => { evalSettings.maxCallDepth = parseUnsigned(n, v); },
  'allow-import-from-derivation': (n, v) => { evalSettings.allowImportFromDerivation = parseBool(n, v); },
  'trace-verbose': (n, v) => { diagnostics.traceVerbose = parseBool(n, v); },
  ...Object.fromEntries(LINT_NAMES.map((lint: LintName) => [lint, (n: string, v: string) => { lintSettings[lint] = parseDiagnose(n, v); }])),
};

/** Settings both tsportable and Nix must see. */
const sharedWithNix = new Set(['allow-import-from-derivation']);

/**
 * Applies the command line's `--option`s to the evaluator (from the defaults:
 * settings are process-wide) and returns what Nix's processes get.
 */
export function applyNixOptions(args: ParsedArgs): NixInvocation {
  resetEvalSettings();
  resetLints();
  diagnostics.traceVerbose = false;
  const forNix: [string, string][] = [];
  const unknownToUs: [string, string][] = [];
  for (const [name, value] of optTuples(args, 'option') as [string, string][]) {
    const apply = Object.hasOwn(evaluatorSettings, name) ? evaluatorSettings[name] : undefined;
    if (apply === undefined) {
      forNix.push([name, value]);
      unknownToUs.push([name, value]);
      continue;
    }
    try {
      apply(name, value);
      if (sharedWithNix.has(name)) forNix.push([name, value]);
    } catch (e) {
      if (!(e instanceof InvalidValue)) throw e;
      diagnostics.warn({ message: e.message, trace: [] });
    }
  }
  if (unknownToUs.length) askNix(unknownToUs);
  const repeat = (key: string, flag: string) => (args.options.get(key) ?? []).map(() => flag);
  const valued = (key: string, flag: string) => {
    const v = optString(args, key);
    return v === undefined ? [] : [flag, v];
  };
  const realiseArgs = [
    ...valued('max-jobs', '--max-jobs'),
    ...valued('cores', '--cores'),
    ...valued('builders', '--builders'),
    ...(optFlag(args, 'keep-going') ? ['--keep-going'] : []),
    ...(optFlag(args, 'keep-failed') ? ['--keep-failed'] : []),
    ...repeat('verbose', '-v'),
    ...repeat('quiet', '--quiet'),
  ];
  return { options: forNix, realiseArgs, showBuildOutput: optFlag(args, 'print-build-logs') || optFlag(args, 'verbose') };
}

/** The `--option` arguments of a Nix process. */
export function optionArgs(invocation: NixInvocation): string[] {
  return invocation.options.flatMap(([n, v]) => ['--option', n, v]);
}

/**
 * Settings tsportable does not know, given to nix-instantiate once: its
 * warnings ("unknown setting 'foo'", a value the setting cannot take) are
 * the user's to see, as nix-build would show them.
 */
function askNix(options: readonly (readonly [string, string])[]): void {
  // First on the command line: Nix 2.8 warns about unknown settings only then.
  const r = createNixRunner({}, optionArgs({ ...noNixInvocation, options })).run('nix-instantiate', ['--eval', '--expr', 'null']);
  const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning:'));
  if (warnings.length) io.stderr(warnings.join('\n') + '\n');
}
