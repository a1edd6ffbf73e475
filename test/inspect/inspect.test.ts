/**
 * inspect on images built here with the real mksquashfs: a good one, then one
 * broken thing at a time, asserting the exact line a user reads.
 */
import { inspectExitCode, inspectImage, inspectReportToJSON, renderInspect, type InspectReport } from '../../src/inspect/index.js';
import { NixError } from '../../src/eval/errors.js';
import { elf, glibc, goodTree, hashB, hashC, hello, ImageFactory, loader, type Tree } from './imageFixture.js';

const images = new ImageFactory();
afterAll(() => images.cleanup());

async function inspect(fileName: string, change: (t: Tree) => void = () => {}): Promise<InspectReport> {
  const tree = goodTree();
  change(tree);
  return inspectImage(await images.make(fileName, tree));
}

/** The check lines of the text form, without colour. */
function checkLines(report: InspectReport): string[] {
  const text = renderInspect(report, { color: false });
  return text.slice(text.indexOf('\nChecks\n') + 8).trimEnd().split('\n').map((l) => l.trim());
}

const unitPath = '/etc/systemd/system/demo.service';

describe('a good image', () => {
  let report: InspectReport;
  beforeAll(async () => {
    report = await inspect('demo_1.0.raw');
  });

  test('passes every check', () => {
    expect(report.findings).toEqual([]);
    expect(inspectExitCode(report)).toBe(0);
    expect(checkLines(report)).toEqual(["ok: the image follows systemd's rules for portable services, and its programs can start inside it"]);
  });

  test('reads the superblock', () => {
    expect(report.superblock.compression).toBe('gzip');
    expect(report.superblock.blockSize).toBe(131072);
    expect(report.superblock.creationTime).toBe(0);
  });

  test('reads os-release, units, symlinks and store paths', () => {
    expect(report.osRelease).toEqual({ path: '/etc/os-release', text: goodTree()['etc/os-release'] });
    expect(report.units).toHaveLength(1);
    expect(report.units[0]).toMatchObject({ name: 'demo.service', path: unitPath });
    expect(report.units[0]!.commands).toEqual([{ directive: 'ExecStart', line: 4, prefixes: '', program: `${hello}/bin/hello` }]);
    expect(report.symlinks).toEqual([{ path: '/etc/ssl/certs/ca.crt', target: `${hello}/share/ca.crt` }]);
    const sizes = [`#!${hello}/bin/sh\necho hello\n`, elf.shell(), 'certificate\n'].reduce((n, s) => n + s.length, 0);
    expect(report.storePaths).toEqual([{ path: hello, size: sizes }, { path: glibc, size: elf.loader().length + elf.libc().length }]);
  });

  test('prints the facts and round-trips as JSON', () => {
    const text = renderInspect(report, { color: false });
    expect(text).toContain('Superblock compression gzip, block size 131072 (128.0 KiB), created 1970-01-01T00:00:00.000Z');
    expect(text).toContain(`  ${unitPath}\n    4: ExecStart=${hello}/bin/hello\n`);
    expect(text).toContain(`/etc/ssl/certs/ca.crt -> ${hello}/share/ca.crt`);
    expect(JSON.parse(inspectReportToJSON(report))).toEqual(JSON.parse(JSON.stringify(report)));
  });
});

