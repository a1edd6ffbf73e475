/**
 * portableService as a plugin: the spec and the show plan of the nixpkgs
 * manual's demo (examples/demo), every validation and safety rule with its
 * message and span, and realisation into the image input with a stand-in
 * bridge (the real one is exercised end to end in portableServiceNix.test.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NixAttrs } from '../../src/eval/value/index.js';
import { lazy } from '../../src/eval/value/force.js';
import { callFunction } from '../../src/eval/value/call.js';
import { setHooks, resetHooks } from '../../src/eval/value/hooks.js';
import { planPortableService, realisePortableService, portableServiceSpecOf } from '../../src/builders/index.js';
import type { PortableServiceSpec } from '../../src/builders/portableService/spec.js';
import type { NixText } from '../../src/builders/types.js';
import { at, errorOf, evaluator, evalWithPkgs, specOf, testPkgs, testPreviewEnv } from './harness.js';

const demoDir = join(process.cwd(), 'test', 'builders', 'fixtures', 'demo');

function demoSpec(): PortableServiceSpec {
  const fn = evaluator.evalFile(join(demoDir, 'default.nix'));
  const v = evaluator.force(lazy(() => callFunction(fn, [new NixAttrs(new Map([['pkgs', testPkgs()]]))], undefined)));
  const spec = portableServiceSpecOf(v);
  expect(spec).toBeDefined();
  return spec!;
}

describe("the nixpkgs manual's demo", () => {
  test('spec', () => {
    const spec = demoSpec();
    expect(spec).toMatchObject({
      pname: 'demo', version: '1.0',
      description: { text: 'A demo "Portable Service" for a shell program built with nix', context: [] }, homepage: null,
      symlinks: [], contents: [], mksquashfs: { kind: 'default' }, compression: 'xz -Xdict-size 100%', blockSize: '1M',
    });
    expect(spec.units.map((u) => u.name.text)).toEqual(['demo.service', 'demo.socket']);
    expect(spec.units.map((u) => u.object.kind)).toEqual(['foreign', 'foreign']);
    expect(spec.spans.units?.line).toBe(28);
    expect(spec.spans.pname?.line).toBe(25);
  });

  test('show plan', () => {
    const plan = planPortableService(demoSpec(), testPreviewEnv);
    expect(plan.imageFileName).toBe('demo_1.0.raw');
    expect(plan.osRelease).toBe('BUILD_ID=rolling\nID=nixos\nPORTABLE_ID=demo\n'
      + 'PORTABLE_PRETTY_NAME=A demo "Portable Service" for a shell program built with nix\nPRETTY_NAME=NixOS\n');
    expect(plan.units).toEqual([
      {
        name: 'demo.service', source: 'pkgs.writeText',
        text: '[Unit]\nDescription=Greets whoever connects to the demo socket\n\n[Service]\n'
          + 'ExecStart=${pkgs.writeShellScriptBin (...)}/bin/demo-greeter\nStandardInput=socket\nStandardOutput=socket\nDynamicUser=yes\n',
        // The test stand-in records no span for a builder call, so the `units` argument
        // (the real bridge's, where the unit is made: portableServiceNix.test.ts).
        span: expect.objectContaining({ file: join(demoDir, 'default.nix'), line: 28 }),
      },
      {
        name: 'demo.socket', source: 'pkgs.concatText',
        text: '[Unit]\nDescription=The socket of the demo portable service\n\n[Socket]\nListenStream=127.0.0.1:8034\nAccept=no\n\n[Install]\nWantedBy=sockets.target\n',
        span: expect.objectContaining({ line: 28 }),
      },
    ]);
    expect(plan.mksquashfs).toEqual({
      compression: ['xz', '-Xdict-size', '100%'], blockSize: '1M',
      options: ['-noappend', '-exit-on-error', '-keep-as-directory', '-all-root', '-root-mode', '755', '-b', '1M', '-comp', 'xz', '-Xdict-size', '100%'],
    });
    expect(plan.warnings).toEqual([]);
    expect(plan.pnameSpan?.line).toBe(25);
  });
});

describe('plan warnings from the units\' builders', () => {
  test('a unit that is a directory, and a replaceVars the build would reject', () => {
    const dir = mkdtempSync(join(tmpdir(), 'h8-warn-'));
    writeFileSync(join(dir, 'svc-b.service'), 'A=@a@\n');
    const spec = specOf<PortableServiceSpec>(evalWithPkgs(call(
      '  units = [ (pkgs.writeShellScriptBin "svc-run" "x") (pkgs.replaceVars ./svc-b.service { b = "1"; }) ];'), dir));
    const plan = planPortableService(spec, testPreviewEnv);
    expect(plan.warnings.map((w) => [w.code, w.unit, w.message])).toEqual([
      ['unit-not-file', 'svc-run', "unit 'svc-run' is a directory (its file is at /bin/svc-run); nixpkgs copies each unit with cp, which fails on a directory"],
      ['builder-problem', 'svc-b.service', `replaceVars: @b@ does not occur in ${dir}/svc-b.service; the build fails (--replace-fail)`],
      ['builder-problem', 'svc-b.service', `replaceVars: @a@ is still in ${dir}/svc-b.service after substitution; nixpkgs' check fails the build`],
    ]);
    expect(plan.warnings.every((w) => w.severity === 'error' && w.span?.line === 6)).toBe(true);
  });

  test('replaceVars of a store object is named with the hash, as in nixpkgs, so it fails the prefix rule', () => {
    const e = errorOf(call('  units = [ (pkgs.replaceVars (pkgs.writeText "svc-b.service" "A=@a@") { a = "1"; }) ];'));
    expect(e.message).toBe('Unit names must be prefixed with the service name');
    expect(e.hints).toEqual(["'${hash}-svc-b.service' does not start with pname 'svc'"]);
  });

  test('a unit only Nix can build has no text, and says where it comes from', () => {
    const spec = specOf<PortableServiceSpec>(evalWithPkgs(call('  units = [ unit pkgs.hello ];')));
    const plan = planPortableService(spec, testPreviewEnv);
    expect(plan.units[1]).toEqual({ name: '${pkgs.hello.name}', source: 'built by Nix: pkgs.hello', span: expect.anything() });
  });
});

/** A portableService call with the given extra lines (each on its own line, from line 6). */
function call(lines: string): string {
  return `\nlet\n  unit = pkgs.writeText "svc.service" "[Service]\\n";\nin pkgs.portableService {\n  pname = "svc"; version = "1";\n${lines}\n}`;
}

