// Bundles the CLI into one file, dist/tsportable.cjs, from tsc's output (so
// the bundle runs exactly the JavaScript the tests run): esbuild follows every
// import from src/cli/entry.ts, commands loaded on demand included, so a new
// module is in the bundle as soon as something imports it. bin/tsportable.js
// loads the bundle with V8's code cache (see there).
//
// Native modules and the packages that load them at run time stay outside.
// Packages and Node modules in `deferred` are initialised on first use, not
// when the bundle loads: their exports are read through getters (execa alone,
// with the Node modules it loads, cost a tenth of the start-up, and most runs
// start no process; Node compiles node:crypto and others on first require).
// Each module's `import.meta.url` becomes the URL of its file in dist/, as if
// it were not bundled (paths relative to a module keep working). The format
// is CommonJS, the one V8's code cache applies to: a module with top-level
// `await` cannot be bundled (esbuild says so, and the build fails).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { loweringCodeIn } from '../dist/src/eval/syntax/parseCache.js';
import { replaceFile } from '../dist/src/replaceFile.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

/** `import.meta.url` in a module of dist/: that module's own URL, from the bundle's location. */
const importMetaUrl = {
  name: 'import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(dist + path.sep)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta')) return undefined;
      const relative = JSON.stringify(path.relative(dist, args.path).split(path.sep).join('/'));
      return { contents: source.replace(/\bimport\.meta\.url\b/g, `__tsportableModuleUrl(${relative})`), loader: 'js' };
    });
  },
};

/**
 * Initialised on first use, not when the bundle loads: Node modules, and
 * packages, which go into files of their own, dist/deferred/<group>.cjs, read
 * only then (execa is a third of the CLI's code, and most runs start no
 * process; the language server's protocol library is as big, and only
 * `tsportable lsp` uses it). Packages that share code go in one group.
 */
const deferredModules = ['node:crypto', 'node:child_process', 'node:worker_threads', 'node:fs/promises', 'node:os'];
const deferredGroups = {
  execa: ['execa'],
  // Loaded only where colour is possible (src/cli/color.ts).
  chalk: ['chalk'],
  lsp: ['vscode-languageserver', 'vscode-languageserver/node', 'vscode-languageserver-textdocument'],
};
const groupOf = new Map(Object.entries(deferredGroups).flatMap(([group, names]) => names.map((n) => [n, group])));
const deferred = [...deferredModules, ...groupOf.keys()];

/** The property that marks a deferred module's stand-in (see useStandIns). */
const STAND_IN = '__tsportableStandIn';
const TO_ESM = 'var __toESM=(mod,isNodeMode,target)=>';

/**
 * The bundle's text with its __toESM handing stand-ins over as they are.
 * esbuild reads a CommonJS module that an ES module imports through that
 * helper, which copies every export, getter by getter, into a new object as
 * the importing module starts: for the stand-ins, some forty copies of up to
 * sixty getters, a quarter of a megabyte allocated at every start. A
 * stand-in is already what __toESM would make of it (`__esModule` and a
 * getter per export). Exits when esbuild's helper is not as expected.
 */
function useStandIns(text, name) {
  const at = text.indexOf(TO_ESM);
  if (at < 0 || text.indexOf(TO_ESM, at + 1) >= 0) {
    if (!text.includes('__toESM(')) return text;
    console.error(`bundle: dist/${name}.cjs: esbuild's __toESM is not written as '${TO_ESM}...' once; see useStandIns`);
    process.exit(1);
  }
  return text.replace(TO_ESM, `${TO_ESM}mod?.${STAND_IN}?mod:`);
}

/**
 * An import of a deferred module resolves to a CommonJS stand-in whose
 * exports are getters that require the real module on first use.
 */
