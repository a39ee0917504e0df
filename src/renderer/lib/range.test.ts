import { describe, expect, it } from 'vitest';
import { MAX_POINTS, pan, pointsForWidth, presetOf, presetRange, resolveRange, timeTicks, zoomOut, zoomTo, alignedTicks } from './range';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const HOUR = 3_600_000;

describe('points for a chart', () => {
  it('never asks for more points than the chart has pixels', () => {
    expect(pointsForWidth(800)).toBe(800);
    expect(pointsForWidth(731.6)).toBe(731);
    expect(pointsForWidth(320)).toBeLessThanOrEqual(320);
  });

  it('stays within what the API answers', () => {
    expect(pointsForWidth(8000)).toBe(MAX_POINTS);
    expect(pointsForWidth(0)).toBe(2);
    expect(pointsForWidth(NaN)).toBe(2);
  });
});

describe('ranges', () => {
  it('a preset follows now', () => {
    expect(resolveRange(presetRange('6h'), NOW)).toEqual({ from: NOW - 6 * HOUR, to: NOW });
    expect(presetOf(presetRange('10y'))).toBe('10y');
  });

  it('a drag across the middle half zooms to that half', () => {
    const zoomed = zoomTo({ from: NOW - 4 * HOUR, to: NOW }, 0.75, 0.25);
    expect(zoomed).toEqual({ kind: 'fixed', from: NOW - 3 * HOUR, to: NOW - HOUR });
    expect(presetOf(zoomed!)).toBeNull();
  });

  it('a tap is not a zoom', () => {
    expect(zoomTo({ from: NOW - HOUR, to: NOW }, 0.5, 0.51)).toBeNull();
  });

  it('does not zoom in below one minute', () => {
    const zoomed = zoomTo({ from: NOW - 10 * 60_000, to: NOW }, 0.1, 0.15);
    expect(zoomed).not.toBeNull();
    const r = resolveRange(zoomed!, NOW);
    expect(r.to - r.from).toBe(60_000);
  });

  it('zooming out doubles the span and follows now again once it reaches now', () => {
    expect(zoomOut({ kind: 'fixed', from: NOW - 3 * HOUR, to: NOW - HOUR }, NOW)).toEqual({ kind: 'relative', spanMs: 4 * HOUR });
    expect(zoomOut({ kind: 'fixed', from: NOW - 10 * HOUR, to: NOW - 8 * HOUR }, NOW)).toEqual({ kind: 'fixed', from: NOW - 11 * HOUR, to: NOW - 7 * HOUR });
  });

  it('panning back moves half a window; forward past now follows now', () => {
    expect(pan(presetRange('1h'), -1, NOW)).toEqual({ kind: 'fixed', from: NOW - 1.5 * HOUR, to: NOW - 0.5 * HOUR });
    expect(pan({ kind: 'fixed', from: NOW - 1.5 * HOUR, to: NOW - 0.5 * HOUR }, 1, NOW)).toEqual({ kind: 'relative', spanMs: HOUR });
  });
});

describe('time axis ticks', () => {
  it('a day on a wide chart: every 2 hours; on a narrow one: every 6 hours', () => {
    expect(timeTicks(24 * HOUR, 1200)).toEqual({ unit: 'hour', stepSize: 2 });
    expect(timeTicks(24 * HOUR, 400)).toEqual({ unit: 'hour', stepSize: 6 });
  });

  it('an hour: every 5 or 10 minutes; a year: months; ten years: years', () => {
    expect(timeTicks(HOUR, 1200)).toEqual({ unit: 'minute', stepSize: 5 });
    expect(timeTicks(HOUR, 700)).toEqual({ unit: 'minute', stepSize: 10 });
    expect(timeTicks(365 * 24 * HOUR, 900).unit).toBe('month');
    expect(timeTicks(3652 * 24 * HOUR, 1200)).toEqual({ unit: 'year', stepSize: 1 });
    expect(timeTicks(3652 * 24 * HOUR, 600)).toEqual({ unit: 'year', stepSize: 2 });
  });

  it('never more labels than fit', () => {
    for (const span of [HOUR, 6 * HOUR, 24 * HOUR, 7 * 24 * HOUR, 30 * 24 * HOUR]) {
      for (const width of [300, 700, 1800]) {
        const { unit, stepSize } = timeTicks(span, width);
        const ms = { minute: 60_000, hour: HOUR, day: 24 * HOUR, month: 30 * 24 * HOUR, year: 365 * 24 * HOUR }[unit];
        expect(span / (ms * stepSize)).toBeLessThanOrEqual(Math.max(2, Math.floor(width / 90)));
      }
    }
  });
});

describe('aligned ticks', () => {
  const midnight = Date.UTC(2026, 5, 1);
  it('fall on whole quarters of an hour from midnight', () => {
    const ticks = alignedTicks(midnight + 9 * HOUR + 7 * 60_000, midnight + 10 * HOUR + 7 * 60_000, 15 * 60_000, midnight);
    expect(ticks.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(['09:15', '09:30', '09:45', '10:00']);
  });

  it('3-hour steps fall on 00, 03, 06…', () => {
    const ticks = alignedTicks(midnight - 2 * HOUR, midnight + 7 * HOUR, 3 * HOUR, midnight);
    expect(ticks.map((t) => (t - midnight) / HOUR)).toEqual([0, 3, 6]);
  });

  it('nothing for an empty window', () => {
    expect(alignedTicks(10, 10, 5, 0)).toEqual([]);
  });
});
