/**
 * `npm run bench`: runs every benchmark and prints its rows. Each benchmark
 * measures tsportable against a baseline in the same run (Nix itself, or
 * nixpkgs' way of building an image) and reports ratios, so figures from
 * different machines can be compared. Pass names to run only some:
 * `npm run bench -- parse eval`.
 */
export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly note?: string;
  /** For a ratio that is a goal: the most it may be (printed with whether it is met). */
  readonly goal?: number;
}

type Bench = () => Promise<BenchRow[]>;

const benches: Record<string, () => Promise<{ bench: Bench }>> = {
  startup: () => import('./startup.js'),
  parse: () => import('./parse.js'),
  eval: () => import('./eval.js'),
  lib: () => import('./lib.js'),
  show: () => import('./show.js'),
  rebuild: () => import('./rebuild.js'),
  attrset: () => import('./attrset.js'),
  flake: () => import('./flake.js'),
  image: () => import('./image.js'),
  lsp: () => import('./lsp.js'),
  inspect: () => import('./inspect.js'),
};

function goalNote(r: BenchRow): string | undefined {
  if (r.goal === undefined) return undefined;
  return `goal <= ${r.goal}: ${r.value <= r.goal ? 'met' : 'MISSED'}`;
}

function format(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3);
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  for (const name of wanted) if (!(name in benches)) throw new Error(`unknown benchmark '${name}' (have: ${Object.keys(benches).join(', ')})`);
  for (const [name, load] of Object.entries(benches)) {
    if (wanted.length && !wanted.includes(name)) continue;
    process.stdout.write(`\n== ${name}\n`);
    const rows = await (await load()).bench();
    const width = Math.max(...rows.map((r) => r.name.length));
    for (const r of rows) {
      const note = [goalNote(r), r.note].filter(Boolean).join('; ');
      process.stdout.write(`  ${r.name.padEnd(width)}  ${format(r.value).padStart(10)} ${r.unit}${note ? `  (${note})` : ''}\n`);
    }
  }
}

await main();
