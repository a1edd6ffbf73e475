import { applyNixOptions, buildFlagOptions, optionOption } from '../../src/cli/nixOptions.js';
import { parseArgs, type CommandSpec } from '../../src/cli/options.js';
import { io } from '../../src/cli/command.js';
import { diagnostics, type NixWarning } from '../../src/eval/diagnostics.js';
import { defaultEvalSettings, evalSettings, resetEvalSettings } from '../../src/eval/settings.js';
import { lintSettings, resetLints } from '../../src/eval/syntax/lint.js';

const spec: CommandSpec = { name: 'build', summary: 's', positional: '[FILE]', maxPositional: 1, description: '', options: [optionOption, ...buildFlagOptions] };

function applied(argv: string[]) {
  const warnings: NixWarning[] = [];
  const saved = { warn: diagnostics.warn, stderr: io.stderr };
  const relayed: string[] = [];
  diagnostics.warn = (w) => void warnings.push(w);
  io.stderr = (t) => void relayed.push(t);
  try {
    return { invocation: applyNixOptions(parseArgs(spec, argv)), warnings: warnings.map((w) => w.message), relayed: relayed.join('') };
  } finally {
    Object.assign(diagnostics, { warn: saved.warn });
    io.stderr = saved.stderr;
  }
}

afterEach(() => {
  resetEvalSettings();
  resetLints();
  diagnostics.traceVerbose = false;
});

test('the evaluator\'s settings are set with Nix\'s value syntax; the others go to Nix', () => {
  const { invocation, warnings, relayed } = applied([
    '--option', 'pure-eval', 'yes', '--option', 'max-call-depth', '2K', '--option', 'lint-url-literals', 'warn',
    '--option', 'trace-verbose', '1', '--option', 'substituters', '', '--option', 'allow-import-from-derivation', 'no',
  ]);
  expect({ warnings, relayed }).toEqual({ warnings: [], relayed: '' });
  expect(evalSettings).toEqual({ ...defaultEvalSettings, pureEval: true, maxCallDepth: 2048, allowImportFromDerivation: false });
  expect(lintSettings['lint-url-literals']).toBe('warn');
  expect(diagnostics.traceVerbose).toBe(true);
  // allow-import-from-derivation is both tsportable's and Nix's: Nix evaluates nixpkgs' packages.
  expect(invocation.options).toEqual([['substituters', ''], ['allow-import-from-derivation', 'no']]);
});

test('values a setting cannot take are Nix\'s warnings, and leave the setting alone', () => {
  const { warnings } = applied(['--option', 'abort-on-warn', 'sure', '--option', 'max-call-depth', '-1', '--option', 'lint-short-path-literals', 'loud']);
  expect(warnings).toEqual([
    "Boolean setting 'abort-on-warn' has invalid value 'sure'",
    "setting 'max-call-depth' has invalid value '-1'",
    "option 'lint-short-path-literals' has invalid value 'loud' (expected 'ignore', 'warn', or 'fatal')",
  ]);
  expect(evalSettings).toEqual(defaultEvalSettings);
});

test('each run starts from the defaults: settings are process-wide', () => {
  applied(['--option', 'restrict-eval', 'true']);
  expect(evalSettings.restrictEval).toBe(true);
  applied([]);
  expect(evalSettings.restrictEval).toBe(false);
});

test('build flags become nix-store --realise arguments; -L and -v show the build output', () => {
  const { invocation } = applied(['-j4', '--cores', '2', '--builders', 'ssh://b x86_64-linux', '-k', '-K', '-vvv', '--quiet']);
  expect(invocation.realiseArgs).toEqual(['--max-jobs', '4', '--cores', '2', '--builders', 'ssh://b x86_64-linux', '--keep-going', '--keep-failed', '-v', '-v', '-v', '--quiet']);
  expect(invocation.showBuildOutput).toBe(true);
  expect(applied(['-L']).invocation).toEqual({ options: [], realiseArgs: [], showBuildOutput: true });
  expect(applied([]).invocation.showBuildOutput).toBe(false);
});
