/** Reading unit files and systemd's naming rules, on text alone. */
import { imagePrefix, parseOsRelease, unitMatchesPrefix } from '../../src/inspect/rules.js';
import { parseCommand, parseUnit, unitCommands } from '../../src/inspect/unitFile.js';

test('sections, comments, continuations and line numbers', () => {
  const text = '; leading comment\n[Unit]\nDescription = a \\\n  long \\\n# interleaved comment\n  text\n\n[Service]\nType=simple\r\nExecStart=/x\n';
  expect(parseUnit(text)).toEqual([
    { section: 'Unit', key: 'Description', value: 'a  long  text', line: 3 },
    { section: 'Service', key: 'Type', value: 'simple', line: 9 },
    { section: 'Service', key: 'ExecStart', value: '/x', line: 10 },
  ]);
});

test('command prefixes and quoting', () => {
  expect(parseCommand('@-/bin/x argv0 y')).toEqual({ prefixes: '@-', program: '/bin/x' });
  expect(parseCommand('!!  /bin/y')).toEqual({ prefixes: '!!', program: '/bin/y' });
  expect(parseCommand(':+"/opt/my tool/run" a')).toEqual({ prefixes: ':+', program: '/opt/my tool/run' });
  expect(parseCommand("'/a\\'b'")).toEqual({ prefixes: '', program: "/a'b" });
  expect(parseCommand('')).toBeUndefined();
  expect(parseCommand('-')).toBeUndefined();
});

test('only command directives are commands; empty ones reset', () => {
  const text = '[Service]\nEnvironment=ExecStart=/no\nExecStart=\nExecStart=/yes\nExecStopPre=/a\nExecCondition=/b\n';
  expect(unitCommands(text).map((c) => `${c.directive}:${c.line}:${c.program}`)).toEqual(['ExecStart:4:/yes', 'ExecStopPre:5:/a', 'ExecCondition:6:/b']);
});

test("the image's prefix and unit matching", () => {
  expect(imagePrefix('/x/demo_1.0.raw')).toBe('demo');
  expect(imagePrefix('my_app_1.0.raw')).toBe('my');
  expect(imagePrefix('plain.raw')).toBe('plain');
  expect(unitMatchesPrefix('demo.service', 'demo')).toBe(true);
  expect(unitMatchesPrefix('demo-web.socket', 'demo')).toBe(true);
  expect(unitMatchesPrefix('demo@.service', 'demo')).toBe(true);
  expect(unitMatchesPrefix('demoX.service', 'demo')).toBe(false);
  expect(unitMatchesPrefix('demo_x.service', 'demo')).toBe(false);
  expect(unitMatchesPrefix('demo', 'demo')).toBe(false);
});

test('os-release values, quoted or not', () => {
  const fields = parseOsRelease('# c\nID=nixos\nNAME="Nix \\"OS\\""\nVERSION=\'1 2\'\nbad line\n');
  expect([...fields]).toEqual([['ID', 'nixos'], ['NAME', 'Nix "OS"'], ['VERSION', '1 2']]);
});
