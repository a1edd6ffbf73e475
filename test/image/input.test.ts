/** Unit tests of the pure parts: os-release text, input checks, compression words, hash scanning. */
import { osReleaseText, placeSymlinks, validateImageInput, compressionWords, type ImageInput } from '../../src/image/index.js';
import { scanForHashes, scaffoldReferences, storePathOf } from '../../src/image/closure.js';

const h = (c: string) => c.repeat(32);
const valid: ImageInput = {
  pname: 'demo', version: '1.0', osRelease: 'ID=nixos\n',
  units: [{ name: 'demo.service', file: `/nix/store/${h('a')}-demo.service` }],
  symlinks: [{ symlink: '/usr/bin/sh', object: `/nix/store/${h('b')}-bash/bin/sh` }],
  contents: [`/nix/store/${h('c')}-extra`],
  compression: 'xz -Xdict-size 100%', blockSize: '1M', mksquashfs: 'mksquashfs',
};
const problems = (o: Partial<ImageInput>) => validateImageInput({ ...valid, ...o });

describe('osReleaseText', () => {
  test('nixpkgs\' text for a bare pname: sorted keys, nulls left out, a newline after each line', () => {
    expect(osReleaseText({ pname: 'demo' })).toBe('BUILD_ID=rolling\nID=nixos\nPORTABLE_ID=demo\nPRETTY_NAME=NixOS\n');
    expect(osReleaseText({ pname: 'demo', description: null, homepage: null })).toBe(osReleaseText({ pname: 'demo' }));
  });
  test('description and homepage land at their sorted places, unquoted', () => {
    expect(osReleaseText({ pname: 'web', description: 'My "web" server', homepage: 'https://x.org/a b' })).toBe(
      'BUILD_ID=rolling\nHOME_URL=https://x.org/a b\nID=nixos\nPORTABLE_ID=web\nPORTABLE_PRETTY_NAME=My "web" server\nPRETTY_NAME=NixOS\n');
  });
});

