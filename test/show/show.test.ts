/**
 * The show side: pre-build checks on plans (as the portableService builder
 * makes them), the text form, and the JSON form against docs/show.schema.json.
 */
import {
  checkExecPrograms, checkPlan, renderShow, showPlanToJSON, showPlanSchemaVersion, toPlanSpan, withChecks,
  type PlanSpan, type ShowPlan,
} from '../../src/show/index.js';
import { validatePlan } from './showSchema.js';

const file = '/home/u/demo/default.nix';
const span = (line: number, column: number, endColumn = column + 10): PlanSpan => ({ file, line, column, endLine: line, endColumn });
const helloStore = '/nix/store/0123456789abcdfghijklmnpqrsvwxyz-hello-2.12';

function demoPlan(change: Partial<ShowPlan> = {}): ShowPlan {
  const pname = change.pname ?? 'demo';
  return {
    schemaVersion: showPlanSchemaVersion,
    imageFileName: `${pname}_1.0.raw`,
    pname,
    version: '1.0',
    pnameSpan: span(4, 3),
    osRelease: `BUILD_ID=rolling\nID=nixos\nPORTABLE_ID=${pname}\nPRETTY_NAME=NixOS\n`,
    units: [
      {
        name: 'demo.service', source: 'pkgs.writeText', span: span(7, 5),
        text: '[Unit]\nDescription=demo\n\n[Service]\nExecStart=${pkgs.hello}/bin/hello -g hi\nExecReload=' + helloStore + '/bin/hello\n',
      },
      { name: 'demo.socket', source: 'built by Nix: pkgs.demoSocket', span: span(8, 5) },
    ],
    symlinks: [{ symlink: '/etc/ssl/certs/ca-certificates.crt', object: '${pkgs.cacert}/etc/ssl/certs/ca-bundle.crt', span: span(10, 7) }],
    contents: [{ description: 'pkgs.hello', span: span(12, 16) }],
    mksquashfs: {
      compression: ['xz', '-Xdict-size', '100%'],
      blockSize: '1M',
      options: ['-quiet', '-noappend', '-exit-on-error', '-keep-as-directory', '-all-root', '-root-mode', '755', '-b', '1M', '-comp', 'xz', '-Xdict-size', '100%'],
    },
    warnings: [],
    ...change,
  };
}

function warningLines(plan: ShowPlan): string[] {
  const text = renderShow(withChecks(plan), { color: false });
  const at = text.indexOf('\nWarnings (');
  return at < 0 ? [] : text.slice(at + 1).trimEnd().split('\n').slice(1).map((l) => l.trim());
}

describe('pre-build checks', () => {
  test('a good plan has no warnings', () => {
    expect(checkPlan(demoPlan())).toEqual([]);
    expect(renderShow(withChecks(demoPlan()), { color: false })).not.toContain('Warnings');
  });

  test('a _ in pname', () => {
    const plan = demoPlan({ pname: 'my_app', units: [{ name: 'my_app.service', source: 'pkgs.writeText', text: '[Service]\n', span: span(7, 5) }] });
    expect(warningLines(plan)).toEqual([
      `warning: ${file}:4:3: pname 'my_app' contains '_': portablectl cuts the image name 'my_app_<version>.raw' at the first '_', so its prefix is 'my' and units named 'my_app...' never match [pname-underscore]`,
    ]);
    expect(checkPlan(plan)[0]).toEqual({
      severity: 'warning', code: 'pname-underscore', span: span(4, 3),
      message: expect.stringContaining("pname 'my_app' contains '_'"),
    });
  });

  test('a unit with the wrong prefix, and one with a suffix portablectl ignores', () => {
    const plan = demoPlan({ units: [
      { name: 'other.service', source: 'pkgs.writeText', text: '[Service]\n', span: span(7, 5) },
      { name: 'demo.mount', source: 'built by Nix: pkgs.m', span: span(8, 5) },
    ] });
    expect(warningLines(plan)).toEqual([
      `warning: ${file}:7:5: other.service: unit 'other.service' does not match the image's prefix 'demo' (the file name up to its first '_'): portablectl attaches only units named 'demo' followed by '.', '-' or '@' [unit-prefix]`,
      `warning: ${file}:8:5: demo.mount: unit 'demo.mount' is not a .service, .socket, .target, .timer, .path unit: portablectl ignores it [unit-suffix]`,
      `warning: ${file}:4:3: no unit matches the image's prefix 'demo': portablectl attach fails with "Couldn't find any matching unit files in image" [no-matching-unit]`,
    ]);
  });

  test('os-release without ID=', () => {
    const plan = demoPlan({ osRelease: 'PORTABLE_ID=demo\n' });
    expect(checkPlan(plan).map((w) => [w.code, w.severity])).toEqual([['os-release-no-id', 'warning']]);
  });

  test('ExecStart programs in known texts must be store paths or image symlinks', () => {
    const text = [
      '[Service]',
      `ExecStartPre=-${helloStore}/bin/hello`,
      'ExecStart=/usr/bin/demo --serve',
      'ExecStartPost=/opt/tools/tool',
      'ExecReload=+"${pkgs.coreutils}/bin/kill" -HUP $MAINPID',
      'ExecStop=kill',
      'ExecStopPost=ls',
      'ExecCondition=%h/check',
      '',
    ].join('\n');
    const plan = demoPlan({
      units: [{ name: 'demo.service', source: 'pkgs.writeText', text, span: span(7, 5) }],
      symlinks: [
        { symlink: '/opt/tools/', object: '${pkgs.busybox}/bin' },
        { symlink: '/usr/bin/ls', object: '${pkgs.coreutils}/bin/ls' },
      ],
    });
    expect(checkExecPrograms(plan).map((w) => [w.code, w.unit, w.line, w.span?.line])).toEqual([
      ['exec-not-in-image', 'demo.service', 3, 7],
      ['exec-not-in-image', 'demo.service', 6, 7],
    ]);
    expect(warningLines(plan)).toEqual([
      `warning: ${file}:7:5: demo.service:3: ExecStart= program '/usr/bin/demo' is not a store path nor under one of the image's symlinks: the image holds only /nix/store and its scaffold [exec-not-in-image]`,
      `warning: ${file}:7:5: demo.service:6: ExecStop= program 'kill' is a bare name: systemd looks for it in /usr/local/sbin, /usr/local/bin, /usr/sbin, /usr/bin, /sbin, /bin, which the image has only where a symlink puts it [exec-not-in-image]`,
    ]);
  });

  test("the builder's own warnings come first", () => {
    const own = { severity: 'warning' as const, code: 'builder-note', message: 'a note', span: span(2, 1) };
    const plan = withChecks(demoPlan({ warnings: [own], osRelease: '' }));
    expect(plan.warnings.map((w) => w.code)).toEqual(['builder-note', 'os-release-no-id']);
  });
});

