/**
 * nixpkgs' portableService build, step by step, as its builder script does
 * it: one `cp -a` per closure path into `build/nix/store`, a scaffold made
 * with mkdir/touch/cp/ln and then made read-only the way Nix canonicalises a
 * store path, and `mksquashfs nix <scaffold>/* OUT` with nixpkgs' options in
 * nixpkgs' order. Written independently of src/image so that comparing the
 * two images tests tsportable's method rather than restating it.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { execa } from 'execa';

export interface NixpkgsImageArgs {
  readonly closure: readonly string[];
  readonly osRelease: string;
  readonly units: readonly { name: string; file: string }[];
  readonly symlinks: readonly { symlink: string; object: string }[];
  readonly compression: string;
  readonly blockSize: string;
}

/** Builds the image at `out`; `onCopied` sees the build directory once the closure is copied (the benchmark measures it). */
export async function buildLikeNixpkgs(args: NixpkgsImageArgs, out: string, onCopied?: (buildDir: string) => Promise<void>): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'tsportable-nixpkgs-method-'));
  try {
    const build = join(tmp, 'build');
    const scaffold = join(tmp, 'scaffold');
    await execa('mkdir', ['-p', join(build, 'nix', 'store')]);
    for (const p of args.closure) await execa('cp', ['-a', p, join(build, p.slice(1))]);

    const dirs = ['etc/systemd/system', 'proc', 'sys', 'dev', 'run', 'tmp', 'var/tmp', 'var/lib', 'var/cache', 'var/log'];
    await execa('mkdir', ['-p', ...dirs.map((d) => join(scaffold, d))]);
    await execa('touch', [join(scaffold, 'etc/resolv.conf'), join(scaffold, 'etc/machine-id')]);
    const osRelease = join(tmp, 'os-release');
    await writeFile(osRelease, args.osRelease);
    await execa('cp', [osRelease, join(scaffold, 'etc/os-release')]);
    for (const u of args.units) await execa('cp', [u.file, join(scaffold, 'etc/systemd/system', u.name)]);
    for (const s of args.symlinks) {
      const at = join(scaffold, s.symlink);
      await execa('mkdir', ['-p', dirname(at)]);
      await execa('ln', ['-s', s.object, at]);
    }
    // What Nix does to an output: read-only files (executable ones keep x), read-only directories.
    await execa('find', [scaffold, '-type', 'f', '-perm', '/111', '-exec', 'chmod', '555', '{}', '+']);
    await execa('find', [scaffold, '-type', 'f', '!', '-perm', '/111', '-exec', 'chmod', '444', '{}', '+']);
    await execa('find', [scaffold, '-type', 'd', '-exec', 'chmod', '555', '{}', '+']);

    await onCopied?.(build);
    const glob = (await readdir(scaffold)).sort().map((n) => join(scaffold, n));
    await execa('mksquashfs', [
      'nix', ...glob, out,
      '-quiet', '-noappend', '-exit-on-error', '-keep-as-directory', '-all-root', '-root-mode', '755',
      '-b', args.blockSize, '-comp', ...args.compression.split(/\s+/).filter(Boolean),
    ], { cwd: build, env: { SOURCE_DATE_EPOCH: '0' } });
  } finally {
    await execa('chmod', ['-R', 'u+w', tmp]);
    await rm(tmp, { recursive: true, force: true });
  }
}