describe('validation at the arguments\' spans', () => {
  test('missing and unexpected arguments', () => {
    expect(errorOf(call('')).message).toBe("portableService: called without required argument 'units'");
    const e = errorOf(call('  units = [ unit ];\n  unit = [ ];'));
    expect(e.message).toBe("portableService: called with unexpected argument 'unit'");
    expect(at(e)).toBe('7:3');
    expect(e.hints).toEqual(['Did you mean units?']);
  });

  test('wrong types', () => {
    const e = errorOf(call('  units = "svc.service";'));
    expect(e.message).toBe("portableService: argument 'units' must be a list of derivations, but found a string");
    expect(at(e)).toBe('6:3');
    const d = errorOf(call('  units = [ unit ];\n  description = 3;'));
    expect(d.message).toBe("portableService: argument 'description' must be a string or null, but found an integer");
    expect(at(d)).toBe('7:3');
    const s = errorOf(call('  units = [ unit ];\n  symlinks = [ { symlink = "/bin/sh"; } ];'));
    expect(s.message).toBe("portableService: called without required argument 'object' in element 1 of argument 'symlinks'");
  });

  test('a bare path as a unit gets a message that explains it', () => {
    const e = errorOf(call('  units = [ unit ./svc.service ];'));
    expect(e.message).toBe("portableService: element 2 of argument 'units' is the path /tmp/svc.service, but a unit must be a derivation "
      + "or a set with 'name' and 'outPath': nixpkgs installs each unit as etc/systemd/system/<unit.name>, and fails on a value without a name");
    expect(e.hints).toEqual(['wrap the file in a derivation, e.g. (pkgs.concatText "svc.service" [ ./svc.service ])']);
    expect(at(e)).toBe('6:3');
    const template = errorOf(call('  units = [ (./. + "/svc@.service") ];'));
    expect(template.hints).toEqual(['give the unit as a set, e.g. { name = "svc@.service"; outPath = pkgs.concatText "svc-at-.service" [ (./. + "/svc@.service") ]; }']);
  });

  test('a set with name and outPath is a unit; one without name is not', () => {
    const spec = specOf<PortableServiceSpec>(evalWithPkgs(call('  units = [ { name = "svc-x.service"; outPath = "${unit}"; } ];')));
    expect(spec.units[0].name.text).toBe('svc-x.service');
    expect(errorOf(call('  units = [ { outPath = "/nix/store/x"; } ];')).message)
      .toBe("portableService: argument 'units' must be a list of derivations, but element 1 is a set without a 'name' attribute");
  });

  test("nixpkgs' unit-name assertion, with its wording", () => {
    const e = errorOf(call('  units = [ unit (pkgs.writeText "other.service" "") ];'));
    expect(e.message).toBe('Unit names must be prefixed with the service name');
    expect(e.kind).toBe('throw');
    expect(e.hints).toEqual(["'other.service' does not start with pname 'svc'"]);
    expect(at(e)).toBe('6:3');
  });

  test('safety: unit names and symlink paths that would leave the image root', () => {
    const slash = errorOf(call('  units = [ { name = "svc/../../x"; outPath = "/nix/store/00000000000000000000000000000000-x"; } ];'));
    expect(slash.message).toBe("portableService: unit name 'svc/../../x' must not contain '/': units are installed as etc/systemd/system/<name>");
    expect(at(slash)).toBe('6:15'); // the unit's own name attribute
    // Relative to the image root, as nixpkgs' `$out/${symlink}` takes it.
    const rel = specOf<PortableServiceSpec>(evalWithPkgs(call('  units = [ unit ];\n  symlinks = [ { object = pkgs.bash; symlink = "bin/sh"; } ];')));
    expect(rel.symlinks[0]!.symlink).toBe('bin/sh');
    expect(planPortableService(rel, testPreviewEnv).symlinks[0]!.symlink).toBe('/bin/sh');
    const up = errorOf(call('  units = [ unit ];\n  symlinks = [\n    { object = pkgs.bash; symlink = "/bin/../../etc/x"; }\n  ];'));
    expect(up.message).toBe("portableService: symlink path '/bin/../../etc/x' goes above the image root with '..': it would be outside the image");
    expect(at(up)).toBe('8:27');
  });

  test('compression and block size must be plain words nixpkgs would not hand to a shell', () => {
    const c = errorOf(call('  units = [ unit ];\n  squash-compression = "xz $(reboot)";'));
    expect(c.message).toBe("portableService: compression word '$(reboot)' holds characters nixpkgs would hand to a shell; use plain words");
    expect(at(c)).toBe('7:3');
    const b = errorOf(call('  units = [ unit ];\n  squash-block-size = "3M";'));
    expect(b.message).toBe("portableService: block size '3M' must be a power of two between 4K and 1M");
    expect(at(b)).toBe('7:3');
  });

  test('pname and version become store path names', () => {
    const e = errorOf('\npkgs.portableService {\n  pname = "my svc";\n  version = "1";\n  units = [ ];\n}');
    expect(e.message).toMatch(/^portableService: pname 'my svc' contains ' ', which Nix does not allow/);
    expect(at(e)).toBe('3:3');
    const t = errorOf('pkgs.portableService { pname = "a"; version = 1; units = [ ]; }');
    expect(t.message).toBe("portableService: argument 'version' must be a string, but found an integer");
  });

  test('squashfsTools is the older name of squashfs-tools', () => {
    const spec = specOf<PortableServiceSpec>(evalWithPkgs(call('  units = [ unit ];\n  squashfsTools = pkgs.squashfsTools;')));
    expect(spec.mksquashfs.kind).toBe('package');
    expect(spec.spans.mksquashfs?.line).toBe(7);
    const e = errorOf(call('  units = [ unit ];\n  squashfs-tools = pkgs.squashfs-tools;\n  squashfsTools = pkgs.squashfsTools;'));
    expect(e.message).toBe("portableService: 'squashfs-tools' and 'squashfsTools' are the same argument; give only one");
    expect(at(e)).toBe('8:3');
  });
});

