/**
 * Builds small portable-service images for tests with the real mksquashfs,
 * from a file tree written to a temp directory: the nixpkgs scaffold
 * (os-release, units, mount points, resolv.conf, machine-id) plus store
 * paths, with `SOURCE_DATE_EPOCH=0` and `-all-root` as nixpkgs builds them.
 * Each test starts from `goodTree()` and breaks one thing.
 */
import { execa } from 'execa';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A file (text, optional mode), a symlink, or a directory, by path relative to the image root. */
export type Node = string | { text: string; mode?: number } | { symlink: string } | { dir: true };
export type Tree = Record<string, Node>;

/** 32 characters of Nix's base-32 alphabet: valid store hashes built from it. */
export const hashA = '0123456789abcdfghijklmnpqrsvwxyz';
export const hashB = 'zyxwvsrqpnmlkjihgfdcba9876543210';
export const hashC = '11111111111111111111111111111111';
export const hello = `/nix/store/${hashA}-hello`;

export function goodTree(): Tree {
  return {
    'etc/os-release': 'BUILD_ID=rolling\nID=nixos\nPORTABLE_ID=demo\nPRETTY_NAME=NixOS\n',
    'etc/systemd/system/demo.service': `[Unit]\nDescription=demo\n[Service]\nExecStart=${hello}/bin/hello --greeting hi\n`,
    'etc/resolv.conf': '',
    'etc/machine-id': '',
    'etc/ssl/certs/ca.crt': { symlink: `${hello}/share/ca.crt` },
    proc: { dir: true }, sys: { dir: true }, dev: { dir: true }, run: { dir: true }, tmp: { dir: true },
    'var/tmp': { dir: true }, 'var/lib': { dir: true }, 'var/cache': { dir: true }, 'var/log': { dir: true },
    [`${hello.slice(1)}/bin/hello`]: { text: `#!${hello}/bin/sh\necho hello\n`, mode: 0o555 },
    [`${hello.slice(1)}/bin/sh`]: { text: 'not really a shell\n', mode: 0o555 },
    [`${hello.slice(1)}/share/ca.crt`]: { text: 'certificate\n', mode: 0o444 },
  };
}

export class ImageFactory {
  private dir: string | undefined;
  private count = 0;

  async make(fileName: string, tree: Tree): Promise<string> {
    this.dir ??= await mkdtemp(join(tmpdir(), 'tsportable-inspect-test-'));
    const root = join(this.dir, `root${this.count++}`);
    await mkdir(root);
    for (const [path, node] of Object.entries(tree)) {
      const target = join(root, path);
      await mkdir(dirname(target), { recursive: true });
      if (typeof node === 'string') await writeFile(target, node);
      else if ('dir' in node) await mkdir(target, { recursive: true });
      else if ('symlink' in node) await symlink(node.symlink, target);
      else {
        await writeFile(target, node.text);
        if (node.mode !== undefined) await chmod(target, node.mode);
      }
    }
    const out = join(this.dir, `${this.count}`, fileName);
    await mkdir(dirname(out), { recursive: true });
    await execa('mksquashfs', [root, out, '-quiet', '-noappend', '-exit-on-error', '-all-root', '-root-mode', '755', '-b', '128K', '-comp', 'gzip'], {
      env: { SOURCE_DATE_EPOCH: '0' },
    });
    return out;
  }

  async cleanup(): Promise<void> {
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}