describe('unit programs', () => {
  test('a missing ExecStart program', async () => {
    const r = await inspect('demo_1.0.raw', (t) => {
      t['etc/systemd/system/demo.service'] = `[Service]\nExecStartPre=-${hello}/bin/sh\nExecStart=${hello}/bin/nothere\n`;
    });
    expect(checkLines(r)).toEqual([`error: ${unitPath}:3: ExecStart= program '${hello}/bin/nothere' does not exist in the image [exec-missing]`]);
    expect(r.findings[0]).toMatchObject({ severity: 'error', code: 'exec-missing', unit: 'demo.service', line: 3 });
    expect(inspectExitCode(r)).toBe(1);
  });

  test('a missing directory on the way is named', async () => {
    const r = await inspect('demo_1.0.raw', (t) => {
      t['etc/systemd/system/demo.service'] = `[Service]\nExecReload=${hello}/sbin/reload\n`;
    });
    expect(checkLines(r)).toEqual([`error: ${unitPath}:2: ExecReload= program '${hello}/sbin/reload' does not exist in the image (${hello}/sbin is missing) [exec-missing]`]);
  });

  test('a program that is not executable', async () => {
    const r = await inspect('demo_1.0.raw', (t) => {
      t['etc/systemd/system/demo.service'] = `[Service]\nExecStop=${hello}/share/ca.crt\n`;
    });
    expect(checkLines(r)).toEqual([`error: ${unitPath}:2: ExecStop= program '${hello}/share/ca.crt' is not executable: ${hello}/share/ca.crt has mode 0444, no execute bit [exec-not-executable]`]);
  });

  test('a directory is not executable', async () => {
    const r = await inspect('demo_1.0.raw', (t) => {
      t['etc/systemd/system/demo.service'] = `[Service]\nExecStart=${hello}/bin\n`;
    });
    expect(r.findings.map((f) => f.message)).toEqual([`ExecStart= program '${hello}/bin' is not executable: ${hello}/bin is a directory`]);
  });

  test('ExecStart through a symlink that leads nowhere', async () => {
    const gone = `/nix/store/${hashB}-gone`;
    const r = await inspect('demo_1.0.raw', (t) => {
      t['bin/demo'] = { symlink: `${gone}/bin/demo` };
      t['etc/systemd/system/demo.service'] = '[Service]\nExecStart=/bin/demo\n';
    });
    expect(checkLines(r)).toEqual([
      `error: ${unitPath}:2: ExecStart= program '/bin/demo' is a dangling symlink: ${gone} is not in the image (through /bin/demo -> ${gone}/bin/demo) [exec-dangling-symlink]`,
      `error: ${gone} is referred to by /bin/demo but is not in the image [store-path-missing]`,
    ]);
  });

  test('relative and absolute symlinks resolve inside the image, never on the host', async () => {
    const r = await inspect('demo_1.0.raw', (t) => {
      t['bin/demo'] = { symlink: `${hello}/libexec/run` };
      t[`${hello.slice(1)}/libexec/run`] = { symlink: '../bin/../bin/hello' };
      // /bin/sh exists on the host, not in the image.
      t['bin/host'] = { symlink: '/bin/sh' };
      t['etc/systemd/system/demo.service'] = '[Service]\nExecStart=/bin/demo\nExecStartPost=/bin/host\n';
    });
    expect(r.findings.map((f) => [f.code, f.line])).toEqual([['exec-dangling-symlink', 3]]);
    expect(r.findings[0]!.message).toBe("ExecStartPost= program '/bin/host' is a dangling symlink: /bin/sh is not in the image (through /bin/host -> /bin/sh)");
  });

  test('a symlink loop', async () => {
    const r = await inspect('demo_1.0.raw', (t) => {
      t['bin/a'] = { symlink: 'b' };
      t['bin/b'] = { symlink: '/bin/a' };
      t['etc/systemd/system/demo.service'] = '[Service]\nExecStart=/bin/a\n';
    });
    expect(r.findings.map((f) => f.code)).toEqual(['exec-symlink-loop']);
  });

  test('prefixes, quotes, continuations and bare names', async () => {
    const r = await inspect('demo_1.0.raw', (t) => {
      t['usr/bin/tool'] = { symlink: `${hello}/bin/hello` };
      t['etc/systemd/system/demo.service'] = [
        '[Service]',
        '# ExecStart=/commented/out',
        `ExecStartPre=-@+${hello}/bin/sh argv0`,
        `ExecStartPre=!!"${hello}/bin/hello" "a b"`,
        'ExecStart=',
        'ExecStart=:tool \\',
        '  --flag',
        'ExecStop=missing-tool',
        'ExecStopPost=%h/bin/x',
        '',
      ].join('\n');
    });
    expect(r.units[0]!.commands.map((c) => [c.directive, c.line, c.prefixes, c.program])).toEqual([
      ['ExecStartPre', 3, '-@+', `${hello}/bin/sh`],
      ['ExecStartPre', 4, '!!', `${hello}/bin/hello`],
      ['ExecStart', 6, ':', 'tool'],
      ['ExecStop', 8, '', 'missing-tool'],
      ['ExecStopPost', 9, '', '%h/bin/x'],
    ]);
    expect(checkLines(r)).toEqual([
      `error: ${unitPath}:8: ExecStop= program 'missing-tool' is not in the image: systemd looks for a bare name in /usr/local/sbin, /usr/local/bin, /usr/sbin, /usr/bin, /sbin, /bin [exec-missing]`,
      `info: ${unitPath}:9: ExecStopPost= program '%h/bin/x' contains a specifier (%...) that is only known when the unit runs; not checked [exec-unchecked]`,
    ]);
    expect(inspectExitCode(r)).toBe(1);
  });

  test('units under /usr/lib/systemd/system and unit symlinks are read', async () => {
    const r = await inspect('demo_1.0.raw', (t) => {
      t[`${hello.slice(1)}/lib/demo-extra.service`] = `[Service]\nExecStart=${hello}/bin/gone\n`;
      t['usr/lib/systemd/system/demo-extra.service'] = { symlink: `../../../..${hello}/lib/demo-extra.service` };
    });
    const extra = r.units.find((u) => u.name === 'demo-extra.service')!;
    expect(extra.target).toBe(`${hello}/lib/demo-extra.service`);
    expect(checkLines(r)).toEqual([`error: /usr/lib/systemd/system/demo-extra.service:2: ExecStart= program '${hello}/bin/gone' does not exist in the image [exec-missing]`]);
  });
});

