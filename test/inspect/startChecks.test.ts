/**
 * inspect's checks that an image's programs can start, on images made for
 * the test with the real mksquashfs: ELF files written by elfWriter.ts (a
 * shell linked against a glibc in the store) and scripts. One thing is broken
 * at a time; the finding must name the file and what it lacks.
 */
import { inspectImage, type Finding, type InspectReport } from '../../src/inspect/index.js';
import { makeElf } from './elfWriter.js';
import { elf, glibc, goodTree, hashB, hashC, hello, ImageFactory, loader, type Tree } from './imageFixture.js';

const images = new ImageFactory();
afterAll(() => images.cleanup());

async function inspect(change: (t: Tree) => void = () => {}): Promise<InspectReport> {
  const tree = goodTree();
  change(tree);
  return inspectImage(await images.make('demo_1.0.raw', tree));
}

const summary = (fs: readonly Finding[]) => fs.map((f) => [f.severity, f.code, f.path, f.message]);
const shell = `${hello}/bin/sh`;
const unit = (exec: string) => `[Service]\nExecStart=${exec}\n`;
const tools = `/nix/store/${hashB}-tools`;

test('a correct image: no finding', async () => {
  expect((await inspect()).findings).toEqual([]);
});

describe('ELF programs', () => {
  test('a missing interpreter', async () => {
    const r = await inspect((t) => { delete t[loader.slice(1)]; });
    expect(summary(r.findings)).toEqual([['error', 'elf-interpreter-missing', shell,
      `${shell} needs the ELF interpreter ${loader}, which is not in the image (run by ${hello}/bin/hello's #!)`]]);
  });

  test('a missing library, with the RUNPATH searched', async () => {
    const r = await inspect((t) => { delete t[`${glibc.slice(1)}/lib/libc.so.6`]; });
    expect(summary(r.findings)).toEqual([['error', 'elf-library-missing', shell,
      `${shell} needs the library libc.so.6, which is not in its RUNPATH (${glibc}/lib) nor in the default library directories inside the image`]]);
  });

  test('a library needed by a library', async () => {
    const r = await inspect((t) => {
      t[`${hello.slice(1)}/bin/sh`] = { text: makeElf({ interpreter: loader, needed: ['libreadline.so.8', 'libc.so.6'], runpath: `${hello}/lib:${glibc}/lib` }), mode: 0o555 };
      t[`${hello.slice(1)}/lib/libreadline.so.8`] = { text: makeElf({ type: 'shared', needed: ['libtinfo.so.6', 'libc.so.6'], runpath: '$ORIGIN' }), mode: 0o555 };
    });
    expect(summary(r.findings)).toEqual([['error', 'elf-library-missing', `${hello}/lib/libreadline.so.8`,
      `${hello}/lib/libreadline.so.8 needs the library libtinfo.so.6, which is not in its RUNPATH ($ORIGIN) nor in the default library directories inside the image (loaded for ${shell})`]]);
  });

  test('$ORIGIN, an RPATH inherited from the program, multiarch default directories', async () => {
    const r = await inspect((t) => {
      t[`${hello.slice(1)}/bin/sh`] = { text: makeElf({ interpreter: loader, needed: ['libfoo.so.1', 'libbar.so.2', 'libbaz.so.3', 'libc.so.6'], rpath: `$ORIGIN/../lib:${glibc}/lib` }), mode: 0o555 };
      t[`${hello.slice(1)}/lib/libfoo.so.1`] = { text: makeElf({ type: 'shared' }), mode: 0o555 };
      // No search path of its own: found through the program's RPATH.
      t[`${hello.slice(1)}/lib/libbar.so.2`] = { text: makeElf({ type: 'shared', needed: ['libqux.so.4'] }), mode: 0o555 };
      t[`${hello.slice(1)}/lib/libqux.so.4`] = { text: makeElf({ type: 'shared' }), mode: 0o555 };
      t['usr/lib/x86_64-linux-gnu/libbaz.so.3'] = { text: makeElf({ type: 'shared' }), mode: 0o444 };
    });
    expect(r.findings).toEqual([]);
  });

  test('a library of another class is passed over, as the loader does', async () => {
    const r = await inspect((t) => {
      t[`${glibc.slice(1)}/lib/libc.so.6`] = { text: makeElf({ bits: 32, type: 'shared', soname: 'libc.so.6' }), mode: 0o555 };
    });
    expect(r.findings.map((f) => [f.code, f.path])).toEqual([['elf-library-missing', shell]]);
  });

  test('a library whose strings the stream did not keep is read whole', async () => {
    const r = await inspect((t) => {
      t[`${hello.slice(1)}/bin/sh`] = { text: makeElf({ interpreter: loader, needed: ['libgone.so.1', 'libc.so.6'], runpath: `${glibc}/lib`, stringsInCode: true }), mode: 0o555 };
    });
    expect(r.findings.map((f) => [f.code, f.path, f.message.split(',')[0]])).toEqual([['elf-library-missing', shell, `${shell} needs the library libgone.so.1`]]);
  });

  test('a file the kernel cannot run', async () => {
    const r = await inspect((t) => {
      t[`${hello.slice(1)}/bin/run`] = { text: 'echo no shebang\n', mode: 0o555 };
      t['etc/systemd/system/demo.service'] = unit(`${hello}/bin/run`);
    });
    expect(summary(r.findings)).toEqual([['error', 'exec-format', `${hello}/bin/run`,
      `${hello}/bin/run is neither an ELF program nor a script starting with #!: the kernel cannot run it (run by ExecStart= of demo.service)`]]);
  });

  test('a truncated ELF file is reported, not misread', async () => {
    const r = await inspect((t) => {
      t[`${hello.slice(1)}/bin/sh`] = { text: elf.shell().subarray(0, 40), mode: 0o555 };
    });
    expect(r.findings.map((f) => [f.severity, f.code, f.path])).toEqual([['warning', 'elf-unreadable', shell]]);
  });
});

