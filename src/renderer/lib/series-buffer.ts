/**
 * A chart's points for one series, kept in place so Chart.js can redraw without new arrays: history
 * buckets first, then live samples folded into buckets of the same width, so a long range does not grow
 * a point per second. Points left of the window are dropped as the window follows now.
 */

export interface XY {
  x: number;
  y: number;
}

export interface SeriesBuffer {
  avg: XY[];
  min: XY[];
  max: XY[];
  /** Samples per bucket, to keep a running mean as live values arrive. */
  counts: number[];
  bucketMs: number;
}

export interface HistoryBucket {
  tsMs: number;
  min: number;
  avg: number;
  max: number;
  count: number;
}

export function bufferFromHistory(points: readonly HistoryBucket[], bucketMs: number): SeriesBuffer {
  const buffer: SeriesBuffer = { avg: [], min: [], max: [], counts: [], bucketMs: Math.max(0, bucketMs) };
  for (const p of points) {
    if (![p.tsMs, p.avg, p.min, p.max].every(Number.isFinite)) continue;
    buffer.avg.push({ x: p.tsMs, y: p.avg });
    buffer.min.push({ x: p.tsMs, y: p.min });
    buffer.max.push({ x: p.tsMs, y: p.max });
    buffer.counts.push(Math.max(1, p.count));
  }
  return buffer;
}

/**
 * Adds a live sample. Returns false when it changed nothing: not a finite number, or older than the
 * newest point (a reconnect's snapshot repeats values the history already has).
 */
export function appendSample(buffer: SeriesBuffer, tsMs: number, value: number): boolean {
  if (!Number.isFinite(value) || !Number.isFinite(tsMs)) return false;
  const last = buffer.avg.length - 1;
  const lastX = last >= 0 ? buffer.avg[last]!.x : -Infinity;
  if (tsMs <= lastX) return false;
  if (last >= 0 && tsMs < lastX + buffer.bucketMs) {
    const n = buffer.counts[last]! + 1;
    buffer.counts[last] = n;
    buffer.avg[last]!.y += (value - buffer.avg[last]!.y) / n;
    buffer.min[last]!.y = Math.min(buffer.min[last]!.y, value);
    buffer.max[last]!.y = Math.max(buffer.max[last]!.y, value);
    return true;
  }
  buffer.avg.push({ x: tsMs, y: value });
  buffer.min.push({ x: tsMs, y: value });
  buffer.max.push({ x: tsMs, y: value });
  buffer.counts.push(1);
  return true;
}

/** Drops points before `fromMs`, keeping one so the line still enters the plot from its left edge. */
export function trimBefore(buffer: SeriesBuffer, fromMs: number): number {
  let drop = 0;
  while (drop + 1 < buffer.avg.length && buffer.avg[drop + 1]!.x <= fromMs) drop += 1;
  if (drop > 0) {
    buffer.avg.splice(0, drop);
    buffer.min.splice(0, drop);
    buffer.max.splice(0, drop);
    buffer.counts.splice(0, drop);
  }
  return drop;
}
