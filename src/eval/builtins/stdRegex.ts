/**
 * libstdc++'s `std::regex` matcher, for the patterns where JavaScript's
 * RegExp would report other groups than Nix (posixRegex.ts `jsAgrees`).
 *
 * Nix calls `std::regex_match` (builtins.match) and iterates
 * `std::regex_search` (builtins.split) with a POSIX extended regex. For those
 * libstdc++ builds an automaton and runs its depth-first executor, which
 * differs from both POSIX and ECMAScript in ways Nix users can see:
 * - POSIX "longest": at a starting position every alternative of a `|` is
 *   tried, and the match kept is the first one found among the longest;
 * - but a repetition tries one more iteration first and, once that found a
 *   match, never tries leaving the loop there;
 * - a group keeps what an earlier iteration captured until it captures again
 *   (`((a)|b)*` on "ab" gives "a" for the inner group), and is set when its
 *   body matches nothing;
 * - a repetition may be entered twice at the same position (one empty
 *   iteration), never three times: the guard against endless loops.
 * The automaton here has the same states in the same order as libstdc++'s
 * compiler makes them (a `|` is an alternative state whose left branch is
 * tried first; `*`, `+`, `?` and `{m,n}` make repeat states, intervals with
 * clones of their body), and the executor has the same handler for each,
 * the same bookkeeping and the same acceptance rule, so that the groups come
 * out as Nix gives them. It works on one character per byte.
 *
 * Exploring every alternative can take exponential time, as it does in Nix;
 * the executor stops as soon as no later path can change the result.
 */
import type { Ere, ParsedEre } from './posixRegex.js';

const enum Op {
  /** Does nothing (libstdc++ removes these; they change nothing). */
  Dummy,
  /** Matches one character against a byte table. */
  Match,
  /** `alt` is tried first, then `next`; POSIX: both always. */
  Alternative,
  /** Greedy repetition: `alt` is one more iteration, `next` leaves. */
  Repeat,
  GroupBegin,
  GroupEnd,
  LineBegin,
  LineEnd,
  Accept,
}

/** An automaton: states as parallel arrays (`arg`: a group index, or a byte table's index). */
export interface StdNfa {
  readonly op: Op[];
  readonly next: number[];
  readonly alt: number[];
  readonly arg: number[];
  readonly tables: Uint8Array[];
  readonly groups: number;
  readonly start: number;
}

const ANY = (() => {
  const t = new Uint8Array(256).fill(1);
  t[0] = 0;
  return t;
})();

/** Builds the automaton of a parsed ERE, state by state as libstdc++'s `_Compiler` does. */
export function buildNfa(ere: ParsedEre): StdNfa {
  const op: Op[] = [];
  const next: number[] = [];
  const alt: number[] = [];
  const arg: number[] = [];
  const tables: Uint8Array[] = [];
  const add = (o: Op, a = -1): number => {
    op.push(o);
    next.push(-1);
    alt.push(-1);
    arg.push(a);
    return op.length - 1;
  };
  /** A piece: its first state and the state whose `next` continues it. */
  interface Seq { start: number; end: number }
  const append = (s: Seq, t: Seq): void => {
    next[s.end] = t.start;
    s.end = t.end;
  };
  const single = (o: Op, a = -1): Seq => {
    const i = add(o, a);
    return { start: i, end: i };
  };
  const table = (t: Uint8Array): number => {
    tables.push(t);
    return tables.length - 1;
  };
  /** Each call makes new states: calling it again is libstdc++'s `_M_clone`. */
  const compile = (e: Ere): Seq => {
    switch (e.kind) {
      case 'empty': return single(Op.Dummy);
      case 'char': {
        const t = new Uint8Array(256);
        t[e.code] = 1;
        return single(Op.Match, table(t));
      }
      case 'any': return single(Op.Match, table(ANY));
      case 'set': return single(Op.Match, table(e.bytes));
      case 'bol': return single(Op.LineBegin);
      case 'eol': return single(Op.LineEnd);
      case 'group': {
        const s = single(Op.GroupBegin, e.index);
        append(s, compile(e.body));
        append(s, single(Op.GroupEnd, e.index));
        return s;
      }
      case 'seq': {
        const s = compile(e.items[0]);
        for (let k = 1; k < e.items.length; k++) append(s, compile(e.items[k]));
        return s;
      }
      case 'alt': {
        const left = compile(e.left);
        const right = compile(e.right);
        const end = add(Op.Dummy);
        next[left.end] = end;
        next[right.end] = end;
        const x = add(Op.Alternative);
        alt[x] = left.start;
        next[x] = right.start;
        return { start: x, end };
      }
      case 'repeat': {
        const body = compile(e.body);
        const r = add(Op.Repeat);
        alt[r] = body.start;
        next[body.end] = r;
        if (e.op === '*') return { start: r, end: r };
        if (e.op === '+') return { start: body.start, end: r };
        // `?`: the body and the way around it meet at a dummy.
        const end = add(Op.Dummy);
        next[body.end] = end;
        next[r] = end;
        return { start: r, end };
      }
      case 'interval': {
        const s = single(Op.Dummy);
        for (let k = 0; k < e.min; k++) append(s, compile(e.body));
        if (e.max === Infinity) {
          const body = compile(e.body);
          const r = add(Op.Repeat);
          alt[r] = body.start;
          next[body.end] = r;
          append(s, { start: r, end: r });
        } else {
          const end = add(Op.Dummy);
          for (let k = e.min; k < e.max; k++) {
            const body = compile(e.body);
            const r = add(Op.Repeat);
            alt[r] = body.start;
            next[r] = end;
            append(s, { start: r, end: body.end });
          }
          append(s, { start: end, end });
        }
        return s;
      }
    }
  };
  const top = single(Op.GroupBegin, 0);
  append(top, compile(ere.root));
  append(top, single(Op.GroupEnd, 0));
  append(top, single(Op.Accept));
  return { op, next, alt, arg, tables, groups: ere.groups, start: top.start };
}

