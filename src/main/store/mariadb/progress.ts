/** Progress of a long job on stderr: a redrawn bar on a terminal, a plain line now and then otherwise (logs, pipes). */

export interface ProgressOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface Progress {
  update(label: string, done: number, total: number): void;
  /** Ends the bar's line (a terminal) and prints the last state. */
  finish(label: string, done: number, total: number): void;
}

const BAR_WIDTH = 30;
const REDRAW_MS = 100;
const LINE_EVERY_MS = 5000;

export function formatBar(label: string, done: number, total: number): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(fraction * BAR_WIDTH);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${Math.floor(fraction * 100)}% ${done}/${total}`;
}

export function createProgress(out: ProgressOutput, now: () => number = Date.now): Progress {
  let lastAt = Number.NEGATIVE_INFINITY;
  let lastLabel = '';
  let lastTenth = -1;
  let lastLine = '';
  const tenth = (done: number, total: number) => (total > 0 ? Math.floor((10 * done) / total) : 10);
  return {
    update(label, done, total) {
      const t = now();
      if (out.isTTY) {
        if (t - lastAt < REDRAW_MS && label === lastLabel) return;
        out.write(`\r${formatBar(label, done, total)}\x1b[K`);
      } else {
        // A line when a tenth is passed or a while has gone by, never for every batch.
        if (label === lastLabel && tenth(done, total) === lastTenth && t - lastAt < LINE_EVERY_MS) return;
        lastLine = `${label}: ${done} of ${total}\n`;
        out.write(lastLine);
        lastTenth = tenth(done, total);
      }
      lastAt = t;
      lastLabel = label;
    },
    finish(label, done, total) {
      const line = `${label}: ${done} of ${total}\n`;
      if (out.isTTY) out.write(`\r${formatBar(label, done, total)}\x1b[K\n`);
      else if (line !== lastLine) out.write(line);
      lastLine = '';
      lastLabel = '';
      lastAt = Number.NEGATIVE_INFINITY;
      lastTenth = -1;
    },
  };
}