describe("systemd's image rules", () => {
  test('a unit file that leads nowhere in the image', async () => {
    const r = await inspect('demo_1.0.raw', (t) => {
      t['etc/systemd/system/demo-masked.service'] = { symlink: '/dev/null' };
    });
    expect(checkLines(r)).toEqual([
      'error: /etc/systemd/system/demo-masked.service: unit file /etc/systemd/system/demo-masked.service does not lead to a file inside the image [unit-unreadable]',
    ]);
  });

  test('a unit with the wrong prefix', async () => {
    const r = await inspect('demo_1.0.raw', (t) => {
      t['etc/systemd/system/other.service'] = t['etc/systemd/system/demo.service']!;
      delete t['etc/systemd/system/demo.service'];
    });
    expect(checkLines(r)).toEqual([
      "error: /etc/systemd/system/other.service: unit 'other.service' does not match the image's prefix 'demo' (the file name up to its first '_'): portablectl attaches only units named 'demo' followed by '.', '-' or '@' [unit-prefix]",
      `error: no unit matches the image's prefix 'demo': portablectl attach fails with "Couldn't find any matching unit files in image" [no-matching-unit]`,
    ]);
  });

  test('a _ in pname cuts the prefix', async () => {
    const r = await inspect('my_app_1.0.raw', (t) => {
      t['etc/systemd/system/my_app.service'] = t['etc/systemd/system/demo.service']!;
      delete t['etc/systemd/system/demo.service'];
    });
    expect(r.findings.map((f) => f.code)).toEqual(['unit-prefix', 'no-matching-unit']);
    expect(r.findings[0]!.message).toBe("unit 'my_app.service' does not match the image's prefix 'my' (the file name up to its first '_'): portablectl attaches only units named 'my' followed by '.', '-' or '@'");
  });

  test('prefix followed by - or @ matches; other suffixes do not', async () => {
    const r = await inspect('demo_1.0.raw', (t) => {
      t['etc/systemd/system/demo-web.socket'] = '[Socket]\nListenStream=80\n';
      t['etc/systemd/system/demo@.service'] = '[Service]\n';
      t['etc/systemd/system/demo.mount'] = '[Mount]\n';
      t['etc/systemd/system/demox.service'] = '[Service]\n';
    });
    expect(r.findings.map((f) => `${f.code} ${f.unit}`)).toEqual(['unit-suffix demo.mount', 'unit-prefix demox.service']);
  });

  test('a file name without .raw', async () => {
    const r = await inspect('demo_1.0.img');
    expect(checkLines(r)).toEqual(["error: image file 'demo_1.0.img' does not end in '.raw': portablectl only attaches raw images named '<prefix>_<version>.raw' [image-name]"]);
  });

  test('no os-release', async () => {
    const r = await inspect('demo_1.0.raw', (t) => {
      delete t['etc/os-release'];
    });
    expect(r.osRelease).toBeUndefined();
    expect(checkLines(r)).toEqual(['error: no os-release in /etc/os-release or /usr/lib/os-release: portablectl refuses an image that "lacks os-release data" [no-os-release]']);
  });

  test('os-release in /usr/lib, reached through a symlink', async () => {
    const r = await inspect('demo_1.0.raw', (t) => {
      t['usr/lib/os-release'] = 'ID="debian"\n';
      t['etc/os-release'] = { symlink: '../usr/lib/os-release' };
    });
    expect(r.findings).toEqual([]);
    expect(r.osRelease).toEqual({ path: '/etc/os-release', text: 'ID="debian"\n' });
  });

  test('os-release without ID=', async () => {
    const r = await inspect('demo_1.0.raw', (t) => {
      t['etc/os-release'] = 'PORTABLE_ID=demo\nPRETTY_NAME=NixOS\n';
    });
    expect(checkLines(r)).toEqual(["error: /etc/os-release has no ID= line: portable services need it to identify the image's OS [os-release-no-id]"]);
  });

  test('missing mount points and files', async () => {
    const r = await inspect('demo_1.0.raw', (t) => {
      delete t.proc;
      delete t['var/tmp'];
      t.tmp = 'a file\n';
      delete t['etc/machine-id'];
    });
    expect(checkLines(r)).toEqual([
      'error: the image has no /proc directory: systemd mounts over it, and a read-only image cannot create it [missing-mount-point]',
      'error: /tmp in the image is not a directory: systemd mounts a directory over it [missing-mount-point]',
      'error: the image has no /var/tmp directory: systemd mounts over it, and a read-only image cannot create it [missing-mount-point]',
      'error: the image has no /etc/machine-id: systemd mounts the host\'s file over it (an empty file is fine) [missing-mount-file]',
    ]);
  });
});