/** Group `i` spans `[start[i], end[i])` when `start[i] >= 0`; index 0 is the whole match. */
export interface StdMatch {
  readonly start: Int32Array;
  readonly end: Int32Array;
}

interface SearchFlags {
  /** libstdc++'s `match_not_null`: an empty match does not count. */
  readonly notNull?: boolean;
  /** `match_continuous`: only at the starting position. */
  readonly continuous?: boolean;
  /** `match_prev_avail`: the starting position is not the start of the subject (`^` cannot match there). */
  readonly prevAvail?: boolean;
}

/**
 * libstdc++'s `_Executor` in depth-first mode, for one starting position:
 * the handlers of `_M_dfs`, over the states of `buildNfa`.
 */
class Executor {
  private cur = 0;
  private begin = 0;
  private exact = false;
  private notNull = false;
  private prevAvail = false;
  private hasSol = false;
  private solPos = -1;
  /** Nothing a later path finds can change the result: unwind. */
  private done = false;
  /** The groups along the current path (libstdc++'s `_M_cur_results`). */
  private readonly first: Int32Array;
  private readonly second: Int32Array;
  private readonly matched: Uint8Array;
  /** The groups of the match kept (`_M_results`). */
  readonly resultStart: Int32Array;
  readonly resultEnd: Int32Array;
  /** Per repeat state: where and how often it was entered along the current path. */
  private readonly repPos: Int32Array;
  private readonly repCount: Int32Array;

  constructor(private readonly nfa: StdNfa, private readonly s: string) {
    const n = nfa.groups + 1;
    this.first = new Int32Array(n);
    this.second = new Int32Array(n);
    this.matched = new Uint8Array(n);
    this.resultStart = new Int32Array(n);
    this.resultEnd = new Int32Array(n);
    this.repPos = new Int32Array(nfa.op.length);
    this.repCount = new Int32Array(nfa.op.length);
  }

  /** `_M_main_dispatch` from `begin`: whether a match starts there; `exact`: it must reach the end. */
  run(begin: number, exact: boolean, flags: SearchFlags): boolean {
    this.begin = begin;
    this.cur = begin;
    this.exact = exact;
    this.notNull = flags.notNull ?? false;
    this.prevAvail = flags.prevAvail ?? false;
    this.hasSol = false;
    this.solPos = -1;
    this.done = false;
    this.matched.fill(0);
    this.resultStart.fill(-1);
    this.resultEnd.fill(-1);
    this.dfs(this.nfa.start);
    return this.hasSol;
  }

  private dfs(i: number): void {
    if (this.done) return;
    const nfa = this.nfa;
    switch (nfa.op[i]) {
      case Op.Dummy:
        this.dfs(nfa.next[i]);
        return;
      case Op.Match:
        if (this.cur === this.s.length) return;
        if (nfa.tables[nfa.arg[i]][this.s.charCodeAt(this.cur)]) {
          this.cur++;
          this.dfs(nfa.next[i]);
          this.cur--;
        }
        return;
      case Op.Alternative: {
        // POSIX: both branches, whatever the first found; the longest is kept at Accept.
        this.dfs(nfa.alt[i]);
        const had = this.hasSol;
        this.hasSol = false;
        this.dfs(nfa.next[i]);
        this.hasSol ||= had;
        return;
      }
      case Op.Repeat:
        this.onceMore(i);
        // Once one more iteration found a match, leaving the loop here is not tried.
        if (!this.hasSol) this.dfs(nfa.next[i]);
        return;
      case Op.GroupBegin: {
        const g = nfa.arg[i];
        const back = this.first[g];
        this.first[g] = this.cur;
        this.dfs(nfa.next[i]);
        this.first[g] = back;
        return;
      }
      case Op.GroupEnd: {
        const g = nfa.arg[i];
        const backSecond = this.second[g];
        const backMatched = this.matched[g];
        this.second[g] = this.cur;
        this.matched[g] = 1;
        this.dfs(nfa.next[i]);
        this.second[g] = backSecond;
        this.matched[g] = backMatched;
        return;
      }
      case Op.LineBegin:
        // Not multiline: only at the subject's start (the search's start unless `prevAvail`).
        if (this.cur === this.begin && !this.prevAvail) this.dfs(nfa.next[i]);
        return;
      case Op.LineEnd:
        if (this.cur === this.s.length) this.dfs(nfa.next[i]);
        return;
      case Op.Accept:
        this.accept();
        return;
    }
  }

