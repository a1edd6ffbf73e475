/**
 * bench/lib.ts on the lib-lazy fixture: it must say when it skips, and on a
 * checkout give Nix's and our times with their ratio, flag a suite that does
 * not pass, and count the lib files the laziness probe reads.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bench } from '../../bench/lib.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixture = path.join(root, 'test/fixtures/lib-lazy');
const envVar = 'TSPORTABLE_BENCH_NIXPKGS_LIB';

describe('bench/lib', () => {
  const saved = process.env[envVar];
  afterEach(() => {
    if (saved === undefined) delete process.env[envVar];
    else process.env[envVar] = saved;
  });

  test('without a checkout it reports one skipped row and why', async () => {
    delete process.env[envVar];
    const rows = await bench();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.name).toBe('nixpkgs lib: skipped');
    expect(rows[0]!.note).toContain(envVar);
  });

  test('on a checkout: both sides timed, a ratio, laziness counted', async () => {
    process.env[envVar] = fixture;
    const rows = await bench();
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get('lib/tests/misc.nix: nix-instantiate')!.value).toBeGreaterThan(0);
    const ours = byName.get('lib/tests/misc.nix: tsportable eval')!;
    expect(ours.value).toBeGreaterThan(0);
    expect(ours.note).toBeUndefined();
    expect(byName.get('lib/tests/misc.nix: tsportable evaluation only')!.value).toBeGreaterThan(0);
    expect(byName.get('lib/tests/misc.nix: tsportable eval, empty parse cache')!.value).toBeGreaterThan(0);
    expect(byName.get('lib/tests/misc.nix: ratio end to end')).toMatchObject({ unit: 'x nix', goal: 1.5 });
    expect(byName.get('lib files read: 3 functions')!.value).toBe(3);
    // Forcing every attribute reaches the fixture's unparsable file: Nix fails, which the rows say.
    expect(byName.get('every lib attribute forced: nix-instantiate')!.note).toMatch(/^Nix failed: syntax error/);
    expect(byName.has('every lib attribute forced: ratio end to end')).toBe(false);
  });
});
