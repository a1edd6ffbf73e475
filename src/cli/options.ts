/**
 * Command-line options in the conventions of nix-build and nix-instantiate:
 * long options with a fixed number of values (`--arg NAME EXPR` takes two,
 * `-A ATTRPATH` one), `--opt=value` for one-value options, `--` to end the
 * options, repeatable options collected in order. Each command declares its
 * options once, as data; parsing and `--help` both come from that declaration,
 * so the help text cannot drift from what is accepted.
 */
import { NixError } from '../eval/errors.js';
import { didYouMean } from '../eval/value/attrs.js';

export interface OptionSpec {
  /** `--attr` */
  readonly long: string;
  /** `-A` */
  readonly short?: string;
  /** Names of the values the option takes, for help: `['NAME', 'EXPR']`. Empty for a flag. */
  readonly values?: readonly string[];
  /** Collect every occurrence (in order) instead of keeping the last. */
  readonly repeatable?: boolean;
  readonly description: string;
}

export interface CommandSpec {
  readonly name: string;
  /**
   * With `--json`, an error is also printed on stdout as `{"error": ...}`
   * (docs/error.schema.json), for editors; it is always rendered on stderr.
   */
  readonly jsonErrors?: boolean;
  /** One line for the command list. */
  readonly summary: string;
  /** Positional arguments as shown in the usage line: `[FILE]`, `IMAGE`. */
  readonly positional: string;
  readonly maxPositional: number;
  /** Paragraphs after the usage line. */
  readonly description: string;
  readonly options: readonly OptionSpec[];
}

/** Parsed options: flags are `true`, one-value options a string, several values a string array. */
export interface ParsedArgs {
  readonly positional: string[];
  /** Keyed by long name without dashes: `arg`, `attr`, `show-trace`. */
  readonly options: Map<string, OptionValue[]>;
  /** The command's arguments as given (a cached rebuild is found by them: src/cli/rebuild.ts). */
  readonly argv: readonly string[];
}

export type OptionValue = true | string | string[];

/** The options every command takes. */
const helpOption: OptionSpec = { long: '--help', short: '-h', description: 'Show this help and exit.' };

/** Errors in the command line itself: Nix's UsageError, after which it points to `--help`. */
const commandLineErrors = new WeakSet<NixError>();

export function usageError(message: string): NixError {
  const err = new NixError('usage', message);
  commandLineErrors.add(err);
  return err;
}

/** Whether `err` is about the command line (made by `usageError`), not another problem that exits 1. */
export function isCommandLineError(err: NixError): boolean {
  return commandLineErrors.has(err);
}

/**
 * Nix's compound short flags: `-vvv` is `-v -v -v`, `-j3` is `-j 3` (letters
 * are flags, the rest of the word from the first non-letter is a value).
 */
function expandCompound(word: string): string[] {
  if (word.length <= 2 || word[0] !== '-' || !/[a-z]/i.test(word[1]!)) return [word];
  const out = [`-${word[1]}`];
  for (let j = 2; j < word.length; j++) {
    if (/[a-z]/i.test(word[j]!)) out.push(`-${word[j]}`);
    else {
      out.push(word.slice(j));
      break;
    }
  }
  return out;
}

/** "unrecognised flag", with the closest flags of the command (`--no-outlink`: `--no-out-link`). */
function unknownFlag(name: string, known: readonly OptionSpec[]): NixError {
  const err = usageError(`unrecognised flag '${name}'`);
  const hint = name.startsWith('--') ? didYouMean(name, known.map((o) => o.long).sort()) : undefined;
  if (hint) err.hints.push(hint);
  return err;
}

export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const all = [...spec.options, helpOption];
  const byName = new Map<string, OptionSpec>();
  for (const o of all) {
    byName.set(o.long, o);
    if (o.short) byName.set(o.short, o);
  }
  const positional: string[] = [];
  const options = new Map<string, OptionValue[]>();
  const words = [...argv];
  let i = 0;
  while (i < words.length) {
    if (words[i] !== '--' && !words[i]!.startsWith('--')) words.splice(i, 1, ...expandCompound(words[i]!));
    const word = words[i++]!;
    if (word === '--') {
      positional.push(...words.slice(i));
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      positional.push(word);
      continue;
    }
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    const name = eq >= 0 ? word.slice(0, eq) : word;
    const opt = byName.get(name);
    if (!opt) throw unknownFlag(name, all);
    const arity = opt.values?.length ?? 0;
    let value: OptionValue;
    if (eq >= 0) {
      if (arity !== 1) throw usageError(`flag '${name}' does not take a value with '='`);
      value = word.slice(eq + 1);
    } else if (arity === 0) {
      value = true;
    } else {
      if (i + arity > words.length) {
        throw usageError(`flag '${name}' requires ${arity === 1 ? 'an argument' : `${arity} arguments`} (${opt.values!.join(' ')})`);
      }
      const got = words.slice(i, i + arity);
      i += arity;
      value = arity === 1 ? got[0]! : got;
    }
    const key = opt.long.slice(2);
    const list = options.get(key);
    if (list && opt.repeatable) list.push(value);
    else options.set(key, [value]);
  }
  if (positional.length > spec.maxPositional) {
    throw usageError(`${spec.name}: unexpected argument '${positional[spec.maxPositional]}'`);
  }
  return { positional, options, argv };
}

/** The last value of a one-value option, or undefined. */
export function optString(args: ParsedArgs, key: string): string | undefined {
  const v = args.options.get(key)?.at(-1);
  return typeof v === 'string' ? v : undefined;
}

export function optFlag(args: ParsedArgs, key: string): boolean {
  return args.options.has(key);
}

/** Every value of a repeatable one-value option, in order. */
export function optStrings(args: ParsedArgs, key: string): string[] {
  return (args.options.get(key) ?? []).filter((v): v is string => typeof v === 'string');
}

/** Every value of a repeatable several-value option, in order. */
export function optTuples(args: ParsedArgs, key: string): string[][] {
  return (args.options.get(key) ?? []).filter((v): v is string[] => Array.isArray(v));
}

const HELP_COLUMN_MAX = 28;

export function renderHelp(spec: CommandSpec): string {
  const lines = [`Usage: tsportable ${spec.name} [options] ${spec.positional}`.trimEnd(), '', spec.summary, ''];
  if (spec.description) lines.push(spec.description, '');
  lines.push('Options:');
  const all = [...spec.options, helpOption];
  const heads = all.map((o) => {
    const names = o.short ? `${o.short}, ${o.long}` : `    ${o.long}`;
    return `  ${names}${o.values?.length ? ' ' + o.values.join(' ') : ''}`;
  });
  // Descriptions line up in one column; an option too long for it gets its own line.
  const width = Math.min(Math.max(...heads.map((h) => h.length)) + 2, HELP_COLUMN_MAX);
  all.forEach((o, k) => {
    const head = heads[k]!;
    lines.push(head.length + 2 > width ? head + '\n' + ' '.repeat(width) + o.description : head.padEnd(width) + o.description);
  });
  return lines.join('\n') + '\n';
}