describe('text form', () => {
  test('prints every part of the plan', () => {
    const text = renderShow(withChecks(demoPlan({ closure: [{ path: helloStore, size: 2048 }, { path: '/nix/store/11111111111111111111111111111111-glibc', size: 30 * 1024 * 1024 }] })), { color: false });
    expect(text).toBe([
      'Image demo_1.0.raw',
      '',
      'os-release (/etc/os-release)',
      '  BUILD_ID=rolling',
      '  ID=nixos',
      '  PORTABLE_ID=demo',
      '  PRETTY_NAME=NixOS',
      '',
      'Units (2)',
      '  /etc/systemd/system/demo.service (pkgs.writeText)',
      '    [Unit]',
      '    Description=demo',
      '',
      '    [Service]',
      '    ExecStart=${pkgs.hello}/bin/hello -g hi',
      `    ExecReload=${helloStore}/bin/hello`,
      '  /etc/systemd/system/demo.socket (built by Nix: pkgs.demoSocket)',
      '',
      'Symlinks (1)',
      '  /etc/ssl/certs/ca-certificates.crt -> ${pkgs.cacert}/etc/ssl/certs/ca-bundle.crt',
      '',
      'Contents (1)',
      '  pkgs.hello',
      '',
      'mksquashfs -quiet -noappend -exit-on-error -keep-as-directory -all-root -root-mode 755 -b 1M -comp xz -Xdict-size 100%',
      '',
      'Closure (2, 30.0 MiB)',
      '   2.0 KiB  ' + helloStore,
      '  30.0 MiB  /nix/store/11111111111111111111111111111111-glibc',
      '',
    ].join('\n'));
  });
});

describe('JSON form', () => {
  test('a plan with every optional part validates against docs/show.schema.json', () => {
    const plan = withChecks(demoPlan({
      pname: 'my_app',
      units: [{ name: 'my_app.service', source: 'pkgs.writeText', text: '[Service]\nExecStart=/usr/bin/x\n', span: span(7, 5) }],
      closure: [{ path: helloStore, size: 1 }],
    }));
    expect(plan.warnings.length).toBeGreaterThan(1);
    const json: unknown = JSON.parse(showPlanToJSON(plan));
    expect(validatePlan(json)).toEqual([]);
    expect(json).toEqual(JSON.parse(JSON.stringify(plan)));
  });

  test('a minimal plan validates too', () => {
    const plan = demoPlan({ units: [], symlinks: [], contents: [] });
    const { pnameSpan: _ignored, ...minimal } = plan;
    expect(validatePlan(JSON.parse(showPlanToJSON(minimal as ShowPlan)))).toEqual([]);
  });

  test('the schema rejects what is not a plan', () => {
    const good = JSON.parse(showPlanToJSON(demoPlan())) as Record<string, unknown>;
    const { osRelease: _dropped, ...noOsRelease } = good;
    expect(validatePlan(noOsRelease)).toEqual(["must have required property 'osRelease'"]);
    expect(validatePlan({ ...good, extra: 1 })).toEqual(["must NOT have additional properties 'extra'"]);
    expect(validatePlan({ ...good, schemaVersion: 2 })).toEqual(['/schemaVersion must be equal to constant']);
    expect(validatePlan({ ...good, warnings: [{ severity: 'fatal', code: 'x', message: 'm', line: 0 }] })).toEqual([
      '/warnings/0/severity must be equal to one of the allowed values ["error","warning","info"]',
      '/warnings/0/line must be >= 1',
    ]);
    expect(validatePlan({ ...good, units: [{ name: 'a.service', source: 's', span: { file: 'f', line: 1.5, column: 1, endLine: 1, endColumn: 2 } }] }))
      .toEqual(['/units/0/span/line must be integer']);
  });

  test('toPlanSpan drops the source text', () => {
    const source = { path: file, text: 'let x = 1; in x\n' };
    expect(toPlanSpan({ source, line: 1, column: 5, endLine: 1, endColumn: 6 })).toEqual({ file, line: 1, column: 5, endLine: 1, endColumn: 6 });
  });
});