describe('validateImageInput', () => {
  test('accepts a well-formed input', () => {
    expect(validateImageInput(valid)).toEqual([]);
  });
  test.each([
    ['', /must not be empty/],
    ['a/b.service', /must not contain '\/'/],
    ['..', /would not be a file/],
  ])('unit name %p is refused', (name, message) => {
    const p = problems({ units: [valid.units[0], { name, file: valid.units[0].file }] });
    expect(p).toEqual([{ field: 'units', index: 1, message: expect.stringMatching(message) }]);
  });
  test.each([
    ['/usr/../../etc/passwd', /goes above the image root/],
    ['..', /goes above the image root/],
    ['/nix/store/x', /inside \/nix/],
    ['nix', /inside \/nix/],
    ['/etc/os-release', /already taken/],
    ['/etc/systemd/system/demo.service', /already taken/],
    ['/etc/os-release/x', /not a directory/],
    ['/etc/ssl/', /ends in '\/' but no directory is there/],
    ['/bin/my sh', /hand to a shell/],
    ['/bin/$x', /hand to a shell/],
  ])('symlink path %p is refused', (symlink, message) => {
    expect(problems({ symlinks: [{ symlink, object: valid.symlinks[0].object }] }))
      .toEqual([{ field: 'symlinks', index: 0, message: expect.stringMatching(message) }]);
  });
  // Where nixpkgs' `mkdir -p $(dirname $out/${symlink}); ln -s ${object} $out/${symlink}` puts the link.
  test.each([
    ['usr/bin/sh', [], 'usr/bin/sh'],
    ['/usr//bin/./sh', [], 'usr/bin/sh'],
    ['a/../b', ['a'], 'b'],
    ['/proc', [], 'proc/sh'],
    ['/', [], 'sh'],
    ['etc/', [], 'etc/sh'],
  ])('symlink path %p is placed as nixpkgs places it', (symlink, madeDirs, path) => {
    const [placed] = placeSymlinks({ units: valid.units, symlinks: [{ symlink, object: valid.symlinks[0].object }] });
    expect(placed).toEqual({ dirs: expect.arrayContaining(madeDirs as string[]), path, target: valid.symlinks[0].object });
    expect(problems({ symlinks: [{ symlink, object: valid.symlinks[0].object }] })).toEqual([]);
  });
  test('two symlinks at the same path, or one under another, are refused', () => {
    const object = valid.symlinks[0].object;
    expect(problems({ symlinks: [{ symlink: '/bin/sh', object }, { symlink: '/bin/sh', object }] })).toHaveLength(1);
    expect(problems({ symlinks: [{ symlink: '/bin', object }, { symlink: '/bin/sh', object }] }))
      .toEqual([{ field: 'symlinks', index: 1, message: expect.stringMatching(/itself one of the symlinks/) }]);
    expect(problems({ symlinks: [{ symlink: '/etc/ssl/certs/a', object }, { symlink: '/etc/ssl/certs/b', object }] })).toEqual([]);
  });
  test('unit files and contents must be in /nix/store', () => {
    // A symlink's target is only text; nixpkgs accepts one outside the store too.
    expect(problems({ symlinks: [{ symlink: '/bin/sh', object: '/usr/bin/dash' }] })).toEqual([]);
    expect(problems({ symlinks: [{ symlink: '/bin/sh', object: '' }] })[0]).toMatchObject({ field: 'symlinks', index: 0 });
    expect(problems({ contents: ['/tmp/x'] })).toEqual([{ field: 'contents', index: 0, message: expect.stringMatching(/not in/) }]);
    expect(problems({ units: [{ name: 'demo.service', file: '/etc/passwd' }] })[0].field).toBe('units');
  });
  test('pname and version cannot leave the result directory', () => {
    expect(problems({ pname: '../x' })[0]).toMatchObject({ field: 'pname' });
    expect(problems({ version: '1/2' })[0]).toMatchObject({ field: 'version' });
    expect(problems({ pname: '' })[0]).toMatchObject({ field: 'pname' });
    expect(problems({ pname: 'my service' })[0]).toMatchObject({ field: 'pname', message: expect.stringMatching(/store name/) });
    expect(problems({ pname: 'web-app.v2', version: '1.0+git=3' })).toEqual([]);
  });
  test('compression is plain words; anything a shell would interpret is refused', () => {
    expect(compressionWords(' xz\t-Xdict-size  100%\n')).toEqual(['xz', '-Xdict-size', '100%']);
    expect(problems({ compression: 'gzip -Xcompression-level 9' })).toEqual([]);
    expect(problems({ compression: 'xz; rm -rf /' })[0]).toMatchObject({ field: 'compression' });
    expect(problems({ compression: 'xz $(id)' })[0]).toMatchObject({ field: 'compression' });
    expect(problems({ compression: '  ' })[0]).toMatchObject({ field: 'compression' });
  });
  test.each([['1M', true], ['128K', true], ['4k', true], ['131072', true], ['3K', false], ['2M', false], ['1G', false], ['1M -foo', false]])(
    'block size %p accepted: %p', (blockSize, ok) => {
      expect(problems({ blockSize }).length === 0).toBe(ok);
    });
});

describe('reference scanning', () => {
  const a = `/nix/store/${'0a1b2c3d4f5g6h7i8j9k'}${'lmnpqrsvwxyz'}-a`;
  const b = `/nix/store/${h('z')}-b`;
  test('finds a hash anywhere, also inside a longer run of hash characters', () => {
    const found = new Set<string>();
    const hashA = a.slice(11, 43);
    scanForHashes(Buffer.from(`xx00${hashA}00yy`), new Set([hashA]), found);
    expect([...found]).toEqual([hashA]);
  });
  test('only hashes of the candidate closure count; unit paths themselves are not references', () => {
    const refs = scaffoldReferences([a, b], [Buffer.from(`ExecStart=${b}/bin/x\n`)]);
    expect(refs).toEqual([b]);
    expect(scaffoldReferences([a, b], [Buffer.from('nothing')])).toEqual([]);
  });
  test('storePathOf cuts a path inside the store to its store path', () => {
    expect(storePathOf(`${b}/bin/sh`)).toBe(b);
    expect(storePathOf(b)).toBe(b);
  });
});
