/**
 * The cases of dependencies.test.ts, run in a plain Node process: there,
 * node:fs is what the evaluator's modules import (jest gives each test file
 * copies of the builtins, which a recording cannot watch). Prints, as JSON,
 * each case's name with what `unchanged` said before and after its change, or
 * what a recording ended as.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { dependsOnTheWorld, nixWillRead, startRecording, unchanged, type Dependencies } from '../../src/eval/dependencies.js';

const dir = process.argv[2]!;
let n = 0;
const results: Record<string, unknown> = {};

/** A fresh directory for one case. */
function fresh(): string {
  const d = join(dir, String(++n));
  fs.mkdirSync(d);
  return d;
}

/** The dependencies of running `body` while recording; fails if the recording became unknowable. */
function recorded(body: () => void, exclude: string[] = []): Dependencies {
  const recording = startRecording({ exclude, immutable: ['/nix/store/'] });
  try {
    body();
  } catch (e) {
    recording.finish();
    throw e;
  }
  const outcome = recording.finish();
  if ('unknowable' in outcome) throw new Error(`unexpectedly unknowable: ${outcome.unknowable}`);
  return outcome;
}

/** Records `ask`, then says whether the record holds before and after `change`. */
function before_after(name: string, ask: () => void, change: () => void, exclude?: string[]): void {
  const deps = recorded(ask, exclude);
  const kept = deps.files.length + deps.trees.length;
  const before = unchanged(deps);
  change();
  results[name] = { kept, before, after: unchanged(deps) };
}

const d = fresh();
const file = join(d, 'a.nix');
fs.writeFileSync(file, 'one');
before_after('read', () => fs.readFileSync(file), () => fs.writeFileSync(file, 'two'));
const older = join(d, 'old.nix');
fs.writeFileSync(older, 'same size: one');
fs.utimesSync(older, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
before_after('read of an old file (by identity)', () => fs.readFileSync(older), () => fs.writeFileSync(older, 'same size: two'));
before_after('read as text', () => fs.readFileSync(file, 'utf8'), () => fs.writeFileSync(file, 'three'));
before_after('stat of a missing file', () => fs.statSync(join(d, 'new.nix'), { throwIfNoEntry: false }), () => fs.writeFileSync(join(d, 'new.nix'), ''));
before_after('exists', () => fs.existsSync(join(d, 'other.nix')), () => fs.writeFileSync(join(d, 'other.nix'), ''));
before_after('lstat (file to symlink)', () => fs.lstatSync(join(d, 'other.nix')), () => {
  fs.rmSync(join(d, 'other.nix'));
  fs.symlinkSync('a.nix', join(d, 'other.nix'));
});
before_after('a stat that failed', () => {
  try {
    fs.statSync(join(d, 'sub'));
  } catch {
    // recorded as the error
  }
}, () => fs.mkdirSync(join(d, 'sub')));
before_after('directory listing', () => fs.readdirSync(d, { withFileTypes: true }), () => fs.writeFileSync(join(d, 'listed.nix'), ''));
before_after('executable bit', () => fs.statSync(file), () => fs.chmodSync(file, 0o755));
before_after('realpath', () => fs.realpathSync(join(d, 'other.nix')), () => {
  fs.rmSync(join(d, 'other.nix'));
  fs.symlinkSync('new.nix', join(d, 'other.nix'));
});

// Trees handed to Nix: an old file is fingerprinted by identity, a recent one (timestamps are coarse) by content.
const t = fresh();
fs.mkdirSync(join(t, 'pkgs'));
fs.writeFileSync(join(t, 'default.nix'), 'old');
fs.writeFileSync(join(t, 'pkgs', 'a.nix'), 'recent');
const old = new Date(Date.now() - 60_000);
fs.utimesSync(join(t, 'default.nix'), old, old);
before_after('tree: a recent file edited', () => nixWillRead(t), () => fs.writeFileSync(join(t, 'pkgs', 'a.nix'), 'RECENT'));
before_after('tree: an old file edited', () => nixWillRead(t), () => fs.writeFileSync(join(t, 'default.nix'), 'new'));
before_after('tree: an entry added', () => nixWillRead(t), () => fs.writeFileSync(join(t, 'pkgs', 'b.nix'), ''));
before_after('tree: a mode changed', () => nixWillRead(t), () => fs.chmodSync(join(t, 'pkgs'), 0o700));

// Excluded paths are not recorded; immutable ones by their presence only.
const e = fresh();
fs.writeFileSync(join(e, 'cached'), 'x');
const excluded = recorded(() => {
  fs.readFileSync(join(e, 'cached'));
  nixWillRead('/nix/store/00000000000000000000000000000000-absent');
}, [`${e}/`]);
results.excluded = { trees: excluded.trees.length, files: excluded.files.map((f) => [f.op, f.path]) };

// A question asked again with another answer during the recording; an unknowable step.
const x = join(fresh(), 'x');
fs.writeFileSync(x, 'before');
let recording = startRecording({ exclude: [], immutable: [] });
fs.readFileSync(x);
fs.writeFileSync(x, 'after');
fs.readFileSync(x);
results['changed while recorded'] = recording.finish();
dependsOnTheWorld('outside a recording');
recording = startRecording({ exclude: [], immutable: [] });
dependsOnTheWorld('builtins.currentTime');
results.unknowable = recording.finish();

process.stdout.write(JSON.stringify(results));
