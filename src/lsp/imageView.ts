/**
 * An image's plan as the editor shows it: the Markdown of a hover over the
 * `portableService` call or one of its units, the code lens's one-line
 * summary, and the document symbols. Everything comes from the `show` plan
 * (show/plan.ts): the editor shows what `tsportable show` prints.
 */
import type { DocumentSymbol, Range } from 'vscode-languageserver';
import type { PlannedUnit, ShowPlan } from '../show/plan.js';
import { SymbolKind } from './kinds.js';
import type { AnalysedImage, BuiltImage } from './protocol.js';

const enum Limits {
  /** Lines of a unit's text shown in a hover. */
  UnitLines = 60,
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The store paths a plan names, as far as known before the build: each unit's
 * file, the store paths and not-yet-built values (`${pkgs.hello}`) in unit
 * texts, symlink objects and contents.
 */
export function storeObjectsOf(plan: ShowPlan): number {
  const seen = new Set<string>();
  for (const u of plan.units) {
    seen.add(`unit ${u.name}`);
    for (const ref of storeReferences(u.text ?? '')) seen.add(ref);
  }
  for (const s of plan.symlinks) seen.add(s.object);
  for (const c of plan.contents) seen.add(c.description);
  return seen.size;
}

/** `/nix/store/<hash>-name` and `${expression}` (balanced braces) in a text. */
function storeReferences(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\/nix\/store\/[0-9a-z]{32}-[^\s/"'`;]+/g)) out.push(m[0]);
  for (let i = text.indexOf('${'); i >= 0; i = text.indexOf('${', i + 2)) {
    let depth = 0;
    let j = i + 1;
    for (; j < text.length; j++) {
      if (text[j] === '{') depth++;
      else if (text[j] === '}' && --depth === 0) break;
    }
    out.push(text.slice(i, j + 1));
  }
  return out;
}

export function lensTitle(image: AnalysedImage): string {
  const p = image.plan;
  return `${p.imageFileName} · ${plural(p.units.length, 'unit')} · ${plural(image.storeObjects, 'store path')}`;
}

function fence(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${lang}\n${text.replace(/\n$/, '')}\n${ticks}`;
}

function code(s: string): string {
  return s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``;
}

/** The hover over a `portableService` call. */
export function imageMarkdown(image: AnalysedImage, built?: BuiltImage): string {
  const p = image.plan;
  const out: string[] = [`**${p.imageFileName}**${image.attrPath ? ` (attribute ${code(image.attrPath)})` : ''}`, ''];
  out.push(`${plural(p.units.length, 'unit')} · ${plural(image.storeObjects, 'store path')} named before the build`, '');
  out.push('**os-release**', fence(p.osRelease, 'ini'), '');
  out.push(`**Units** (${p.units.length})`);
  for (const u of p.units) out.push(`- ${code(`/etc/systemd/system/${u.name}`)} (${u.source})`);
  out.push('', `**Symlinks** (${p.symlinks.length})`);
  for (const s of p.symlinks) out.push(`- ${code(s.symlink)} → ${code(s.object)}`);
  out.push('', `**Contents** (${p.contents.length})`);
  for (const c of p.contents) out.push(`- ${code(c.description)}`);
  out.push('', `**mksquashfs** ${code(p.mksquashfs.options.join(' '))}`);
  if (p.closure) {
    const bytes = p.closure.reduce((a, c) => a + c.size, 0);
    out.push('', `**Closure** ${plural(p.closure.length, 'store path')}, ${(bytes / 1024 / 1024).toFixed(1)} MiB`);
  } else if (built) {
    out.push('', `**Closure** ${plural(built.closure, 'store path')} (last build: ${code(built.image)})`);
  }
  if (p.warnings.length) {
    out.push('', `**Warnings** (${p.warnings.length})`);
    for (const w of p.warnings) out.push(`- ${w.message} [${w.code}]`);
  }
  return out.join('\n');
}

/** The hover over a unit: its file in the image and its text, as `show` prints it. */
export function unitMarkdown(unit: PlannedUnit): string {
  const head = `**${code(`/etc/systemd/system/${unit.name}`)}** (${unit.source})`;
  if (unit.text === undefined) return `${head}\n\nIts text is known only once Nix builds it.`;
  const lines = unit.text.split('\n');
  const shown = lines.length > Limits.UnitLines ? [...lines.slice(0, Limits.UnitLines), `… ${lines.length - Limits.UnitLines} more lines`] : lines;
  return `${head}\n\n${fence(shown.join('\n'), 'ini')}`;
}

/** The images and their units as document symbols. */
export function imageSymbols(images: readonly AnalysedImage[]): DocumentSymbol[] {
  return images.flatMap((image): DocumentSymbol[] => {
    if (!image.range) return [];
    const range = image.range;
    const children = image.plan.units.map((u, i): DocumentSymbol => {
      const at: Range = image.units[i]?.element ?? image.units[i]?.madeAt ?? range;
      return { name: u.name, detail: u.source, kind: SymbolKind.File, range: at, selectionRange: at };
    });
    return [{
      name: image.plan.imageFileName,
      detail: image.attrPath ? `${image.attrPath}: pkgs.portableService` : 'pkgs.portableService',
      kind: SymbolKind.Package,
      range,
      selectionRange: image.functionRange ?? range,
      children,
    }];
  });
}
