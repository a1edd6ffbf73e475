/**
 * What a build shows on stderr while it runs, as nix-build shows its builds:
 * each step as a line (`realising the inputs of demo_1.0.raw`, Nix's own
 * `building '...'` lines and builder output, `mksquashfs of 12 store
 * paths`), in the order things happen, on a terminal and off it (CI logs).
 *
 * On a terminal one more line, at the bottom, says where the step under way
 * stands and for how long: Nix's builds and fetches started out of those to
 * do, mksquashfs's percentage. It is redrawn in place (auto-wrap off while it
 * is drawn, so a narrow terminal cuts it instead of scrolling), taken away
 * before any other line is printed, and cleared at the end. Off a terminal
 * nothing is redrawn: there are only the lines.
 */
import type { NixOutput } from '../bridge/index.js';
import type { BuildProgress } from '../image/index.js';
import { formatBytes } from '../inspect/format.js';

const enum Timing {
  /** ms between redraws of the status line: mksquashfs reports every file, far more often than anyone reads. */
  RedrawMs = 200,
}

const clearLine = '\r\x1b[K';
const wrapOff = '\x1b[?7l';
const wrapOn = '\x1b[?7h';

export class Progress implements NixOutput {
  private readonly terminal: boolean;
  private text: string | undefined;
  private drawn = '';
  private since = Date.now();
  private timer: NodeJS.Timeout | undefined;

  /** `terminal`: stderr is one (a `TERM=dumb` terminal gets only the lines). */
  constructor(private readonly write: (text: string) => void, terminal: boolean) {
    this.terminal = terminal && process.env.TERM !== 'dumb';
  }

  /** A step begins: its line; the status line's clock starts again. */
  step(text: string): void {
    this.since = Date.now();
    this.text = undefined;
    this.stopTimer();
    this.line(text);
  }

  line(text: string): void {
    const status = this.render();
    this.write(`${this.drawn ? clearLine : ''}${text}\n${status}`);
    this.drawn = status;
  }

  status(text: string | undefined): void {
    if (!this.terminal) return;
    this.text = text;
    if (text === undefined) {
      this.stopTimer();
      this.redraw();
      return;
    }
    // Drawn by the timer: at most every RedrawMs, and every second for the clock.
    this.timer ??= setInterval(() => this.redraw(), Timing.RedrawMs).unref();
  }

  /** Clears the status line; call before the command ends, whatever the outcome. */
  end(): void {
    this.status(undefined);
  }

  /** The callback of `buildImage`'s progress: steps as lines, mksquashfs's progress as the status. */
  readonly build = (p: BuildProgress): void => {
    if (!p.update) return this.step(p.message);
    const { done, total, unit } = p.update;
    const percent = total > 0 ? Math.min(99, Math.floor((done * 100) / total)) : 0;
    this.status(unit === 'paths'
      ? `copying the closure: ${done}/${total} store paths`
      : `mksquashfs: ${percent}% of ${formatBytes(total)}`);
  };

  private render(): string {
    if (this.text === undefined) return '';
    return `${wrapOff}${this.text} (${elapsed(Date.now() - this.since)})${wrapOn}`;
  }

  private redraw(): void {
    const status = this.render();
    if (status === this.drawn) return;
    this.write(`${this.drawn ? clearLine : ''}${status}`);
    this.drawn = status;
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** `7s`, `1m05s`, `1h02m`. */
function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
