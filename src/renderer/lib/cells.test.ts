import { describe, expect, it } from 'vitest';
import type { FieldValue } from '../../shared/samples';
import { cellAxisRange, cellStats } from './cells';

function liveCells(volts: Array<number | null>, balancing?: string) {
  const values: Record<string, FieldValue> = {};
  volts.forEach((v, i) => {
    if (v !== null) values[`bms.cellVoltagesV[${i}]`] = v;
  });
  if (balancing !== undefined) values['bms.balancingCells'] = balancing;
  return (series: string) => values[series];
}

describe('cell statistics', () => {
  it('finds the lowest and highest cell, the spread and the average', () => {
    const volts = [3.301, 3.305, 3.298, 3.312, 3.3, 3.303, 3.304, 3.302, 3.301, 3.306, 3.299, 3.3, 3.302, 3.303, 3.304, 3.305];
    const s = cellStats(liveCells(volts));
    expect(s.voltages).toHaveLength(16);
    expect(s.minIndex).toBe(2);
    expect(s.maxIndex).toBe(3);
    expect(s.spreadV).toBeCloseTo(0.014, 9);
    expect(s.avg).toBeCloseTo(volts.reduce((a, b) => a + b, 0) / 16, 9);
  });

  it('marks balancing cells from the 1-based list', () => {
    const s = cellStats(liveCells([3.3, 3.35, 3.31, 3.36], '2,4'));
    expect([...s.balancing].sort()).toEqual([1, 3]);
  });

  it('ignores balancing entries that are not cells', () => {
    const s = cellStats(liveCells([3.3, 3.3], '0,17,x,2'));
    expect([...s.balancing]).toEqual([1]);
  });

  it('an 8S pack shows 8 cells, a missing middle cell stays a gap', () => {
    const s = cellStats(liveCells([3.3, null, 3.31, 3.3, 3.3, 3.3, 3.3, 3.29]));
    expect(s.voltages).toHaveLength(8);
    expect(s.voltages[1]).toBeNull();
    expect(s.minIndex).toBe(7);
  });

  it('no cells yet: no numbers at all', () => {
    const s = cellStats(liveCells([]));
    expect(s).toMatchObject({ voltages: [], min: null, max: null, spreadV: null, avg: null });
  });
});

describe('cell bar axis', () => {
  it('zooms in around the cells so millivolts are visible', () => {
    const r = cellAxisRange({ min: 3.298, max: 3.312 });
    expect(r.min).toBeLessThan(3.298);
    expect(r.max).toBeGreaterThan(3.312);
    expect(r.max - r.min).toBeLessThan(0.1);
  });
});