  /** `_M_rep_once_more`: one more iteration, but at most twice at one position. */
  private onceMore(i: number): void {
    const nfa = this.nfa;
    if (this.repCount[i] === 0 || this.repPos[i] !== this.cur) {
      const backPos = this.repPos[i];
      const backCount = this.repCount[i];
      this.repPos[i] = this.cur;
      this.repCount[i] = 1;
      this.dfs(nfa.alt[i]);
      this.repPos[i] = backPos;
      this.repCount[i] = backCount;
    } else if (this.repCount[i] < 2) {
      this.repCount[i]++;
      this.dfs(nfa.alt[i]);
      this.repCount[i]--;
    }
  }

  /** `_M_handle_accept`, POSIX: a longer match than the one kept replaces it; an equal one does not. */
  private accept(): void {
    this.hasSol = this.exact ? this.cur === this.s.length : true;
    if (this.cur === this.begin && this.notNull) this.hasSol = false;
    if (!this.hasSol) return;
    if (this.solPos < 0 || this.solPos < this.cur) {
      this.solPos = this.cur;
      for (let g = 0; g < this.first.length; g++) {
        this.resultStart[g] = this.matched[g] ? this.first[g] : -1;
        this.resultEnd[g] = this.matched[g] ? this.second[g] : -1;
      }
    }
    // A whole-subject match cannot be bettered (all have one length); nor can a match to the end.
    if (this.exact || this.cur === this.s.length) this.done = true;
  }
}

/** `std::regex_match`: the groups if the whole of `s` matches. */
export function stdMatch(nfa: StdNfa, s: string): StdMatch | undefined {
  const x = new Executor(nfa, s);
  return x.run(0, true, {}) ? { start: x.resultStart, end: x.resultEnd } : undefined;
}

/**
 * `std::regex_search` of `s` from `from` (libstdc++'s `_M_search`: each
 * starting position in turn). `x` may be reused between searches of one
 * subject. `scan`, a JS RegExp of the same pattern, may tell where the first
 * match starts: both dialects find matches at the same places, only not the same ones.
 */
function stdSearch(
  nfa: StdNfa, s: string, from: number, flags: SearchFlags = {}, x = new Executor(nfa, s), scan?: RegExp,
): StdMatch | undefined {
  const found = () => ({ start: Int32Array.from(x.resultStart), end: Int32Array.from(x.resultEnd) });
  // JavaScript's `^` holds at 0 only: the same as here unless a search starts later without `prevAvail`.
  if (scan && !flags.continuous && (from === 0) !== Boolean(flags.prevAvail)) {
    scan.lastIndex = from;
    const m = scan.exec(s);
    if (!m) return undefined;
    return x.run(m.index, false, { ...flags, prevAvail: m.index > from || flags.prevAvail }) ? found() : undefined;
  }
  if (x.run(from, false, flags)) return found();
  if (flags.continuous) return undefined;
  for (let begin = from + 1; begin <= s.length; begin++) {
    if (x.run(begin, false, { ...flags, prevAvail: true })) return found();
  }
  return undefined;
}

/**
 * The matches `std::regex_iterator` visits, as `builtins.split` walks them:
 * after an empty match, first a non-empty match at the same place, else the
 * search goes on one character later; `^` matches only at the very start.
 */
export function* stdMatches(nfa: StdNfa, s: string, scan?: RegExp): Generator<StdMatch> {
  const x = new Executor(nfa, s);
  let m = stdSearch(nfa, s, 0, {}, x, scan);
  let prevAvail = false;
  while (m) {
    yield m;
    let start = m.end[0];
    if (m.start[0] === m.end[0]) {
      if (start === s.length) return;
      const again = stdSearch(nfa, s, start, { notNull: true, continuous: true, prevAvail }, x);
      if (again) {
        m = again;
        continue;
      }
      start++;
    }
    prevAvail = true;
    m = stdSearch(nfa, s, start, { prevAvail }, x, scan);
  }
}
