/**
 * 500 random edits of the examples, sent as incremental changes: truncations,
 * inserted characters, deleted braces and quotes, deleted spans, and now and
 * then the original text back. After each edit a request that needs that
 * version's analysis (symbols, a hover, a completion) must be answered, and
 * the server must still be running at the end. The last state is checked
 * twice: a fresh server, which never saw the history, publishes the same
 * diagnostics, and `tsportable show` on the same text fails with the error the
 * server shows (or succeeds when the server shows no error).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { cliPath, LspClient, useTempDir } from './client.js';

const edits = 500;
const examples = ['demo', 'certs', 'contents', 'gzip', 'multi'];

/** A small seeded generator (mulberry32), so a failure can be replayed with its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Doc {
  readonly path: string;
  readonly uri: string;
  readonly original: string;
  text: TextDocument;
}

function randomEdit(doc: Doc, next: () => number): TextDocumentContentChangeEvent {
  const text = doc.text.getText();
  const at = (o: number) => doc.text.positionAt(o);
  const pick = (n: number) => Math.floor(next() * n);
  const kind = pick(10);
  if (kind === 0 || text.length === 0) return { range: { start: at(0), end: at(text.length) }, text: doc.original };
  if (kind === 1) {
    const from = pick(text.length);
    return { range: { start: at(from), end: at(text.length) }, text: '' };
  }
  if (kind <= 4) {
    const chars = 'abz_-019{}[]();=".\'$ \n';
    const inserted = Array.from({ length: 1 + pick(4) }, () => chars[pick(chars.length)]).join('');
    const o = pick(text.length + 1);
    return { range: { start: at(o), end: at(o) }, text: inserted };
  }
  if (kind <= 7) {
    const spots = [...text.matchAll(/[{}[\]"';]|''/g)].map((m) => [m.index!, m[0].length] as const);
    if (spots.length) {
      const [o, n] = spots[pick(spots.length)]!;
      return { range: { start: at(o), end: at(o + n) }, text: '' };
    }
  }
  const from = pick(text.length);
  const to = Math.min(text.length, from + 1 + pick(20));
  return { range: { start: at(from), end: at(to) }, text: '' };
}

function errors(ds: Diagnostic[]): string[] {
  return ds.filter((d) => d.severity === 1).map((d) => (d.message as string).split('\n')[0]!);
}

const dir = useTempDir(examples);

test(`${edits} random edits of the examples: each answered, no crash, the last state's diagnostics right`, async () => {
  const seed = Number(process.env.LSP_EDIT_SEED ?? Date.now() % 100_000);
  const next = random(seed);
  const client = await LspClient.start({ cwd: dir.path, initializationOptions: { debounceMs: 1, timeLimitMs: 1000 } });
  const docs: Doc[] = [];
  try {
    for (const name of examples) {
      const path = join(dir.path, name, 'default.nix');
      const original = await readFile(path, 'utf8');
      const uri = await client.open(path, original);
      docs.push({ path, uri, original, text: TextDocument.create(uri, 'nix', 1, original) });
    }
    for (let i = 0; i < edits; i++) {
      const doc = docs[Math.floor(next() * docs.length)]!;
      const change = randomEdit(doc, next);
      const version = doc.text.version + 1;
      doc.text = TextDocument.update(doc.text, [change], version);
      await client.change(doc.uri, version, [change]);
      const position = doc.text.positionAt(Math.floor(next() * (doc.text.getText().length + 1)));
      const what = i % 3;
      const answer = what === 0
        ? client.request('textDocument/documentSymbol', { textDocument: { uri: doc.uri } })
        : what === 1 ? client.hover(doc.uri, position) : client.completion(doc.uri, position);
      await expect(answer).resolves.not.toBeUndefined();
    }
    expect(client.alive).toBe(true);
    const last = await Promise.all(docs.map((d) => client.diagnosticsFor(d.uri, d.text.version)));

    const fresh = await LspClient.start({ cwd: dir.path });
    try {
      for (const [k, d] of docs.entries()) {
        const uri = await fresh.open(d.path, d.text.getText(), d.text.version);
        const again = await fresh.diagnosticsFor(uri, d.text.version);
        expect({ seed, file: d.path, diagnostics: again.diagnostics }).toEqual({ seed, file: d.path, diagnostics: last[k]!.diagnostics });
      }
    } finally {
      await fresh.stop();
      fresh.kill();
    }

    for (const [k, d] of docs.entries()) {
      if (d.path.includes('multi')) continue; // several images: `show` needs -A
      await writeFile(d.path, d.text.getText());
      const r = await execa(process.execPath, [cliPath, 'show', d.path, '--json'], { cwd: dir.path, reject: false, env: { NO_COLOR: '1', TSPORTABLE_CACHE_DIR: join(dir.path, '.cache') } });
      const shown = errors(last[k]!.diagnostics);
      if (r.exitCode === 0) expect({ seed, file: d.path, errors: shown }).toEqual({ seed, file: d.path, errors: [] });
      else {
        const message = (JSON.parse(String(r.stdout)) as { error: { message: string } }).error.message.split('\n')[0]!;
        expect({ seed, file: d.path, first: shown[0] }).toEqual({ seed, file: d.path, first: message });
      }
    }
  } finally {
    await client.stop();
    client.kill();
  }
});