describe('scripts', () => {
  test('a missing #! interpreter', async () => {
    const r = await inspect((t) => {
      t[`${hello.slice(1)}/bin/hello`] = { text: `#!${hello}/bin/bash -e\necho hello\n`, mode: 0o555 };
    });
    expect(summary(r.findings)).toEqual([['error', 'script-interpreter-missing', `${hello}/bin/hello`,
      `${hello}/bin/hello is a script for ${hello}/bin/bash, which is not in the image (run by ExecStart= of demo.service)`]]);
  });

  test('an interpreter that is not executable', async () => {
    const r = await inspect((t) => {
      t[`${hello.slice(1)}/bin/hello`] = { text: `#!${hello}/share/ca.crt\n`, mode: 0o555 };
    });
    expect(r.findings.map((f) => f.message)).toEqual([`${hello}/bin/hello is a script for ${hello}/share/ca.crt, which is not executable (run by ExecStart= of demo.service)`]);
  });

  test('#!/usr/bin/env finds its program in systemd\'s PATH inside the image, or says it cannot', async () => {
    const tree = (name: string) => (t: Tree) => {
      t['usr/bin/env'] = { symlink: shell };
      t['usr/bin/sh'] = { symlink: shell };
      t[`${hello.slice(1)}/bin/hello`] = { text: `#!/usr/bin/env ${name}\necho hi\n`, mode: 0o555 };
    };
    expect((await inspect(tree('sh'))).findings).toEqual([]);
    const r = await inspect(tree('python3'));
    expect(summary(r.findings)).toEqual([['warning', 'script-env-program-missing', `${hello}/bin/hello`,
      `${hello}/bin/hello runs 'python3' through /usr/bin/env, and no 'python3' is in /usr/local/sbin, /usr/local/bin, /usr/sbin, /usr/bin, /sbin, /bin inside the image (systemd's PATH) (run by ExecStart= of demo.service)`]]);
  });

  test('nested interpreters are followed: the interpreter\'s own interpreter must be there', async () => {
    const r = await inspect((t) => {
      t[`${hello.slice(1)}/bin/hello`] = { text: `#!${hello}/bin/wrapper\n`, mode: 0o555 };
      t[`${hello.slice(1)}/bin/wrapper`] = { text: `#!${tools}/bin/sh\n`, mode: 0o555 };
    });
    expect(r.findings.map((f) => [f.code, f.path])).toEqual([
      ['script-interpreter-missing', `${hello}/bin/wrapper`],
      ['store-path-missing', tools],
    ]);
  });
});

describe('what else leads to programs', () => {
  test('a symlink at the image root that points at nothing; one into a mount point is fine', async () => {
    const r = await inspect((t) => {
      t['etc/ssl/certs/ca.crt'] = { symlink: `${hello}/share/nothere.crt` };
      t['etc/resolv.conf'] = { symlink: '/run/systemd/resolve/stub-resolv.conf' };
    });
    expect(summary(r.findings)).toEqual([['warning', 'dangling-symlink', '/etc/ssl/certs/ca.crt',
      `symlink /etc/ssl/certs/ca.crt -> ${hello}/share/nothere.crt points at nothing: ${hello}/share/nothere.crt is not in the image`]]);
  });

  test('programs a root symlink leads to are checked: a file, a directory\'s bin', async () => {
    const r = await inspect((t) => {
      t['bin/sh'] = { symlink: shell };
      t['opt/tools'] = { symlink: tools };
      t[`${tools.slice(1)}/bin/tool`] = { text: makeElf({ interpreter: '/lib64/ld-linux-x86-64.so.2' }), mode: 0o555 };
      delete t[loader.slice(1)];
    });
    expect(r.findings.map((f) => [f.code, f.path, f.message.slice(f.message.indexOf('(run by'))])).toEqual([
      ['elf-interpreter-missing', shell, `(run by ${hello}/bin/hello's #!)`],
      ['elf-interpreter-missing', `${tools}/bin/tool`, '(run by the symlink /opt/tools)'],
    ]);
  });

  test('programs of a store path nothing refers to (contents) are checked', async () => {
    const extra = `/nix/store/${hashC}-extra`;
    const r = await inspect((t) => {
      t[`${extra.slice(1)}/bin/extra`] = { text: makeElf({ interpreter: loader, needed: ['libextra.so.1'], runpath: `${extra}/lib` }), mode: 0o555 };
      t[`${extra.slice(1)}/share/data`] = { text: makeElf({ interpreter: loader, needed: ['libnothing.so'] }), mode: 0o555 };
    });
    expect(r.findings.map((f) => [f.code, f.path, f.message.slice(f.message.indexOf('library'))])).toEqual([
      ['elf-library-missing', `${extra}/bin/extra`, `library libextra.so.1, which is not in its RUNPATH (${extra}/lib) nor in the default library directories inside the image`],
    ]);
  });
});
