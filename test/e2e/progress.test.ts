/**
 * What a build prints on stderr while it runs, through the real CLI, Nix and
 * mksquashfs. Off a terminal (a CI log): the steps as plain lines in the
 * order they happen, tsportable's own before Nix's, Nix's `building '...'`
 * and the builder's output between them, nothing redrawn. On a terminal
 * (a pseudo-terminal made by `script`): the same lines, and a status line
 * redrawn in place with Nix's builds and mksquashfs's percentage, cleared at
 * the end. The image is big enough (12 MiB of random bytes, which xz cannot
 * shrink) for mksquashfs to report several steps; the unit is new on every
 * run (a nonce), so Nix really builds it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { cliPath, shellWord, tsportable, useWorkspace } from './cli.js';

const ws = useWorkspace();

function imageFile(nonce: string): string {
  return `{ pkgs ? import <nixpkgs> { } }:
pkgs.portableService {
  pname = "progress";
  version = "1.0";
  units = [
    (derivation {
      name = "progress.service";
      system = builtins.currentSystem;
      builder = "/bin/sh";
      nonce = "${nonce}";
      args = [ "-c" "echo the unit builder runs; /bin/sleep 1; echo '[Service]' > $out" ];
    })
  ];
  # The same store path on every run: built once, then only mksquashfs has work.
  contents = [
    (derivation {
      name = "progress-blob";
      system = builtins.currentSystem;
      builder = "/bin/sh";
      args = [ "-c" "/bin/mkdir $out; for i in 1 2 3 4 5 6 7 8 9 10 11 12; do /usr/bin/head -c 1048576 /dev/urandom > $out/part-$i; done" ];
    })
  ];
}
`;
}

/** Indices of `needles` in `lines`, each the first line matching it after the one before. */
function inOrder(lines: readonly string[], needles: readonly RegExp[]): number[] {
  const found: number[] = [];
  let from = 0;
  for (const n of needles) {
    const at = lines.findIndex((l, k) => k >= from && n.test(l));
    found.push(at);
    if (at >= 0) from = at + 1;
  }
  return found;
}

/** The steps a build shows, in order. */
const steps = (cwd: string): RegExp[] => [
  /^realising the inputs of progress_1\.0\.raw$/,
  /^these \d+ derivations will be built:$|^this derivation will be built:$/,
  /^building '\/nix\/store\/[a-z0-9]{32}-progress\.service\.drv'\.\.\.$/,
  /^the unit builder runs$/,
  /^computing the closure$/,
  /^mksquashfs of \d+ store paths \(direct\)$/,
  new RegExp(`^linking ${cwd}/result$`),
];

async function project(name: string): Promise<{ cwd: string; cacheDir: string }> {
  const cwd = await ws.dir(name);
  await writeFile(join(cwd, 'default.nix'), imageFile(`${process.pid}-${Date.now()}-${name}`));
  return { cwd, cacheDir: await ws.dir(`${name}-cache`) };
}

test('off a terminal: the steps as lines, tsportable\'s before Nix\'s, no redraws, no GC-root warning', async () => {
  const { cwd, cacheDir } = await project('plain');
  const run = await tsportable(['build'], { cwd, cacheDir });
  expect(run.exitCode).toBe(0);
  const lines = run.stderr.split('\n');
  expect(inOrder(lines, steps(cwd))).not.toContain(-1);
  expect(run.stderr).not.toMatch(/--add-root/);
  expect(run.stderr).not.toMatch(/[\r\x1b]/);
  expect(run.stdout).toMatch(/^\/\S+\n$/);
});

test('on a terminal: the same lines, a status line redrawn with Nix\'s builds and mksquashfs\'s percentage, cleared at the end', async () => {
  const { cwd, cacheDir } = await project('terminal');
  const command = [process.execPath, cliPath, 'build'].map(shellWord).join(' ');
  const r = await execa('script', ['-qec', command, '/dev/null'], {
    cwd, reject: false, stdin: 'ignore',
    env: { TERM: 'xterm', NO_COLOR: '1', TSPORTABLE_CACHE_DIR: cacheDir },
  });
  expect(r.exitCode).toBe(0);
  const transcript = String(r.stdout);
  // The terminal's view: what stays on screen is what is left after each line's last redraw.
  const screenLines = transcript.split('\r\n').map((l) => l.split('\r\x1b[K').at(-1)!);
  expect(inOrder(screenLines, steps(cwd))).not.toContain(-1);
  expect(transcript).not.toMatch(/--add-root/);

  // Status lines: drawn with auto-wrap off, then taken away with a carriage return and erase-line.
  const statuses = [...transcript.matchAll(/\x1b\[\?7l(.*?)\x1b\[\?7h/g)].map((m) => m[1]!);
  expect(statuses.some((s) => /^building \d+\/\d+(, fetching \d+\/\d+)?(: .*)? \(\d+s\)$/.test(s))).toBe(true);
  const percents = new Set(statuses.flatMap((s) => /^mksquashfs: (\d+)% of [\d.]+ MiB \(\d+s\)$/.exec(s)?.[1] ?? []));
  expect(percents.size).toBeGreaterThanOrEqual(2);
  // Every status drawn is erased again: nothing of it stays on the screen.
  const lastStatus = transcript.lastIndexOf('\x1b[?7h');
  expect(transcript.slice(lastStatus + 5).startsWith('\r\x1b[K')).toBe(true);
  expect(screenLines.filter((l) => l.includes('\x1b[?7l'))).toEqual([]);
});
