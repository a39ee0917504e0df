import { describe, expect, it } from 'vitest';
import { appendSample, bufferFromHistory, trimBefore } from './series-buffer';

const history = [
  { tsMs: 0, min: 51, avg: 52, max: 53, count: 60 },
  { tsMs: 60_000, min: 52, avg: 52.5, max: 53, count: 60 },
];

describe('live samples on a history chart', () => {
  it('fold into the last bucket while they fall inside it', () => {
    const b = bufferFromHistory(history, 60_000);
    expect(appendSample(b, 90_000, 55.5)).toBe(true);
    expect(b.avg).toHaveLength(2);
    // Running mean of 60 samples averaging 52.5 plus one at 55.5.
    expect(b.avg[1]!.y).toBeCloseTo((52.5 * 60 + 55.5) / 61, 10);
    expect(b.max[1]!.y).toBe(55.5);
    expect(b.min[1]!.y).toBe(52);
  });

  it('start a new bucket past the last one', () => {
    const b = bufferFromHistory(history, 60_000);
    appendSample(b, 120_000, 50);
    expect(b.avg.map((p) => p.x)).toEqual([0, 60_000, 120_000]);
    expect(b.min[2]!.y).toBe(50);
  });

  it('with raw history every sample is a point', () => {
    const b = bufferFromHistory([], 0);
    appendSample(b, 1000, 1);
    appendSample(b, 2000, 2);
    expect(b.avg).toHaveLength(2);
  });

  it('ignore repeats, out-of-order and non-numbers', () => {
    const b = bufferFromHistory(history, 60_000);
    expect(appendSample(b, 60_000, 99)).toBe(false);
    expect(appendSample(b, 30_000, 99)).toBe(false);
    expect(appendSample(b, 130_000, NaN)).toBe(false);
    expect(b.max[1]!.y).toBe(53);
  });

  it('skip damaged history buckets', () => {
    const b = bufferFromHistory([{ tsMs: 0, min: NaN, avg: NaN, max: NaN, count: 0 }, ...history], 60_000);
    expect(b.avg).toHaveLength(2);
  });
});

describe('a window that follows now', () => {
  it('drops points that left it but keeps one to enter from the left edge', () => {
    const b = bufferFromHistory(
      [0, 1, 2, 3, 4].map((i) => ({ tsMs: i * 1000, min: i, avg: i, max: i, count: 1 })),
      1000,
    );
    expect(trimBefore(b, 2500)).toBe(2);
    expect(b.avg.map((p) => p.x)).toEqual([2000, 3000, 4000]);
    expect(b.counts).toHaveLength(3);
    expect(b.min).toHaveLength(3);
  });

  it('keeps the last point even when everything is old', () => {
    const b = bufferFromHistory(history, 60_000);
    trimBefore(b, 1e12);
    expect(b.avg).toHaveLength(1);
  });
});