const deferPackages = {
  name: 'defer-packages',
  setup(b) {
    const filter = new RegExp(`^(${deferred.map((d) => d.replace(/[/.-]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => (args.namespace === 'deferred'
      ? { path: args.path, external: true } // the stand-in's own require of a Node module
      : { path: args.path, namespace: 'deferred' }));
    b.onLoad({ filter: /.*/, namespace: 'deferred' }, async (args) => {
      const names = Object.keys(await import(args.path)).filter((n) => n !== 'default' && n !== '__esModule');
      const getters = names.map((n) => `  get ${JSON.stringify(n)}() { return load()[${JSON.stringify(n)}]; },`);
      // A Node module's default export is the module itself.
      if (args.path.startsWith('node:')) getters.push('  get default() { return load(); },');
      const real = args.path.startsWith('node:')
        ? `require(${JSON.stringify(args.path)})`
        : `require(require("node:path").join(__dirname, "deferred", ${JSON.stringify(`${groupOf.get(args.path)}.cjs`)}))[${JSON.stringify(args.path)}]`;
      return {
        contents: `let real;\nconst load = () => (real ??= ${real});\n`
          + `module.exports = Object.defineProperty({\n  __esModule: true,\n${getters.join('\n')}\n}, ${JSON.stringify(STAND_IN)}, { value: true });\n`,
        loader: 'js',
        resolveDir: root,
      };
    });
  },
};

/** What every bundle shares. */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Less to read at each start; names are kept, for the stack of an internal error.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
};

for (const [group, names] of Object.entries(deferredGroups)) {
  const contents = `module.exports = {\n${names.map((n) => `  ${JSON.stringify(n)}: require(${JSON.stringify(n)}),`).join('\n')}\n};\n`;
  await build({ ...common, stdin: { contents, resolveDir: root }, outfile: path.join(dist, 'deferred', `${group}.cjs`) });
}

/**
 * The bundle of `entry` (a module of tsc's output) as `dist/<name>.cjs`, its
 * first line naming its build (bin/tsportable.js keys the code cache by it),
 * and the code caches of its older builds removed.
 */
async function bundle(entry, name) {
  const result = await build({
    entryPoints: [path.join(dist, entry)],
    ...common,
    // The tree-sitter package loads its native binding itself; the grammar's is required by path.
    external: ['tree-sitter', '*.node'],
    plugins: [importMetaUrl, deferPackages],
    // The parse cache's key for the code that lowers trees: the bundle holds that code as it is now.
    define: { TSPORTABLE_LOWERING_CODE: JSON.stringify(loweringCodeIn(path.join(dist, 'src/eval'))) },
    banner: {
      js: 'const __tsportableModuleUrl = (file) => require("node:url").pathToFileURL(require("node:path").join(__dirname, file)).href;',
    },
    write: false,
    logOverride: { 'empty-import-meta': 'error' },
  });
  if (result.warnings.length > 0) process.exit(1);
  const text = useStandIns(result.outputFiles[0].text, name);
  const code = Buffer.from(text, 'utf8');
  // Code compiled with a cache has no loader for `import()` of what is not bundled (esbuild keeps it as it is).
  const dynamic = /\bimport\((?!\))/.exec(text);
  if (dynamic) {
    const line = text.slice(0, dynamic.index).split('\n').length;
    console.error(`bundle: an import() of a module outside the bundle (dist/${name}.cjs:${line} before the banner); import it statically`);
    process.exit(1);
  }
  // A default or namespace import of a Node module (`import fs from 'node:fs'`) is a copy of all its
  // exports (esbuild's __toESM) at every start; named imports are read where used.
  const copied = /__toESM\(require\("(node:[\w/]+)"\)/.exec(text);
  if (copied) {
    console.error(`bundle: dist/${name}.cjs copies ${copied[1]} whole at start-up; import what is used by name (import { x } from '${copied[1]}')`);
    process.exit(1);
  }
  // bin/tsportable.js takes the bundle as Latin-1 (mapped or copied as it is, where UTF-8 is decoded): it must be ASCII.
  // esbuild escapes strings and names; a regular expression literal it keeps as written.
  const nonAscii = code.findIndex((byte) => byte > 0x7f);
  if (nonAscii >= 0) {
    const line = text.slice(0, Buffer.from(code.subarray(0, nonAscii)).toString('utf8').length).split('\n').length;
    console.error(`bundle: dist/${name}.cjs:${line + 1} has a character that is not ASCII; write it as an escape (\\u...) in the source`);
    process.exit(1);
  }
  const id = createHash('sha256').update(code).digest('hex').slice(0, 16);
  // Renamed over the old bundle, never written into it: a running tsportable maps the file (bin/tsportable.js).
  const bundleFile = path.join(dist, `${name}.cjs`);
  if (!replaceFile(bundleFile, [Buffer.from(`/* tsportable build ${id} */\n`), code])) {
    console.error(`bundle: could not write ${bundleFile}`);
    process.exit(1);
  }
  for (const file of readdirSync(dist)) {
    if (file.startsWith(`${name}.`) && file.endsWith('.v8cache') && !file.startsWith(`${name}.${id}.`)) rmSync(path.join(dist, file), { force: true });
  }
}

await bundle('src/cli/entry.js', 'tsportable');
// What answers a cached rebuild before the CLI is loaded (src/cli/rebuild.ts): small, so that it costs little.
await bundle('src/cli/rebuild.js', 'rebuild');