describe('realisation into the image input', () => {
  afterEach(() => resetHooks());

  test('every store path is resolved in one batch, local paths added to the store', async () => {
    const v = evalWithPkgs(call('  units = [ unit ];\n  homepage = "https://example.org";\n'
      + '  symlinks = [ { object = "${pkgs.bash}/bin/bash"; symlink = "/bin/sh"; } { object = ./local.conf; symlink = "/etc/local.conf"; } ];\n'
      + '  contents = [ pkgs.hello ];\n  squashfs-tools = pkgs.squashfs-tools;\n  squash-compression = "gzip";\n  squash-block-size = "128K";'));
    const spec = specOf<PortableServiceSpec>(v);
    const copied: string[] = [];
    setHooks({ copyPathToStore: (p) => { copied.push(p); return '/nix/store/cccccccccccccccccccccccccccccccc-local.conf'; } });
    const batches: NixText[][] = [];
    const input = await realisePortableService(spec, {
      async realiseStrings(texts) {
        batches.push([...texts]);
        return { texts: texts.map((t) => t.text.replace(/\/nix\/store\/0+(\d+)-/g, (_m, id: string) => `/nix/store/${'r'.repeat(31)}${id}-`)), contextPaths: texts.map(() => []) };
      },
    });
    expect(batches).toHaveLength(1);
    expect(copied).toEqual(['/tmp/local.conf']);
    expect(input).toMatchObject({
      pname: 'svc', version: '1', compression: 'gzip', blockSize: '128K',
      osRelease: 'BUILD_ID=rolling\nHOME_URL=https://example.org\nID=nixos\nPORTABLE_ID=svc\nPRETTY_NAME=NixOS\n',
    });
    expect(input.units).toEqual([{ name: 'svc.service', file: expect.stringMatching(/^\/nix\/store\/r{31}\d+-svc\.service$/) }]);
    expect(input.symlinks[0]).toEqual({ symlink: '/bin/sh', object: expect.stringMatching(/^\/nix\/store\/r{31}\d+-bash\/bin\/bash$/) });
    expect(input.symlinks[1]).toEqual({ symlink: '/etc/local.conf', object: '/nix/store/cccccccccccccccccccccccccccccccc-local.conf' });
    expect(input.contents).toEqual([expect.stringMatching(/-hello$/)]);
    expect(input.mksquashfs).toMatch(/^\/nix\/store\/r{31}\d+-squashfs-tools\/bin\/mksquashfs$/);
  });

  test('a unit name only Nix knows is checked once resolved', async () => {
    const spec = specOf<PortableServiceSpec>(evalWithPkgs(call('  units = [ pkgs.hello ];')));
    expect(spec.units[0].name.context.some((c) => c.startsWith('@'))).toBe(true);
    const bridge = {
      realiseStrings: async (texts: readonly NixText[]) => ({ texts: texts.map((t) => (t.text.endsWith('-name') ? 'hello-2.12' : t.text)), contextPaths: texts.map(() => []) }),
    };
    await expect(realisePortableService(spec, bridge)).rejects.toThrow('Unit names must be prefixed with the service name');
  });

  test('a package the description names is realised with the os-release text, and its paths go to the input', async () => {
    const spec = specOf<PortableServiceSpec>(evalWithPkgs(call('  units = [ unit ];\n  description = "${pkgs.hello} as a service";')));
    const helloPath = `/nix/store/${'h'.repeat(32)}-hello-2.12`;
    const batches: NixText[][] = [];
    const input = await realisePortableService(spec, {
      async realiseStrings(texts) {
        batches.push([...texts]);
        return { texts: texts.map((t) => t.text), contextPaths: texts.map((t) => (t.text.includes('PORTABLE_PRETTY_NAME=') ? [helloPath] : [])) };
      },
    });
    expect(batches).toHaveLength(1);
    const osRelease = batches[0]!.find((t) => t.text.includes('PORTABLE_PRETTY_NAME='))!;
    expect(osRelease.context.some((c) => c.startsWith('@'))).toBe(true);
    expect(input.osReleaseContext).toEqual([helloPath]);
  });
});
