/** What pure and restricted evaluation may read (src/eval/access.ts): Nix's allow list. */
import { PathAccess, ForbiddenPathError } from '../../src/eval/access.js';
import { evalSettings, resetEvalSettings } from '../../src/eval/settings.js';

afterEach(resetEvalSettings);

const access = new PathAccess(['/nix/store', '/srv/flake']);
const readable = (p: string) => {
  try {
    access.check(p, undefined);
    return true;
  } catch (e) {
    if (e instanceof ForbiddenPathError) return false;
    throw e;
  }
};

test('without pure-eval or restrict-eval everything is readable', () => {
  expect(readable('/etc/passwd')).toBe(true);
});

test('an allowed path, what is inside it, and its parents (to reach it) are readable; nothing else', () => {
  evalSettings.restrictEval = true;
  expect(['/srv/flake', '/srv/flake/a/b.nix', '/nix/store/x-y/z', '/srv', '/', '/srv/flake/../flake/f'].map(readable)).toEqual([true, true, true, true, true, true]);
  expect(['/srv/flakes', '/srv/other', '/etc/passwd', '/srv/flake/../other'].map(readable)).toEqual([false, false, false, false]);
});

test('the messages are Nix\'s, by setting', () => {
  evalSettings.restrictEval = true;
  expect(() => access.check('/etc/passwd', undefined)).toThrow("access to absolute path '/etc/passwd' is forbidden in restricted mode");
  evalSettings.pureEval = true;
  expect(() => access.check('/etc/passwd', undefined))
    .toThrow("access to absolute path '/etc/passwd' is forbidden in pure evaluation mode (use '--impure' to override)");
});