describe('the closure', () => {
  test('a store path referred to by a file but missing from the image', async () => {
    const lib = `/nix/store/${hashC}-libfoo-1.0`;
    const r = await inspect('demo_1.0.raw', (t) => {
      t[`${hello.slice(1)}/bin/hello`] = { text: `#!/bin/sh\nexec ${lib}/bin/foo "$@"\n`, mode: 0o555 };
      t[`${hello.slice(1)}/share/doc`] = `see ${lib}/share/doc and ${hello}/share\n`;
    });
    expect(checkLines(r)).toEqual([
      `error: ${hello}/bin/hello is a script for /bin/sh, which is not in the image: /bin is missing (run by ExecStart= of demo.service) [script-interpreter-missing]`,
      `error: ${lib} is referred to by ${hello}/bin/hello, ${hello}/share/doc but is not in the image [store-path-missing]`,
    ]);
    expect(r.findings[1]).toMatchObject({ severity: 'error', code: 'store-path-missing' });
  });

  test('references split across the data stream are found', async () => {
    // Enough data before the reference that it lands past unsquashfs' first write.
    const lib = `/nix/store/${hashC}-big`;
    const r = await inspect('demo_1.0.raw', (t) => {
      for (let i = 0; i < 40; i++) t[`${hello.slice(1)}/data/f${i}`] = `${'x'.repeat(4093 + i)}${lib}\n`;
    });
    expect(r.findings.map((f) => f.code)).toEqual(['store-path-missing']);
    expect(r.findings[0]!.message).toContain('and 37 more but is not in the image');
  });
});

describe('not an image', () => {
  test('a file that is not squashfs gives a NixError', async () => {
    const { writeFile, mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'tsportable-inspect-bad-'));
    const file = join(dir, 'junk.raw');
    await writeFile(file, 'not squashfs at all\n'.repeat(100));
    const error = await inspectImage(file).then(() => undefined, (e: unknown) => e);
    await rm(dir, { recursive: true, force: true });
    expect(error).toBeInstanceOf(NixError);
    expect((error as NixError).message).toMatch(/^cannot read image '.*junk\.raw' \(unsquashfs -s exited with 1\)/);
  });
});
