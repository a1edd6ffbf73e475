/**
 * Reads systemd unit files the way systemd does, as far as the checks need:
 * sections, `Key=Value` lines with their line numbers, comments (`#`, `;`),
 * and lines continued with a trailing backslash (reported at the line where
 * the directive starts). For the command directives (`ExecStart=` and
 * friends) it finds the program: after systemd's prefix characters (`-`, `@`,
 * `:`, `+`, `!`, `!!`, in any order) the first word, which may be quoted.
 */

export interface UnitDirective {
  readonly section: string;
  readonly key: string;
  readonly value: string;
  /** 1-based line where the directive starts. */
  readonly line: number;
}

/** The directives whose value is a command line systemd executes. */
const commandDirectives: ReadonlySet<string> = new Set([
  'ExecCondition', 'ExecStartPre', 'ExecStart', 'ExecStartPost', 'ExecReload',
  'ExecStop', 'ExecStopPre', 'ExecStopPost',
]);

export function parseUnit(text: string): UnitDirective[] {
  const lines = text.split(/\r?\n/);
  const out: UnitDirective[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) {
      const next = lines[++i]!.trim();
      // Comment lines inside a continued directive are skipped, as systemd does.
      line = line.slice(0, -1) + (next.startsWith('#') || next.startsWith(';') ? '\\' : ' ' + next);
    }
    if (line.endsWith('\\')) line = line.slice(0, -1);
    if (line.startsWith('[') && line.endsWith(']')) {
      section = line.slice(1, -1);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    out.push({ section, key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim(), line: start + 1 });
  }
  return out;
}

export interface ExecCommand {
  readonly directive: string;
  readonly line: number;
  /** The prefix characters as written, e.g. `-` or `!!`. */
  readonly prefixes: string;
  /** The program as written (quotes removed). */
  readonly program: string;
}

/** The program of a command directive's value; undefined for an empty value (which resets the list). */
export function parseCommand(value: string): { prefixes: string; program: string } | undefined {
  const m = /^[-@:+!]*/.exec(value)!;
  const prefixes = m[0];
  const rest = value.slice(prefixes.length).trimStart();
  if (rest === '') return undefined;
  const quote = rest[0];
  if (quote === '"' || quote === "'") {
    let program = '';
    for (let i = 1; i < rest.length; i++) {
      const c = rest[i]!;
      if (c === '\\' && i + 1 < rest.length) program += rest[++i];
      else if (c === quote) break;
      else program += c;
    }
    return { prefixes, program };
  }
  return { prefixes, program: rest.split(/\s/, 1)[0]! };
}

/** Every command directive of a unit with its program. */
export function unitCommands(text: string): ExecCommand[] {
  const out: ExecCommand[] = [];
  for (const d of parseUnit(text)) {
    if (!commandDirectives.has(d.key)) continue;
    const command = parseCommand(d.value);
    if (command) out.push({ directive: d.key, line: d.line, ...command });
  }
  return out;
}
