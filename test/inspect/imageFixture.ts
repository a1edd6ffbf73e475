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
import { makeElf } from './elfWriter.js';

/** A file (text or bytes, optional mode), a symlink, or a directory, by path relative to the image root. */
export type Node = string | { text: string | Uint8Array; mode?: number } | { symlink: string } | { dir: true };
export type Tree = Record<string, Node>;

/** 32 characters of Nix's base-32 alphabet: valid store hashes built from it. */
export const hashA = '0123456789abcdfghijklmnpqrsvwxyz';
export const hashB = 'zyxwvsrqpnmlkjihgfdcba9876543210';
export const hashC = '11111111111111111111111111111111';
export const hashD = 'dddddddddddddddddddddddddddddddd';
export const hello = `/nix/store/${hashA}-hello`;
/** The loader and libc, as nixpkgs' glibc holds them. */
export const glibc = `/nix/store/${hashD}-glibc-2.40`;
export const loader = `${glibc}/lib/ld-linux-x86-64.so.2`;

/** ELF files of a closed little system: a shell linked against glibc, and glibc itself. */
export const elf = {
  shell: () => makeElf({ interpreter: loader, needed: ['libc.so.6'], runpath: `${glibc}/lib` }),
  loader: () => makeElf({ type: 'shared', soname: 'ld-linux-x86-64.so.2' }),
  libc: () => makeElf({ type: 'shared', soname: 'libc.so.6', needed: ['ld-linux-x86-64.so.2'] }),
};

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
    [`${hello.slice(1)}/bin/sh`]: { text: elf.shell(), mode: 0o555 },
    [`${hello.slice(1)}/share/ca.crt`]: { text: 'certificate\n', mode: 0o444 },
    [loader.slice(1)]: { text: elf.loader(), mode: 0o555 },
    [`${glibc.slice(1)}/lib/libc.so.6`]: { text: elf.libc(), mode: 0o555 },
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
